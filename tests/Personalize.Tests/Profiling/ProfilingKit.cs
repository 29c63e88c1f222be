using System.Text;
using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Decisions;
using Personalize.Delivery;
using Personalize.Delivery.Sinks;
using Personalize.Profiling;
using Personalize.Sending;
using Personalize.Storage;
using Personalize.Tests.Decisions;
using Personalize.Tests.Delivery;
using Personalize.Tests.Sending;

namespace Personalize.Tests.Profiling;

/// <summary>A question bank, a catalog whose templates show the question (a give on email and SMS, an ask on email) and a runner over a store.</summary>
internal static class ProfilingKit
{
    public static readonly DateTimeOffset Now = SendingKit.Now;

    public const string BankJson = """
        {
          "askAgainAfter": "30d",
          "questions": [
            { "id": "gardening", "text": "Would you like gardening tips?", "fills": "topic:gardening", "channels": ["email", "sms"], "priority": 3, "wordingVersion": "q-garden-v1",
              "options": [ { "value": "yes", "label": "Yes please", "keyword": "GARDEN" }, { "value": "no", "label": "No thanks", "keyword": "NOGARDEN" } ], "translations": { "de": { "text": "Möchten Sie Gartentipps?", "labels": { "yes": "Ja, gern" }, "keywords": { "yes": "garten" } } } },
            { "id": "frequency", "text": "How often would you like to hear from us?", "fills": "frequency", "channels": ["email"], "priority": 2, "wordingVersion": "q-freq-v1",
              "options": [ { "value": "weekly", "label": "Weekly" }, { "value": "monthly", "label": "Monthly" } ] },
            { "id": "birthday", "text": "When is your birthday? We'd like to send a treat.", "fills": "birthday", "channels": ["email"], "stages": ["retention"], "priority": 1, "wordingVersion": "q-bday-v1" }
          ]
        }
        """;

    public static QuestionBank Bank() => QuestionBankJson.Read(Encoding.UTF8.GetBytes(BankJson));

    public static Dictionary<string, string> Templates() => new(StringComparer.Ordinal)
    {
        ["news/email.subject.sbn"] = "News from the garden",
        ["news/email.text.sbn"] = "Roses are in bloom.\n{{ if question }}QUESTION {{ question.id }}: {{ question.text }}\n{{ for a in question.answer_links }}- {{ a.label }}: {{ a.url }}\n{{ end }}{{ end }}",
        ["news/sms.body.sbn"] = "Roses in bloom.{{ if question }} {{ question.text }} Reply {{ question.answer_links[0].keyword }}{{ end }}",
        ["survey/email.subject.sbn"] = "Tell us how we did",
        ["survey/email.text.sbn"] = "Please rate us.{{ if question }} QUESTION {{ question.id }}{{ end }}",
        ["tips/email.subject.sbn"] = "Gardening tips",
        ["tips/email.text.sbn"] = "Plant tulips now.",
    };

    public static CompiledCatalog Catalog(DecisionEngine engine) => DecisionKit.Compile(engine, b => b
        .Add("news", m => m.Relationship().OnSchedule().Channel(Channel.Email, "news/email").Channel(Channel.Sms, "news/sms"))
        .Add("survey", m => m.Relationship().Ask().OnCampaign("survey").Channel(Channel.Email, "survey/email"))
        .Add("tips", m => m.Marketing().Topics("gardening").OnCampaign("tips").Channel(Channel.Email, "tips/email")));

    public static CustomerProfile Customer(string id, Channel first, LifecycleStage stage = LifecycleStage.Retention)
        => DecisionKit.Customer(
            id: id,
            stage: stage,
            consents: [DecisionKit.Grant(Channel.Email), DecisionKit.Grant(Channel.Sms), ConsentRecord.Grant(ConsentScope.ForPurpose(ContactPurpose.Relationship), DecisionKit.LongAgo, DecisionKit.PreferenceCenter, "v1")],
            preferences: new ContactPreferences { ChannelRanking = [first] });

    public static MessageRenderer Renderer(QuestionBank? bank, TimeProvider time)
    {
        var delivery = DeliveryFixture.Options();
        var composer = DeliveryFixture.Composer(delivery, time);
        return new MessageRenderer(composer, new ConsentReasons(delivery), ChannelRegistry.Default, delivery, new SendingOptions { Questions = bank }, time);
    }

    public static async Task<Setup> SetUpAsync(params CustomerProfile[] customers)
    {
        var time = new ManualTimeProvider(Now);
        var engine = DecisionKit.Engine();
        var catalog = Catalog(engine);
        var content = MessageTemplates.CompileOrThrow(catalog, new SendingKit.MemoryLoader(Templates()));
        var store = new InMemoryPersonalizeStore();
        Assert.True((await store.ImportCustomersAsync(customers)).Succeeded);
        var sink = new InMemorySink();
        var bank = Bank();
        var runner = new SendRunner(engine, Renderer(bank, time), new SinkWriter(sink, new SinkRetryPolicy(1, TimeSpan.Zero), TimeProvider.System), new SendingOptions { Questions = bank }, time);
        return new Setup(store, sink, runner, engine, catalog, content, bank, new ProfilingAnswers(bank, store, time), time);
    }

    internal sealed record Setup(InMemoryPersonalizeStore Store, InMemorySink Sink, SendRunner Runner, DecisionEngine Engine, CompiledCatalog Catalog, CompiledTemplates Content, QuestionBank Bank, ProfilingAnswers Answers, ManualTimeProvider Time)
    {
        public SendRun Run(DateTimeOffset at, Trigger? trigger = null) => new(Catalog, Content, trigger ?? Trigger.Schedule()) { At = at };

        public List<OutgoingMessage> SentTo(string customerId) => Sink.Messages.Where(m => m.CustomerId == customerId).ToList();
    }
}
