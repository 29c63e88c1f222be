using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Customers;
using Personalize.Decisions;
using Personalize.Delivery.Sinks;
using Personalize.Events;
using Personalize.Sending;
using Personalize.Storage;
using Personalize.Tests.Decisions;
using Personalize.Tests.Sending;
using static Personalize.Tests.Events.EventKit;

namespace Personalize.Tests.Events;

/// <summary>Events answered through the decision rules: event.* in templates and conditions, once per event, deferred with the event.</summary>
public sealed class EventTriggerTests
{
    private static readonly DateTimeOffset Now = SendingKit.Now; // 11:00 in Berlin

    private static Dictionary<string, string> Templates() => new(SendingKit.Templates(), StringComparer.Ordinal)
    {
        ["shipped/sms.body.liquid"] = "Order {{ event.data.order_number }} is on its way: {{ event.data.tracking_url }}",
        ["shipped/email.subject.sbn"] = "Your order {{ event.data.order_number }} shipped",
        ["shipped/email.text.sbn"] = "Track it: {{ event.data.tracking_url }} ({{ event.type }}, {{ event.id }})",
        ["welcome-adoption/email.subject.sbn"] = "Welcome aboard",
        ["welcome-adoption/email.text.sbn"] = "Thanks for your first order {{ event.data.order_number }}.",
    };

    [Fact]
    public async Task An_order_shipped_event_sends_the_order_number_and_tracking_link_once_however_often_it_is_ingested()
    {
        var (store, sink, runner, run) = await SetUpAsync();
        var shipped = Event("s-1", "c-0001", "order_shipped", Now.AddMinutes(-5), """{"order_number":"A-1001","tracking_url":"https://track.example/A-1001"}""");

        var first = await runner.IngestAsync(run, Stream([shipped]), store);
        var again = await runner.IngestAsync(run with { At = Now.AddMinutes(10) }, Stream([shipped]), store);

        var message = Assert.Single(sink.Messages);
        Assert.Equal(Channel.Sms, message.Channel);
        Assert.Equal("Order A-1001 is on its way: https://track.example/A-1001", ((Personalize.Channels.Sms.SmsContent)message.Content).Body);
        Assert.Equal("event:order_shipped@s-1", message.Trigger);
        Assert.Equal((1L, 1L), (first.Applied, first.Sends!.TotalSent));
        Assert.Equal((0L, 1L, 0L), (again.Applied, again.Duplicates, again.Sends!.TotalSent));
        Assert.Equal("A-1001", (await store.GetCustomerAsync("c-0001"))!.Profile.Facts.ValueOf(FactNames.LastShippedOrder));
    }

    [Fact]
    public async Task Conditions_see_the_event_and_a_service_message_still_needs_consent()
    {
        var (store, sink, runner, run) = await SetUpAsync(
            b => b.Add("shipped", m => m.Service().OnEvent("order_shipped").When("event.data.express == true").Channel(Channel.Sms, "shipped/sms")),
            customers: [SendingKit.Customer(1, first: Channel.Sms), SendingKit.Customer(2, first: Channel.Sms) with { Preferences = new ContactPreferences { ChannelRanking = [Channel.Sms] }, Consents = new Personalize.Consent.ConsentLedger([Personalize.Consent.ConsentRecord.Withdraw(Personalize.Consent.ConsentScope.ForChannel(Channel.Sms), DecisionKit.LongAgo, DecisionKit.PreferenceCenter)]) }]);

        var summary = await runner.IngestAsync(run, Stream([
            Event("s-1", "c-0001", "order_shipped", Now, """{"order_number":"A-1","express":true}"""),
            Event("s-2", "c-0001", "order_shipped", Now, """{"order_number":"A-2","express":false}"""),
            Event("s-3", "c-0002", "order_shipped", Now, """{"order_number":"A-3","express":true}"""),
        ]), store);

        Assert.Equal(["Order A-1 is on its way:"], sink.Messages.Select(m => ((Personalize.Channels.Sms.SmsContent)m.Content).Body));
        Assert.Equal(3, summary.Triggered);
        Assert.Equal(2, summary.Sends!.Suppressed.Values.Sum());
    }

