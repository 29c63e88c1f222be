using System.Globalization;
using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Decisions;
using Personalize.Delivery;
using Personalize.Delivery.Sinks;
using Personalize.Sending;
using Personalize.Storage;
using Personalize.Storage.Contract;
using Personalize.Testing;

namespace Personalize.PostgreSql.Tests;

/// <summary>
/// Decisions for one customer are serialised across processes: an event-triggered send and a campaign send for the
/// same customer, through two store objects on one schema (as two processes would be), never both pass the same cap.
/// </summary>
public sealed class OneCustomerAtATimeTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 3, 11, 10, 0, 0, TimeSpan.Zero);
    private readonly string _schema = PostgresServer.NewSchema();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => PostgresServer.DropAsync([_schema]);

    [PostgresFact]
    public async Task A_campaign_send_decided_before_an_event_send_was_recorded_is_decided_again_and_capped()
    {
        const int count = 12;
        await using var eventProcess = await PostgreSqlPersonalizeStore.OpenAsync(PostgresServer.Options(_schema));
        await using var campaignProcess = await PostgreSqlPersonalizeStore.OpenAsync(PostgresServer.Options(_schema));
        Assert.True((await eventProcess.ImportCustomersAsync(Enumerable.Range(0, count).Select(Customer).ToList())).Succeeded);
        var (eventRunner, eventSink) = Runner(pageSize: 5);
        var (campaignRunner, sink) = Runner(pageSize: 5);
        SendRunSummary? eventSummary = null;

        // The campaign run reads and decides its first page; just before it records it, the event run (the other
        // process) sends to every customer. The campaign's first page was decided on versions that are now stale.
        var campaignStore = new BeforeFirstRecord(campaignProcess, async () => eventSummary = await eventRunner.RunAsync(Run(Trigger.Event("back_in_stock")), eventProcess));
        var campaign = await campaignRunner.RunAsync(Run(Trigger.Campaign("spring_sale")), campaignStore);

        Assert.Equal(count, eventSummary!.Totals.TotalSent);
        Assert.Equal(0, campaign.Totals.TotalSent);
        Assert.Equal(count, campaign.Totals.Suppressed[DecisionCodes.NoChannelAllowed]); // e-mail, the one channel, is capped
        Assert.Equal(0, campaign.Totals.Errors);
        Assert.Equal(0, sink.Count);
        Assert.Equal(count, eventSink.Count);
        await AssertOneSendPerCustomerAsync(eventProcess, count);

        // It was the cap: a day later the window has passed and the campaign reaches everyone.
        var dayLater = await campaignRunner.RunAsync(Run(Trigger.Campaign("spring_sale")) with { At = Now.AddDays(1) }, campaignProcess);
        Assert.Equal(count, dayLater.Totals.TotalSent);
    }

    [PostgresFact]
    public async Task An_event_run_and_a_campaign_run_at_once_in_two_store_objects_send_each_customer_exactly_one_message()
    {
        const int count = 600;
        await using var eventProcess = await PostgreSqlPersonalizeStore.OpenAsync(PostgresServer.Options(_schema));
        await using var campaignProcess = await PostgreSqlPersonalizeStore.OpenAsync(PostgresServer.Options(_schema));
        Assert.True((await eventProcess.ImportCustomersAsync(Enumerable.Range(0, count).Select(Customer).ToList())).Succeeded);
        var (eventRunner, eventSink) = Runner(pageSize: 7);
        var (campaignRunner, campaignSink) = Runner(pageSize: 11);

        // Both runs go over the same customers at the same time, in pages of different sizes, so their pages overlap.
        var runs = await Task.WhenAll(
            Task.Run(() => eventRunner.RunAsync(Run(Trigger.Event("back_in_stock")), eventProcess)),
            Task.Run(() => campaignRunner.RunAsync(Run(Trigger.Campaign("spring_sale")), campaignProcess)));

        Assert.All(runs, r => Assert.Equal(0, r.Totals.Errors));
        Assert.Equal(count, runs.Sum(r => r.Totals.TotalSent));
        Assert.Equal(count, runs.Sum(r => r.Totals.Suppressed.GetValueOrDefault(DecisionCodes.NoChannelAllowed)));
        Assert.Equal(count, eventSink.Count + campaignSink.Count);
        Assert.Equal(count, eventSink.Messages.Concat(campaignSink.Messages).Select(m => m.CustomerId).Distinct().Count());
        await AssertOneSendPerCustomerAsync(campaignProcess, count);
    }

    [PostgresFact]
    public async Task Two_processes_running_one_campaign_run_at_once_send_each_customer_one_message_under_its_pages_tag()
    {
        // No caps: only the keys (their page tags, ADR 0077) keep the second process from sending again.
        const int count = 600;
        await using var one = await PostgreSqlPersonalizeStore.OpenAsync(PostgresServer.Options(_schema));
        await using var two = await PostgreSqlPersonalizeStore.OpenAsync(PostgresServer.Options(_schema));
        Assert.True((await one.ImportCustomersAsync(Enumerable.Range(0, count).Select(i => Customer(i) with { Preferences = new ContactPreferences() }).ToList())).Succeeded);
        var (first, firstSink) = Runner(pageSize: 7);
        var (second, secondSink) = Runner(pageSize: 11);

        var runs = await Task.WhenAll(
            Task.Run(() => first.RunAsync(Run(Trigger.Campaign("spring_sale")), one)),
            Task.Run(() => second.RunAsync(Run(Trigger.Campaign("spring_sale")), two)));

        // One key per customer across both sinks (a message the other process had recorded but not yet marked delivered
        // can be handed over again by this one's recovery, under the same key, which sinks keep once).
        Assert.All(runs, r => Assert.Equal(0, r.Totals.Errors));
        var sent = firstSink.Messages.Concat(secondSink.Messages).DistinctBy(m => m.IdempotencyKey).ToList();
        Assert.Equal(count, sent.Count);
        Assert.Equal(count, sent.Select(m => m.CustomerId).Distinct().Count());
        await AssertOneSendPerCustomerAsync(one, count);
        var pages = await one.ReadRunPagesAsync(runs[0].RunId!);
        Assert.All(pages.Zip(pages.Skip(1)), pair => Assert.False(pair.First.Overlaps(pair.Second)));
        Assert.All(firstSink.Messages.Concat(secondSink.Messages), m => Assert.Equal(Assert.Single(pages, p => p.Contains(m.CustomerId)).Tag, IdempotencyKey.TagOf(m.IdempotencyKey)));
    }

    /// <summary>Every customer has exactly one message in the delivery log and one in the contact history.</summary>
    private static async Task AssertOneSendPerCustomerAsync(IPersonalizeStore store, int count)
    {
        var log = new List<DeliveryRecord>();
        string? token = null;
        do
        {
            var page = await store.ReadDeliveriesAsync(new DeliveryQuery { Limit = 1_000, ContinueAfter = token });
            log.AddRange(page.Items);
            token = page.ContinueAfter;
        }
        while (token is not null);

        Assert.Equal(count, log.Count);
        Assert.Equal(count, log.Select(d => d.CustomerId).Distinct().Count());
        var customers = await store.GetCustomersAsync(Enumerable.Range(0, count).Select(Id).ToList());
        Assert.Equal(count, customers.Count);
        Assert.All(customers, c => Assert.Single(c.Profile.History.Records));
    }

    private static SendRun Run(Trigger trigger) => new(Catalog, Content, trigger) { At = Now };

    /// <summary>A marketing message for the event and one for the campaign; each customer allows one message a day.</summary>
    private static readonly CompiledCatalog Catalog = MessageCatalog.CreateBuilder()
        .Add("back_in_stock", m => m.Marketing().OnEvent("back_in_stock").DropWhenBlocked().Channel(Channel.Email, "stock/email"))
        .Add("spring_sale", m => m.Marketing().OnCampaign("spring_sale").DropWhenBlocked().Channel(Channel.Email, "sale/email"))
        .Build()
        .Compile(new CatalogValidationOptions { Channels = ChannelRegistry.Default });

    private static readonly CompiledTemplates Content = MessageTemplates.CompileOrThrow(Catalog, new MemoryTemplates(new Dictionary<string, string>
    {
        ["stock/email.subject.sbn"] = "Roses are back, {{ customer.id }}",
        ["stock/email.text.sbn"] = "The roses you asked about are back.\nUnsubscribe: {{ links.unsubscribe }}",
        ["sale/email.subject.sbn"] = "Spring sale",
        ["sale/email.text.sbn"] = "20% off seeds this week.\nUnsubscribe: {{ links.unsubscribe }}",
    }));

    private static string Id(int i) => "c-" + i.ToString("D4", CultureInfo.InvariantCulture);

    private static CustomerProfile Customer(int i) => new()
    {
        Id = Id(i),
        ContactPoints = new ContactPoints { Email = $"c{i}@example.com" },
        Preferences = new ContactPreferences { FrequencyCaps = [new FrequencyCap { Max = 1, Period = CapPeriod.Day }] },
        Consents = new ConsentLedger([ConsentRecord.Grant(ConsentScope.ForChannel(Channel.Email), Now.AddDays(-30), ConsentSource.Form("preference center"), "v1")]),
    };

    private static (SendRunner Runner, InMemorySink Sink) Runner(int pageSize)
    {
        var sink = new InMemorySink();
        return (SendHost.Create(Now, sink, pageSize).Runner, sink);
    }

    /// <summary>A store object that lets another process act once, just before its first page of sends is recorded.</summary>
    private sealed class BeforeFirstRecord(IPersonalizeStore inner, Func<Task> interfere) : DelegatingStore(inner)
    {
        private int _done;

        public override async ValueTask<SendBatchResult> RecordAsync(SendBatch batch, CancellationToken cancellationToken = default)
        {
            if (batch.Customers.Count > 0 && Interlocked.Exchange(ref _done, 1) == 0)
            {
                await interfere();
            }

            return await Inner.RecordAsync(batch, cancellationToken);
        }
    }
}
