using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Decisions;
using Personalize.Delivery;
using Personalize.Events;
using Personalize.Profiling;
using Personalize.Tests.Decisions;

namespace Personalize.Tests.Profiling;

/// <summary>Progressive profiling in the send run: one question per message, asks remembered, answers never asked again.</summary>
public sealed class ProfilingSendTests
{
    private static readonly DateTimeOffset Now = ProfilingKit.Now;

    [Fact]
    public async Task Each_message_carries_at_most_one_question_the_best_that_fits_its_channel()
    {
        var kit = await ProfilingKit.SetUpAsync(ProfilingKit.Customer("e-1", Channel.Email), ProfilingKit.Customer("s-1", Channel.Sms));

        await kit.Runner.RunAsync(kit.Run(Now), kit.Store);

        var email = Assert.Single(kit.SentTo("e-1"));
        Assert.Equal("gardening", email.QuestionId);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(Body(email), "QUESTION "));
        Assert.Contains("QUESTION gardening: Would you like gardening tips?", Body(email), StringComparison.Ordinal);
        Assert.Contains("- Yes please: https://example.com/preferences/answer?token=", Body(email), StringComparison.Ordinal);
        var sms = Assert.Single(kit.SentTo("s-1"));
        Assert.StartsWith("Roses in bloom. Would you like gardening tips? Reply GARDEN\n", Body(sms), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_ask_is_remembered_in_the_store_and_not_asked_again_within_the_window()
    {
        var kit = await ProfilingKit.SetUpAsync(ProfilingKit.Customer("e-1", Channel.Email));
        await kit.Runner.RunAsync(kit.Run(Now), kit.Store);

        var stored = (await kit.Store.GetCustomerAsync("e-1"))!;
        var asked = stored.Profile.Facts[QuestionBank.AskedPrefix + "gardening"];
        Assert.Equal((1L, Now), ((long)asked.Number, asked.At));
        Assert.Equal(kit.SentTo("e-1")[0].IdempotencyKey, asked.EventId);

        // A week later the next question in priority order comes; 31 days after the first ask, the first again.
        await kit.Runner.RunAsync(kit.Run(Now.AddDays(7)), kit.Store);
        await kit.Runner.RunAsync(kit.Run(Now.AddDays(14)), kit.Store);
        await kit.Runner.RunAsync(kit.Run(Now.AddDays(21)), kit.Store);
        await kit.Runner.RunAsync(kit.Run(Now.AddDays(31)), kit.Store);

        Assert.Equal(["gardening", "frequency", "birthday", null, "gardening"], kit.SentTo("e-1").Select(m => m.QuestionId));
        var again = (await kit.Store.GetCustomerAsync("e-1"))!.Profile.Facts[QuestionBank.AskedPrefix + "gardening"];
        Assert.Equal(2L, (long)again.Number);
    }

    [Fact]
    public async Task An_answered_question_is_never_asked_again()
    {
        var kit = await ProfilingKit.SetUpAsync(ProfilingKit.Customer("e-1", Channel.Email));
        await kit.Runner.RunAsync(kit.Run(Now), kit.Store);

        var result = await kit.Answers.AnswerAsync(new ProfilingAnswer { CustomerId = "e-1", QuestionId = "gardening", Answer = "no" });
        Assert.Equal(ProfilingCodes.Recorded, result.Code);

        for (var day = 31; day <= 31 * 6; day += 31)
        {
            await kit.Runner.RunAsync(kit.Run(Now.AddDays(day)), kit.Store);
        }

        var asked = kit.SentTo("e-1").Select(m => m.QuestionId).ToList();
        Assert.Equal(7, asked.Count);
        Assert.Equal("gardening", asked[0]);
        Assert.DoesNotContain("gardening", asked.Skip(1));
        var again = await kit.Answers.AnswerAsync(new ProfilingAnswer { CustomerId = "e-1", QuestionId = "gardening", Answer = "yes" });
        Assert.Equal((ProfilingCodes.AlreadyAnswered, "no"), (again.Code, again.Value));
    }

    [Fact]
    public async Task A_message_that_is_itself_an_ask_carries_no_question()
    {
        // Give before ask: the customer was given something first, so the survey may go.
        var given = ProfilingKit.Customer("e-1", Channel.Email) with { History = new Personalize.Customers.ContactHistory(Enumerable.Range(1, 3).Select(d => DecisionKit.Sent("news", Now.AddDays(-10 * d), ContactPurpose.Relationship))) };
        var kit = await ProfilingKit.SetUpAsync(given);

        await kit.Runner.RunAsync(kit.Run(Now, Trigger.Campaign("survey")), kit.Store);

        var survey = Assert.Single(kit.SentTo("e-1"));
        Assert.Equal("survey", survey.MessageId);
        Assert.Null(survey.QuestionId);
        Assert.Equal("Please rate us.", Body(survey));
        Assert.False((await kit.Store.GetCustomerAsync("e-1"))!.Profile.Facts.ContainsKey(QuestionBank.AskedPrefix + "gardening"));
    }

    [Fact]
    public async Task Questions_fit_their_stages()
    {
        var kit = await ProfilingKit.SetUpAsync(ProfilingKit.Customer("x-1", Channel.Email, LifecycleStage.Exposure));
        await kit.Runner.RunAsync(kit.Run(Now), kit.Store);
        await kit.Runner.RunAsync(kit.Run(Now.AddDays(7)), kit.Store);
        await kit.Runner.RunAsync(kit.Run(Now.AddDays(14)), kit.Store);

        // birthday is asked in retention only.
        Assert.Equal(["gardening", "frequency", null], kit.SentTo("x-1").Select(m => m.QuestionId));
    }

    [Fact]
    public async Task A_topic_interest_answer_is_consent_evidence_with_the_wording_and_raises_relevance_at_once()
    {
        var kit = await ProfilingKit.SetUpAsync(ProfilingKit.Customer("e-1", Channel.Email));
        var before = (await kit.Store.GetCustomerAsync("e-1"))!.Profile;
        var tipsBefore = DecisionKit.Outcome(kit.Engine.Decide(kit.Catalog, before, Trigger.Campaign("tips"), Now, DecisionDetail.All), "tips");

        var result = await kit.Answers.AnswerAsync(new ProfilingAnswer { CustomerId = "e-1", QuestionId = "gardening", Answer = "GARDEN", Source = ConsentSource.Form("answer page"), Channel = "email" });

        Assert.Equal((ProfilingCodes.Recorded, "yes"), (result.Code, result.Value));
        var after = (await kit.Store.GetCustomerAsync("e-1"))!.Profile;
        var record = after.Consents.Records.Single(r => r.Scope == ConsentScope.ForTopic("gardening"));
        Assert.Equal((ConsentAction.Grant, "q-garden-v1", "Would you like gardening tips?", "answer page"), (record.Action, record.WordingVersion, record.Wording, record.Source.Detail));
        Assert.Equal("yes", after.Facts.ValueOf(FactNames.AnswerPrefix + "gardening"));
        var tipsAfter = DecisionKit.Outcome(kit.Engine.Decide(kit.Catalog, after, Trigger.Campaign("tips"), Now, DecisionDetail.All), "tips");
        Assert.Equal((0d, 1d), (tipsBefore.Relevance, tipsAfter.Relevance));
        var evidence = (await kit.Store.ReadEventsAsync(new Personalize.Storage.EventQuery { CustomerId = "e-1" })).Items.Single();
        Assert.Equal(("preference_answered", "q-garden-v1", "email"), (evidence.Type, evidence.Text("wording_version"), evidence.Text("channel")));
    }

    [Fact]
    public async Task A_frequency_answer_sets_a_cap_the_next_decision_applies()
    {
        var kit = await ProfilingKit.SetUpAsync(ProfilingKit.Customer("e-1", Channel.Email));

        var result = await kit.Answers.AnswerAsync(new ProfilingAnswer { CustomerId = "e-1", QuestionId = "frequency", Answer = "monthly" });

        Assert.Equal(ProfilingCodes.Recorded, result.Code);
        var cap = Assert.Single((await kit.Store.GetCustomerAsync("e-1"))!.Profile.Preferences.FrequencyCaps);
        Assert.Equal((1, Personalize.Customers.CapPeriod.Month, (Channel?)null), (cap.Max, cap.Period, cap.Channel));
        await kit.Runner.RunAsync(kit.Run(Now), kit.Store);
        var second = await kit.Runner.RunAsync(kit.Run(Now.AddDays(7)), kit.Store);
        Assert.Equal(0, second.Totals.TotalSent);
    }

    [Fact]
    public async Task An_sms_keyword_reply_event_answers_the_question_asked_by_sms()
    {
        var kit = await ProfilingKit.SetUpAsync(ProfilingKit.Customer("s-1", Channel.Sms));
        await kit.Runner.RunAsync(kit.Run(Now), kit.Store);

        var reply = new CustomerEvent { Id = "sms-in-77", Type = "preference_answered", CustomerId = "s-1", OccurredAt = Now.AddMinutes(5), Data = DecisionKit.Attributes("""{ "root": { "text": " garden  please", "channel": "sms" } }""")["root"] };
        var result = await kit.Answers.AnswerEventAsync(reply);

        Assert.Equal((ProfilingCodes.Recorded, "gardening", "yes"), (result.Code, result.Question?.Id, result.Value));
        var profile = (await kit.Store.GetCustomerAsync("s-1"))!.Profile;
        Assert.True(profile.Consents.GetState(ConsentScope.ForTopic("gardening"), Now.AddMinutes(6)).IsGranted);
        var unknown = await kit.Answers.AnswerEventAsync(reply with { Id = "sms-in-78", Data = DecisionKit.Attributes("""{ "root": { "text": "PIZZA" } }""")["root"] });
        Assert.Equal(ProfilingCodes.NoQuestionAsked, unknown.Code);
    }

    [Fact]
    public async Task An_answer_event_ingested_with_the_question_bank_is_recorded_as_an_answer_consent_preference_and_never_asked_again()
    {
        var kit = await ProfilingKit.SetUpAsync(ProfilingKit.Customer("e-1", Channel.Email));
        var ingestor = new EventIngestor(new EventOptions { Questions = kit.Answers.Bank });
        var garden = Events.EventKit.Event("q-1", "e-1", "preference_answered", Now, """{"question":"gardening","answer":"yes","channel":"email"}""");
        var monthly = Events.EventKit.Event("q-2", "e-1", "preference_answered", Now.AddMinutes(1), """{"question":"frequency","answer":"monthly"}""");
        var bad = Events.EventKit.Event("q-3", "e-1", "preference_answered", Now.AddMinutes(2), """{"question":"shoe_size","answer":"42"}""");
        var order = Events.EventKit.Event("o-1", "e-1", "order_placed", Now.AddMinutes(3), """{"total":10}""");

        var summary = await ingestor.IngestAsync(Events.EventKit.Stream([garden, monthly, bad, order]), kit.Store, Now.AddMinutes(5));
        var again = await ingestor.IngestAsync(Events.EventKit.Stream([garden]), kit.Store, Now.AddMinutes(6));

        Assert.Equal((3L, 0L), (summary.Applied, summary.Duplicates));
        Assert.Equal((ProfilingCodes.UnknownQuestion, "q-3"), (summary.Rejected.Single().Code, summary.Rejected.Single().EventId));
        Assert.Equal((0L, 1L), (again.Applied, again.Duplicates));
        var profile = (await kit.Store.GetCustomerAsync("e-1"))!.Profile;
        var grant = profile.Consents.Records.Single(r => r.Scope == ConsentScope.ForTopic("gardening"));
        Assert.Equal((ConsentAction.Grant, "q-garden-v1", "Would you like gardening tips?"), (grant.Action, grant.WordingVersion, grant.Wording));
        Assert.Equal(Personalize.Customers.CapPeriod.Month, Assert.Single(profile.Preferences.FrequencyCaps).Period);
        Assert.True(QuestionBank.IsAnswered(profile, "gardening") && QuestionBank.IsAnswered(profile, "frequency"));
        Assert.Equal(1L, profile.Facts.ValueOf("order_count"));
    }

    [Fact]
    public async Task An_answer_event_ingested_without_a_question_bank_is_rejected_with_a_code_naming_the_way_to_record_it()
    {
        var kit = await ProfilingKit.SetUpAsync(ProfilingKit.Customer("e-1", Channel.Email));

        var summary = await new EventIngestor().IngestAsync(Events.EventKit.Stream([Events.EventKit.Event("q-1", "e-1", "preference_answered", Now, """{"question":"gardening","answer":"yes"}""")]), kit.Store, Now);

        var rejected = Assert.Single(summary.Rejected);
        Assert.Equal(EventCodes.AnswerWithoutQuestions, rejected.Code);
        Assert.Contains("EventOptions.Questions", rejected.Message, StringComparison.Ordinal);
        Assert.Contains("ProfilingAnswers.AnswerEventAsync", rejected.Message, StringComparison.Ordinal);
        var profile = (await kit.Store.GetCustomerAsync("e-1"))!.Profile;
        Assert.False(QuestionBank.IsAnswered(profile, "gardening"));
        Assert.False(profile.Consents.GetState(ConsentScope.ForTopic("gardening"), Now).IsGranted);
    }

    [Fact]
    public async Task Bad_answers_get_a_named_error_and_change_nothing()
    {
        var kit = await ProfilingKit.SetUpAsync(ProfilingKit.Customer("e-1", Channel.Email));

        Assert.Equal(ProfilingCodes.UnknownQuestion, (await kit.Answers.AnswerAsync(new ProfilingAnswer { CustomerId = "e-1", QuestionId = "shoe_size", Answer = "42" })).Code);
        Assert.Equal(ProfilingCodes.InvalidAnswer, (await kit.Answers.AnswerAsync(new ProfilingAnswer { CustomerId = "e-1", QuestionId = "frequency", Answer = "hourly" })).Code);
        Assert.Equal(ProfilingCodes.InvalidAnswer, (await kit.Answers.AnswerAsync(new ProfilingAnswer { CustomerId = "e-1", QuestionId = "birthday", Answer = new string('9', 201) })).Code);
        Assert.Equal(ProfilingCodes.CustomerNotFound, (await kit.Answers.AnswerAsync(new ProfilingAnswer { CustomerId = "nobody", QuestionId = "birthday", Answer = "1990-06-15" })).Code);
        Assert.Empty((await kit.Store.GetCustomerAsync("e-1"))!.Profile.Facts);
    }

    [Fact]
    public void A_message_rendered_again_after_a_crash_carries_the_question_it_carried_first()
    {
        var bank = ProfilingKit.Bank();
        var customer = ProfilingKit.Customer("e-1", Channel.Email) with
        {
            Facts = CustomerFacts.Create([new(QuestionBank.AskedPrefix + "frequency", new Fact(1L, Now, "key-1"))]),
        };

        Assert.Equal("frequency", bank.Choose(customer, MessageKind.Give, Channel.Email, Now, "key-1")?.Id);
        Assert.Equal("gardening", bank.Choose(customer, MessageKind.Give, Channel.Email, Now, "key-2")?.Id);
        Assert.Null(bank.Choose(customer, MessageKind.Ask, Channel.Email, Now, "key-2"));
        Assert.Null(bank.Choose(customer, MessageKind.Give, Channel.Push, Now, "key-2"));
    }

    [Theory]
    [InlineData(IdempotencyKeyFormat.Hashed)]
    [InlineData(IdempotencyKeyFormat.TimeOrdered)]
    public void A_message_rendered_again_knows_the_question_it_asked_by_its_key_in_the_format_it_was_made_in(IdempotencyKeyFormat format)
    {
        // A run started before the upgrade (pz1_ keys) and resumed after renders its pending messages again: the ask they
        // made is recognised by their key in that format, not by a key in today's default.
        var bank = ProfilingKit.Bank();
        var key = IdempotencyKey.Create("campaign:spring", "e-1", "tips", Now, format);
        var customer = ProfilingKit.Customer("e-1", Channel.Email) with
        {
            Facts = CustomerFacts.Create([new(QuestionBank.AskedPrefix + "frequency", new Fact(1L, Now, key))]),
        };

        Assert.Equal("frequency", bank.Choose(customer, MessageKind.Give, Channel.Email, Now, null, "campaign:spring", "tips")?.Question.Id);
        Assert.Equal("gardening", bank.Choose(customer, MessageKind.Give, Channel.Email, Now, null, "campaign:spring", "other")?.Question.Id);
        Assert.Equal("frequency", bank.Choose(customer, MessageKind.Give, Channel.Email, Now, key)?.Id);
    }

    [Fact]
    public void A_topic_question_is_not_asked_of_a_customer_who_already_chose_the_topic_either_way()
    {
        var bank = ProfilingKit.Bank();
        var subscribed = ProfilingKit.Customer("e-1", Channel.Email) with { Consents = new ConsentLedger([DecisionKit.GrantTopic("gardening")]) };
        var unsubscribed = ProfilingKit.Customer("e-2", Channel.Email) with { Consents = new ConsentLedger([ConsentRecord.Withdraw(ConsentScope.ForTopic("gardening"), DecisionKit.LongAgo, DecisionKit.PreferenceCenter)]) };

        Assert.Equal("frequency", bank.Choose(subscribed, MessageKind.Give, Channel.Email, Now, "k")?.Id);
        Assert.Equal("frequency", bank.Choose(unsubscribed, MessageKind.Give, Channel.Email, Now, "k")?.Id);
        Assert.Equal("gardening", bank.Choose(ProfilingKit.Customer("e-3", Channel.Email), MessageKind.Give, Channel.Email, Now, "k")?.Id);
    }

    [Fact]
    public async Task Without_a_bank_templates_see_no_question_and_nothing_is_remembered()
    {
        var kit = await ProfilingKit.SetUpAsync(ProfilingKit.Customer("e-1", Channel.Email));
        var renderer = ProfilingKit.Renderer(null, kit.Time);
        var profile = (await kit.Store.GetCustomerAsync("e-1"))!.Profile;

        var message = renderer.Render(kit.Content, profile, kit.Catalog.Find("news")!, Channel.Email, "news/email", "schedule:daily", Now);

        Assert.Null(message.QuestionId);
        Assert.Equal("Roses are in bloom.", Body(message));
    }

    internal static string Body(Personalize.Delivery.OutgoingMessage message) => message.Content switch
    {
        Personalize.Channels.Email.EmailContent email => email.TextBody,
        Personalize.Channels.Sms.SmsContent sms => sms.Body,
        _ => message.Content.ToString()!,
    };
}
