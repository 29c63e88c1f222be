using Personalize.Events;
using Personalize.Storage;

namespace Personalize.Profiling;

/// <summary>How often each question of a bank was asked and answered, read from the stored customers' facts.</summary>
/// <param name="Questions">One row per question, in the bank's order.</param>
/// <param name="Customers">How many customers were read.</param>
public sealed record ProfilingReport(IReadOnlyList<QuestionStatistics> Questions, long Customers)
{
    /// <summary>Reads every stored customer (page by page) and counts.</summary>
    /// <param name="store">The store.</param>
    /// <param name="bank">The questions.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    /// <returns>The report.</returns>
    public static async Task<ProfilingReport> ReadAsync(IPersonalizeStore store, QuestionBank bank, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(bank);
        var questions = bank.Questions;
        var asks = new long[questions.Count];
        var asked = new long[questions.Count];
        var answered = new long[questions.Count];
        var answeredAfterAsk = new long[questions.Count];
        var answerNames = questions.Select(static q => FactNames.AnswerPrefix + q.Id).ToArray();
        var askedNames = questions.Select(static q => QuestionBank.AskedPrefix + q.Id).ToArray();
        long customers = 0;
        string? token = null;
        do
        {
            var page = await store.ReadCustomersAsync(new CustomerQuery { Limit = 500, ContinueAfter = token }, cancellationToken).ConfigureAwait(false);
            foreach (var customer in page.Items)
            {
                customers++;
                var facts = customer.Profile.Facts;
                if (facts.Count == 0)
                {
                    continue;
                }

                for (var i = 0; i < questions.Count; i++)
                {
                    var wasAsked = facts.TryGetValue(askedNames[i], out var ask);
                    if (wasAsked)
                    {
                        asks[i] += (long)ask!.Number;
                        asked[i]++;
                    }

                    if (facts.ContainsKey(answerNames[i]))
                    {
                        answered[i]++;
                        answeredAfterAsk[i] += wasAsked ? 1 : 0;
                    }
                }
            }

            token = page.ContinueAfter;
        }
        while (token is not null);

        var rows = new QuestionStatistics[questions.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = new QuestionStatistics(questions[i].Id, questions[i].Fills.ToString(), asks[i], asked[i], answered[i], answeredAfterAsk[i]);
        }

        return new ProfilingReport(rows, customers);
    }
}

/// <summary>One question's numbers.</summary>
/// <param name="QuestionId">The question's id.</param>
/// <param name="Fills">What it fills (<c>topic:gardening</c>, <c>frequency</c>, …).</param>
/// <param name="Asks">How many messages carried it.</param>
/// <param name="CustomersAsked">How many customers were asked it at least once.</param>
/// <param name="Answered">How many customers answered it (through any route).</param>
/// <param name="AnsweredAfterAsk">How many of the customers asked answered it.</param>
public sealed record QuestionStatistics(string QuestionId, string Fills, long Asks, long CustomersAsked, long Answered, long AnsweredAfterAsk)
{
    /// <summary>Gets the share of customers asked who answered (0 to 1), or 0 when nobody was asked.</summary>
    public double AnswerRate => CustomersAsked == 0 ? 0 : (double)AnsweredAfterAsk / CustomersAsked;
}