    [Fact]
    public async Task Conditions_see_the_facts_the_event_just_updated()
    {
        var (store, sink, runner, run) = await SetUpAsync(
            b => b.Add("thanks-again", m => m.Relationship().OnEvent("order_placed").When("customer.facts.order_count >= 2").Channel(Channel.Email, "welcome-adoption/email")));

        await runner.IngestAsync(run, Stream([Event("o-1", "c-0001", "order_placed", Now.AddHours(-2), """{"order_number":"A-1"}""")]), store);
        Assert.Equal(0, sink.Count);
        await runner.IngestAsync(run, Stream([Event("o-2", "c-0001", "order_placed", Now.AddHours(-1), """{"order_number":"A-2"}""")]), store);

        Assert.Equal("event:order_placed@o-2", Assert.Single(sink.Messages).Trigger);
    }

    [Fact]
    public async Task A_first_order_moves_the_stage_and_triggers_stage_adoption_with_the_event()
    {
        var (store, sink, runner, run) = await SetUpAsync(
            b => b.Add("welcome-adoption", m => m.Relationship().On(Trigger.Stage(LifecycleStage.Adoption)).Channel(Channel.Email, "welcome-adoption/email")),
            customers: [SendingKit.Customer(1) with { Stage = LifecycleStage.Exposure }]);

        var summary = await runner.IngestAsync(run, Stream([Event("o-1", "c-0001", "order_placed", Now, """{"order_number":"A-7"}""")]), store);

        Assert.Equal(1, summary.StageChanges);
        var message = Assert.Single(sink.Messages);
        Assert.Equal(("welcome-adoption", "stage:adoption@o-1"), (message.MessageId, message.Trigger));
        Assert.Contains("first order A-7", ((Personalize.Channels.Email.EmailContent)message.Content).TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_deferred_by_quiet_hours_keeps_its_event_for_the_due_pass()
    {
        var night = new DateTimeOffset(2026, 3, 11, 22, 0, 0, TimeSpan.Zero); // 23:00 in Berlin
        var quiet = SendingKit.Customer(1, first: Channel.Sms) with { Preferences = new ContactPreferences { ChannelRanking = [Channel.Sms], QuietHours = DecisionKit.Window(21, 0, 8, 0) } };
        var (store, sink, runner, run) = await SetUpAsync(customers: [quiet]);

        var summary = await runner.IngestAsync(run with { At = night }, Stream([Event("s-9", "c-0001", "order_shipped", night.AddMinutes(-1), """{"order_number":"N-9","tracking_url":"https://t.example/N-9"}""")]), store);
        Assert.Equal((0L, 1L), (summary.Sends!.TotalSent, summary.Sends.Deferred));

        var due = await runner.SendDueAsync(new DueRun(run.Catalog, run.Templates) { At = new DateTimeOffset(2026, 3, 12, 7, 0, 0, TimeSpan.Zero) }, store);

        Assert.Equal(1, due.Totals.TotalSent);
        Assert.Equal("Order N-9 is on its way: https://t.example/N-9", ((Personalize.Channels.Sms.SmsContent)Assert.Single(sink.Messages).Content).Body);
    }

    [Fact]
    public async Task An_event_older_than_the_trigger_age_updates_facts_but_sends_nothing()
    {
        var (store, sink, runner, run) = await SetUpAsync();

        var summary = await runner.IngestAsync(run, Stream([Event("s-old", "c-0001", "order_shipped", Now.AddDays(-10), """{"order_number":"OLD"}""")]), store);

        Assert.Equal((1L, 1L, 0L), (summary.Applied, summary.TooOldToTrigger, summary.Triggered));
        Assert.Equal(0, sink.Count);
        Assert.Equal("OLD", (await store.GetCustomerAsync("c-0001"))!.Profile.Facts.ValueOf(FactNames.LastShippedOrder));
    }

    private static async Task<(InMemoryPersonalizeStore Store, InMemorySink Sink, SendRunner Runner, EventRun Run)> SetUpAsync(Action<CatalogBuilder>? configure = null, CustomerProfile[]? customers = null)
    {
        var engine = DecisionKit.Engine();
        var catalog = DecisionKit.Compile(engine, configure ?? (b => b.Add("shipped", m => m.Service().OnEvent("order_shipped").Channel(Channel.Sms, "shipped/sms").Channel(Channel.Email, "shipped/email"))));
        var content = SendingKit.Content(catalog, Templates());
        var store = new InMemoryPersonalizeStore();
        Assert.True((await store.ImportCustomersAsync(customers ?? [SendingKit.Customer(1, first: Channel.Sms)])).Succeeded);
        var sink = new InMemorySink();
        return (store, sink, SendingKit.Runner(sink, engine), new EventRun(catalog, content) { At = Now });
    }
}
