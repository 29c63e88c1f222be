using System.Text;
using BenchmarkDotNet.Attributes;
using Personalize.Customers;
using Personalize.Delivery.Sinks;
using Personalize.Events;
using Personalize.Profiling;
using Personalize.Sending;

namespace Personalize.Benchmarks.Sending;

/// <summary>
/// What choosing the progressive-profiling question costs the end-to-end send run (10k customers, decide + render email
/// or SMS + compose into <see cref="NullSink"/>; per customer = per message). The templates are the same in every case —
/// the email's text part and the SMS end with a <c>question</c> block — only the bank differs: <c>none</c> (no bank:
/// <c>question</c> is null), <c>chosen</c> (a 6-question bank; the block shows the question's id and text) and
/// <c>chosen + links</c> (the email's block also writes the two signed one-tap answer links; the SMS shows a reply keyword in both). A third of the customers answered
/// the best question and a third were asked it lately, so choosing looks past them. The goal (issue 15): <c>chosen</c>
/// within 5 % of <c>none</c>.
/// <para>
/// Shaped to compare steadily (session 8): each invocation sends the same 10,000 customers, built once in the set-up (the
/// stream no longer copies a customer per message, so the only work that differs between the cases is the question's);
/// every case runs in three processes (a process's code and heap layout shifted a case by up to 25 % in single launches);
/// run the filter more than once, alternating, and compare the cases launch by launch.
/// </para>
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 3, warmupCount: 8, iterationCount: 20)]
public class ProfilingBenchmarks
{
    private const int Customers = 10_000;

    /// <summary>The 6-question bank (also <see cref="Templates.QuestionRenderBenchmarks"/>'s).</summary>
    internal const string BankJson = """
        { "questions": [
          { "id": "recipes", "text": "Would you like a recipe from the garden every week?", "fills": "topic:recipes", "channels": ["email", "sms"], "priority": 3, "wordingVersion": "v1",
            "options": [ { "value": "yes", "label": "Yes please", "keyword": "RECIPES" }, { "value": "no", "label": "No thanks", "keyword": "NORECIPES" } ] },
          { "id": "travel", "text": "Are you interested in garden travel deals?", "fills": "topic:travel", "channels": ["email", "sms"], "priority": 2, "wordingVersion": "v1" },
          { "id": "frequency", "text": "How often would you like to hear from us?", "fills": "frequency", "channels": ["email"], "priority": 2, "wordingVersion": "v1",
            "options": [ { "value": "weekly", "label": "Weekly" }, { "value": "monthly", "label": "Monthly" } ] },
          { "id": "quiet", "text": "When should we stay quiet?", "fills": "quiet_hours", "channels": ["email", "push"], "wordingVersion": "v1",
            "options": [ { "value": "21:00-08:00", "label": "Evenings and nights" } ] },
          { "id": "household", "text": "How many live in your home?", "fills": "household", "channels": ["email"], "stages": ["retention"], "wordingVersion": "v1" },
          { "id": "birthday", "text": "When is your birthday?", "fills": "birthday", "channels": ["email"], "wordingVersion": "v1" }
        ] }
        """;

    /// <summary>The email's text part's question block (<c>none</c>, <c>chosen</c>).</summary>
    internal const string EmailPart = "{{ if question }}\nOne question ({{ question.id }}): {{ question.text }}{{ end }}";

    /// <summary>The email's text part's question block with the signed one-tap answer links (<c>chosen + links</c>).</summary>
    internal const string EmailPartWithLinks = "{{ if question }}\nOne question: {{ question.text }}\n{{ for a in question.answer_links }}- {{ a.label }}: {{ a.url }}\n{{ end }}{{ end }}";

    /// <summary>The SMS's question block: an SMS answers by keyword (a link would not fit the segment budget).</summary>
    internal const string SmsPart = "{% if question %} {{ question.text }} Reply {{ question.answer_links[0].keyword }}{% endif %}";

    private SendRunner _runner = null!;
    private SendRun _run = null!;
    private SendingScenario _scenario = null!;
    private CustomerProfile[] _customers = null!;

    /// <summary>Gets or sets the case: <c>none</c>, <c>chosen</c> or <c>chosen + links</c>.</summary>
    [Params("none", "chosen", "chosen + links")]
    public string Questions { get; set; } = "none";

    /// <summary>Gets or sets how many distinct customers the 10,000 are copies of (1,000; <c>question-loop --pool N</c> makes it smaller to see what cold customer data costs).</summary>
    public int DistinctCustomers { get; set; } = 1000;

    [GlobalSetup]
    public void Setup()
    {
        var bank = Questions == "none" ? null : QuestionBankJson.Read(Encoding.UTF8.GetBytes(BankJson));
        var links = Questions == "chosen + links";
        _scenario = new SendingScenario(DistinctCustomers, questions: bank, emailPart: links ? EmailPartWithLinks : EmailPart, smsPart: SmsPart);
        var at = _scenario.At;
        MarkAnswersAndAsks(_scenario);
        _customers = _scenario.Stream(Customers).ToArray();
        _runner = _scenario.Runner(NullSink.Instance, 1);
        _run = new SendRun(_scenario.Catalog, _scenario.Content, _scenario.Trigger) { At = at };

        // Every customer gets one message; with a bank, every message carries a question.
        var check = _runner.RunAsync(_run, _scenario.Stream(300)).GetAwaiter().GetResult();
        if (check.Messages != 300 || check.Totals.Errors != 0)
        {
            throw new InvalidOperationException($"Scenario check failed: {check.Messages} messages, {check.Totals.Errors} errors for 300 customers.");
        }

        var probe = _scenario.Renderer.Render(_scenario.Content, _scenario.Pool[0], _scenario.Catalog.Find("spring-sale")!, Personalize.Channels.Channel.Email, "spring-sale/email", "campaign:spring_sale", at);
        if ((bank is null) != (probe.QuestionId is null) || (bank is not null && probe.QuestionId != "travel"))
        {
            throw new InvalidOperationException($"Scenario check failed: the email carries question '{probe.QuestionId}'; expected {(bank is null ? "none" : "travel (recipes is answered)")}.");
        }
    }

    /// <summary>A third of the pool answered the best question (<c>recipes</c>) and a third were asked it three days ago.</summary>
    internal static void MarkAnswersAndAsks(SendingScenario scenario)
    {
        var at = scenario.At;
        for (var i = 0; i < scenario.Pool.Length; i++)
        {
            scenario.Pool[i] = (i % 3) switch
            {
                0 => scenario.Pool[i] with { Facts = CustomerFacts.Create([new(FactNames.AnswerPrefix + "recipes", new Fact("yes", at.AddDays(-40), "answer-" + i))]) },
                1 => scenario.Pool[i] with { Facts = CustomerFacts.Create([new(QuestionBank.AskedPrefix + "recipes", new Fact(1L, at.AddDays(-3), "sent-" + i))]) },
                _ => scenario.Pool[i],
            };
        }
    }

    [Benchmark(Description = "send run, 10k customers, email + SMS with a question block (per message)", OperationsPerInvoke = Customers)]
    public long SendRun10k() => _runner.RunAsync(_run, _customers).GetAwaiter().GetResult().Messages;
}
