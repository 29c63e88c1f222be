using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Delivery.Sinks;
using Personalize.Events;
using Personalize.Journeys;
using Personalize.Sending;
using Personalize.Storage;
using Personalize.Tests.Decisions;
using Personalize.Tests.Sending;
using static Personalize.Tests.Events.EventKit;

namespace Personalize.Tests.Journeys;

/// <summary>A catalog of journey messages, a store, a sink and a runner: what every journey test needs.</summary>
internal sealed class JourneyKit
{
    /// <summary>Wednesday 11 March 2026, 10:00 UTC (11:00 in Berlin).</summary>
    public static readonly DateTimeOffset T0 = DecisionKit.Now;

    private JourneyKit(InMemoryPersonalizeStore store, InMemorySink sink, SendRunner runner, CompiledCatalog catalog, CompiledTemplates templates)
    {
        Store = store;
        Sink = sink;
        Runner = runner;
        Catalog = catalog;
        Templates = templates;
    }

    public InMemoryPersonalizeStore Store { get; }

    public InMemorySink Sink { get; }

    public SendRunner Runner { get; }

    public CompiledCatalog Catalog { get; }

    public CompiledTemplates Templates { get; }

    public static Dictionary<string, string> TemplateFiles() => new(StringComparer.Ordinal)
    {
        ["call/phone.greeting.sbn"] = "Hello {{ customer.first_name ?? \"there\" }}, thank you for staying with us.",
        ["call/phone.points.sbn"] = "- Thank them for renewing last year",
        ["reminder/email.subject.sbn"] = "Your renewal",
        ["reminder/email.text.sbn"] = "Your policy renews soon.\n{{ why }}",
        ["reminder/sms.body.sbn"] = "Your policy renews soon.",
        ["promo/email.subject.sbn"] = "Add travel cover",
        ["promo/email.text.sbn"] = "Travel cover at 10% off.\n{{ why }}\nUnsubscribe: {{ links.unsubscribe }}",
        ["welcome_back/email.subject.sbn"] = "Thank you for renewing",
        ["welcome_back/email.text.sbn"] = "Thank you.\n{{ why }}",
    };

    public static void Messages(CatalogBuilder b) => b
        .Add("call", m => m.Relationship().On(Trigger.Journey("renewal")).Channel(Channel.Phone, "call/phone"))
        .Add("reminder", m => m.Service().On(Trigger.Journey("renewal")).Channel(Channel.Email, "reminder/email").Channel(Channel.Sms, "reminder/sms"))
        .Add("promo", m => m.Marketing().On(Trigger.Journey("renewal")).Channel(Channel.Email, "promo/email"))
        .Add("welcome_back", m => m.Relationship().On(Trigger.Journey("renewal")).Channel(Channel.Email, "welcome_back/email"));

    public static Task<JourneyKit> CreateAsync(params CustomerProfile[] customers) => CreateAsync(null, customers);

    /// <summary>The kit with the runner's options changed (e.g. its page size).</summary>
    public static async Task<JourneyKit> CreateAsync(Action<SendingOptions>? options, params CustomerProfile[] customers)
    {
        var engine = DecisionKit.Engine();
        var catalog = DecisionKit.Compile(engine, Messages);
        var templates = SendingKit.Content(catalog, TemplateFiles());
        var store = new InMemoryPersonalizeStore();
        Assert.True((await store.ImportCustomersAsync(customers)).Succeeded);
        var sink = new InMemorySink();
        return new JourneyKit(store, sink, SendingKit.Runner(sink, engine, options), catalog, templates);
    }

    /// <summary>A customer with email, SMS and phone consent (Berlin), ranking email first.</summary>
    public static CustomerProfile Customer(string id, IEnumerable<ConsentRecord>? consents = null, ContactPreferences? preferences = null, ServiceFlags? flags = null)
        => DecisionKit.Customer(id: id, consents: consents ?? [DecisionKit.Grant(Channel.Email), DecisionKit.Grant(Channel.Sms), DecisionKit.Grant(Channel.Phone)], preferences: preferences, flags: flags);

    public JourneySet Set(params JourneyDefinition[] journeys) => JourneySet.Create(journeys, Catalog);

    public Task<EventIngestionSummary> IngestAsync(JourneySet journeys, DateTimeOffset at, params CustomerEvent[] events)
        => Runner.IngestAsync(new EventRun(Catalog, Templates) { At = at, Journeys = journeys }, Stream(events), Store);

    public Task<JourneySummary> AdvanceAsync(JourneySet journeys, DateTimeOffset at, IPersonalizeStore? store = null)
        => Runner.AdvanceJourneysAsync(new JourneyRun(journeys, Templates) { At = at }, store ?? Store);

    public async Task<JourneyInstance> InstanceAsync(string customerId, string journeyId = "renewal")
        => (await Store.ReadJourneysAsync(new JourneyQuery { CustomerId = customerId, JourneyId = journeyId })).Items.Single();

    public async Task<IReadOnlyList<JourneyInstance>> InstancesAsync(string customerId)
        => (await Store.ReadJourneysAsync(new JourneyQuery { CustomerId = customerId })).Items;

    /// <summary>The history as <c>step:outcome</c>, entry left out.</summary>
    public static string[] Steps(JourneyInstance instance) => instance.History.Skip(1).Select(static h => h.StepId + ":" + h.Outcome).ToArray();

    public string[] Sent() => Sink.Messages.Select(static m => m.CustomerId + ":" + m.MessageId + ":" + m.Channel).ToArray();
}
