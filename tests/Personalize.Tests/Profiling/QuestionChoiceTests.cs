using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Delivery;
using Personalize.Events;
using Personalize.Profiling;
using Personalize.Tests.Decisions;

namespace Personalize.Tests.Profiling;

/// <summary>
/// Choosing a message's question gives what the rules give, checked against a plain restatement of them over
/// random banks and customers; and a message rendered again after a crash carries the question it carried first.
/// </summary>
public sealed class QuestionChoiceTests
{
    private static readonly DateTimeOffset Now = ProfilingKit.Now;
    private static readonly Channel[] Channels = [Channel.Email, Channel.Sms, Channel.Push];
    private static readonly string[] Topics = ["gardening", "recipes", "travel"];

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(3, false)]
    [InlineData(4, true)]
    [InlineData(5, true)]
    public void The_chosen_question_is_the_best_open_one_not_asked_lately_or_the_one_this_message_asked(int seed, bool large)
    {
        // Large banks (60-99 questions) check the questions ranked past the 64 that choosing marks in one walk over the facts.
        var random = new Random(seed);
        for (var round = 0; round < (large ? 60 : 300); round++)
        {
            var questions = RandomQuestions(random, large ? random.Next(60, 100) : random.Next(1, 7));
            var bank = QuestionBank.Create(questions, TimeSpan.FromDays(random.Next(1, 60)));
            for (var c = 0; c < 10; c++)
            {
                var customer = RandomCustomer(random, questions, $"c-{round}-{c}", large);
                var kind = random.Next(8) == 0 ? MessageKind.Ask : MessageKind.Give;
                var channel = Channels[random.Next(Channels.Length)];
                var key = IdempotencyKey.Create("schedule", customer.Id, "news", Now);

                // The public form, with the message's key.
                Assert.Equal(Reference(bank, customer, kind, channel, Now, key)?.Id, bank.Choose(customer, kind, channel, Now, key)?.Id);

                // The renderer's form: the key is made from the message, only for an ask made at the message's instant.
                Assert.Equal(Reference(bank, customer, kind, channel, Now, key)?.Id, bank.Choose(customer, kind, channel, Now, null, "schedule", "news")?.Question.Id);
            }
        }
    }

    [Fact]
    public void A_message_rendered_again_from_the_customer_it_asked_carries_the_same_question()
    {
        var bank = ProfilingKit.Bank();
        var time = new ManualTimeProvider(Now);
        var engine = DecisionKit.Engine();
        var catalog = ProfilingKit.Catalog(engine);
        var content = global::Personalize.Sending.MessageTemplates.CompileOrThrow(catalog, new Personalize.Tests.Sending.SendingKit.MemoryLoader(ProfilingKit.Templates()));
        var renderer = ProfilingKit.Renderer(bank, time);
        var news = catalog.Find("news")!;
        var customer = ProfilingKit.Customer("e-1", Channel.Email) with
        {
            // Asked of frequency long ago (open again) and of birthday by another message moments ago (not open).
            Facts = CustomerFacts.Create(
            [
                new(QuestionBank.AskedPrefix + "frequency", new Fact(1L, Now.AddDays(-90), "old")),
                new(QuestionBank.AskedPrefix + "birthday", new Fact(1L, Now.AddSeconds(-30), IdempotencyKey.Create("schedule", "e-1", "other", Now.AddSeconds(-30)))),
            ]),
        };

        var first = renderer.Render(content, customer, news, Channel.Email, "news/email", "schedule", Now);
        Assert.Equal("gardening", first.QuestionId);

        // The ask is stored with the message (a crash before the sink took it): rendering it again asks the same.
        var asked = customer with { Facts = AskedQuestions.Add(customer.Facts, null, first)! };
        var again = renderer.Render(content, asked, news, Channel.Email, "news/email", "schedule", Now);
        Assert.Equal((first.IdempotencyKey, "gardening"), (again.IdempotencyKey, again.QuestionId));

        // Another message (another instant) does not: gardening was asked lately, birthday too, frequency comes.
        var later = renderer.Render(content, asked, news, Channel.Email, "news/email", "schedule", Now.AddMinutes(5));
        Assert.Equal("frequency", later.QuestionId);
    }

    [Fact]
    public void An_ask_made_when_the_store_writes_it_is_the_ask_added_to_the_facts_read_when_they_hold_nothing_else()
    {
        // ADR 0088: a send run makes the facts of a customer without facts, or with only an earlier ask of the same
        // question, when the store writes them (from the count before); every other set is made as before, with the decision.
        var bank = ProfilingKit.Bank();
        var time = new ManualTimeProvider(Now);
        var catalog = ProfilingKit.Catalog(DecisionKit.Engine());
        var content = global::Personalize.Sending.MessageTemplates.CompileOrThrow(catalog, new Personalize.Tests.Sending.SendingKit.MemoryLoader(ProfilingKit.Templates()));
        var message = ProfilingKit.Renderer(bank, time).Render(content, ProfilingKit.Customer("e-1", Channel.Email), catalog.Find("news")!, Channel.Email, "news/email", "schedule", Now);
        Assert.NotNull(message.QuestionId);
        var asked = QuestionBank.AskedPrefix + message.QuestionId;
        CustomerFacts Set(params (string Name, Fact Fact)[] facts) => CustomerFacts.Create(facts.Select(f => new KeyValuePair<string, Fact>(f.Name, f.Fact)));
        var before = new Fact(3L, Now.AddDays(-90), "old");

        foreach (var (facts, count) in new[] { (CustomerFacts.Empty, 0L), (Set((asked, before)), 3L), (Set((asked, new Fact(15L, Now.AddDays(-90), "old"))), 15L) })
        {
            Assert.True(AskedQuestions.IsAlone(facts, message, out var counted));
            Assert.Equal(count, counted);
            var alone = AskedQuestions.Alone(message, counted);
            Assert.Equal(AskedQuestions.Add(facts, null, message)!.ToList(), alone.ToList());
            Assert.Equal((count + 1, message.SendAt, message.IdempotencyKey), ((long)alone[asked].Number, alone[asked].At, alone[asked].EventId));
        }

        // Its own ask (the message recorded again), another question's, another fact beside it, no question: made as before.
        Assert.False(AskedQuestions.IsAlone(Set((asked, new Fact(1L, message.SendAt, message.IdempotencyKey))), message, out _));
        Assert.False(AskedQuestions.IsAlone(Set((QuestionBank.AskedPrefix + "other", before)), message, out _));
        Assert.False(AskedQuestions.IsAlone(Set((asked, before), ("order_count", new Fact(2L, Now, "e"))), message, out _));
        Assert.False(AskedQuestions.IsAlone(Set(("order_count", new Fact(2L, Now, "e"))), message, out _));
        Assert.False(AskedQuestions.IsAlone(CustomerFacts.Empty, message with { QuestionId = null }, out _));
    }

    /// <summary>The rules as the issue states them, question by question in priority order (the bank's order breaks ties).</summary>
    private static Question? Reference(QuestionBank bank, CustomerProfile customer, MessageKind kind, Channel channel, DateTimeOffset at, string key)
    {
        if (kind == MessageKind.Ask)
        {
            return null;
        }

        var ordered = bank.Questions.Select((q, i) => (q, i)).OrderByDescending(p => p.q.Priority).ThenBy(p => p.i).Select(p => p.q)
            .Where(q => q.Channels.Contains(channel)).ToList();
        bool Open(Question q) => (q.Stages.Count == 0 || q.Stages.Contains(customer.Stage))
            && !(q.Fills.Kind == QuestionFillKind.Topic && customer.Consents.GetState(ConsentScope.ForTopic(q.Fills.Name!), at).Status != ConsentStatus.None)
            && !customer.Facts.ContainsKey(FactNames.AnswerPrefix + q.Id);
        Fact? Asked(Question q) => customer.Facts.TryGetValue(QuestionBank.AskedPrefix + q.Id, out var f) && f.At > at - bank.AskAgainAfter ? f : null;

        return ordered.FirstOrDefault(q => Open(q) && Asked(q)?.EventId == key) ?? ordered.FirstOrDefault(q => Open(q) && Asked(q) is null);
    }

    private static List<Question> RandomQuestions(Random random, int count)
    {
        var questions = new List<Question>(count);
        for (var i = 0; i < count; i++)
        {
            var topic = random.Next(2) == 0;
            questions.Add(new Question
            {
                Id = "q" + i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Text = "Question " + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "?",
                Fills = topic ? QuestionFill.Topic(Topics[random.Next(Topics.Length)]) : QuestionFill.Attribute("a" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                Channels = Channels.Where(_ => random.Next(2) == 0).DefaultIfEmpty(Channel.Email).ToArray(),
                Stages = random.Next(3) == 0 ? [(LifecycleStage)random.Next(3)] : [],
                Priority = random.Next(1, 4),
                WordingVersion = "v1",
                Options = topic ? [] : [new QuestionOption("x", "X", "X" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            });
        }

        return questions;
    }

    private static CustomerProfile RandomCustomer(Random random, List<Question> questions, string id, bool large = false)
    {
        // In a large bank nearly every question is answered and few were asked by this message, so that the best 64 are
        // often all closed and choosing goes on to the questions ranked below them.
        var key = IdempotencyKey.Create("schedule", id, "news", Now);
        var facts = new List<KeyValuePair<string, Fact>>();
        foreach (var q in questions)
        {
            if (large ? random.Next(20) != 0 : random.Next(4) == 0)
            {
                facts.Add(new(FactNames.AnswerPrefix + q.Id, new Fact("x", Now.AddDays(-random.Next(1, 400)), "answer")));
            }

            var roll = random.Next(5);
            switch (large && roll == 0 && random.Next(10) != 0 ? 3 : roll)
            {
                case 0:
                    // Asked by this very message: stored at its instant with its key.
                    facts.Add(new(QuestionBank.AskedPrefix + q.Id, new Fact(1L, Now, key)));
                    break;
                case 1:
                    facts.Add(new(QuestionBank.AskedPrefix + q.Id, new Fact(1L, Now.AddDays(-random.Next(0, 90)).AddMinutes(-random.Next(0, 60)), "other-" + random.Next(3))));
                    break;
                case 2:
                    // Asked by another message at the same instant (another key).
                    facts.Add(new(QuestionBank.AskedPrefix + q.Id, new Fact(1L, Now, IdempotencyKey.Create("schedule", id, "other", Now))));
                    break;
            }
        }

        if (random.Next(3) == 0)
        {
            facts.Add(new("order_count", new Fact(3L, Now.AddDays(-2), "e-1")));
        }

        var consents = new List<ConsentRecord> { DecisionKit.Grant(Channel.Email), DecisionKit.Grant(Channel.Sms) };
        foreach (var topic in Topics)
        {
            switch (random.Next(4))
            {
                case 0:
                    consents.Add(DecisionKit.GrantTopic(topic));
                    break;
                case 1:
                    consents.Add(ConsentRecord.Withdraw(ConsentScope.ForTopic(topic), DecisionKit.LongAgo, DecisionKit.PreferenceCenter));
                    break;
            }
        }

        return ProfilingKit.Customer(id, Channel.Email, (LifecycleStage)random.Next(3)) with
        {
            // As built in code (a table) or as read from a store (a short set is a list).
            Facts = random.Next(2) == 0 ? CustomerFacts.Create(facts) : CustomerFacts.Read(facts.ToArray()),
            Consents = new ConsentLedger(consents),
        };
    }
}
