using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Decisions;
using Personalize.Delivery;
using Personalize.Delivery.Sinks;
using Personalize.Eligibility;
using Personalize.Events;
using Personalize.Sending;
using Personalize.Storage;
using Personalize.Tests.Decisions;
using Personalize.Tests.Sending;
using static Personalize.Tests.Events.EventKit;

namespace Personalize.Tests.Events;

/// <summary>Delivery events (bounces, complaints, unsubscribes) ingested as events: what later sends see.</summary>
public sealed class DeliveryEventTests
{
    private static readonly DateTimeOffset Now = SendingKit.Now;

    [Fact]
    public async Task A_hard_bounce_suppresses_later_email_with_its_code_and_other_customers_still_get_theirs()
    {
        var (store, sink, runner, run, engine) = await SetUpAsync(EmailOnly);
        var email = (await store.GetCustomerAsync("c-0000"))!.Profile.ContactPoints.Email!;

        var ingested = await new EventIngestor().IngestAsync(Stream([Bounce("b-1", "c-0000", "hard", email)]), store, Now);
        var summary = await runner.RunAsync(run, store);

        Assert.Equal(1, ingested.Applied);
        Assert.Equal(SuppressionReasons.HardBounce, (await store.FindSuppressionAsync(ContactPointKind.Email, email.ToUpperInvariant()))!.Reason);
        Assert.DoesNotContain(sink.Messages, m => m.CustomerId == "c-0000");
        Assert.Contains(sink.Messages, m => m.CustomerId == "c-0001" && m.Channel == Channel.Email);
        Assert.Equal(1, summary.Totals.Suppressed[EligibilityCodes.ContactPointSuppressed]);
        Assert.False(summary.Totals.Suppressed.ContainsKey(DecisionCodes.NoChannelAllowed));
        var bounced = (await store.GetCustomerAsync("c-0000"))!.Profile;
        var channel = Assert.Single(engine.Decide(run.Catalog, bounced, Trigger.Tick, Now, DecisionDetail.All).Candidates[0].Channels);
        Assert.Equal((EligibilityCodes.ContactPointSuppressed, ChannelStatus.Blocked), (channel.Code, channel.Status));
        Assert.Equal((email.ToLowerInvariant(), "b-1"), (bounced.Facts.ValueOf("suppressed.email"), bounced.Facts["suppressed.email"].EventId));
        Assert.Equal("hard", bounced.Facts.ValueOf("delivery.email.last_bounce"));
    }

    [Fact]
    public async Task Soft_bounces_suppress_only_at_the_limit_in_a_row_and_a_delivery_starts_the_count_again()
    {
        var (store, _, _, _, _) = await SetUpAsync();
        var email = (await store.GetCustomerAsync("c-0000"))!.Profile.ContactPoints.Email!;
        var ingestor = new EventIngestor();

        var events = Enumerable.Range(1, 4).Select(i => Bounce("s-" + i, "c-0000", "soft", email, Now.AddDays(-10 + i))).ToList();
        events.Add(Event("d-1", "c-0000", DeliveryEvents.Delivered, Now.AddDays(-5), """{"channel":"email"}"""));
        events.AddRange(Enumerable.Range(5, 4).Select(i => Bounce("s-" + i, "c-0000", "soft", email, Now.AddDays(-10 + i))));
        await ingestor.IngestAsync(Stream(events), store, Now);

        Assert.Null(await store.FindSuppressionAsync(ContactPointKind.Email, email));
        Assert.Equal(4L, (await store.GetCustomerAsync("c-0000"))!.Profile.Facts.ValueOf("delivery.email.soft_bounces"));

        await ingestor.IngestAsync(Stream([Bounce("s-9", "c-0000", "soft", email, Now.AddHours(-1))]), store, Now);

        Assert.Equal(SuppressionReasons.SoftBounceLimit, (await store.FindSuppressionAsync(ContactPointKind.Email, email))!.Reason);
    }

    [Fact]
    public async Task A_complaint_withdraws_marketing_email_with_evidence_once_and_service_email_still_goes()
    {
        var (store, sink, runner, run, engine) = await SetUpAsync(b => b
            .Add("tips", m => m.Marketing().Topics("gardening").OnSchedule().Channel(Channel.Email, "tips/email"))
            .Add("notice", m => m.Service().OnEvent("account_changed").Channel(Channel.Email, "notice/email")));
        var complaint = Event("x-1", "c-0000", DeliveryEvents.Complained, Now.AddHours(-3), """{"channel":"email","provider":"acme-mail"}""");
        var ingestor = new EventIngestor();

        await ingestor.IngestAsync(Stream([complaint]), store, Now);
        var again = await ingestor.IngestAsync(Stream([complaint]), store, Now);
        await runner.RunAsync(run, store);
        await runner.IngestAsync(new EventRun(run.Catalog, run.Templates) { At = Now }, Stream([Event("a-1", "c-0000", "account_changed", Now)]), store);

        var profile = (await store.GetCustomerAsync("c-0000"))!.Profile;
        var withdrawal = Assert.Single(profile.Consents.Records, r => r.Action == ConsentAction.Withdraw);
        Assert.Equal(ConsentScope.ForChannel(Channel.Email, ContactPurpose.Marketing), withdrawal.Scope);
        Assert.Equal((Now.AddHours(-3), ConsentSourceKind.Channel, "spam complaint via acme-mail (event x-1)"), (withdrawal.RecordedAt, withdrawal.Source.Kind, withdrawal.Source.Detail));
        Assert.Equal(1, again.Duplicates);
        var tips = engine.Decide(run.Catalog, profile, Trigger.Tick, Now, DecisionDetail.All).Candidates.Single(c => c.MessageId == "tips");
        var channel = Assert.Single(tips.Channels);
        Assert.Equal(EligibilityCodes.ConsentWithdrawn, channel.Code);
        Assert.Contains("spam complaint via acme-mail (event x-1)", channel.Reason, StringComparison.Ordinal);
        var notice = Assert.Single(sink.Messages, m => m.CustomerId == "c-0000");
        Assert.Equal("notice", notice.MessageId);
    }

    [Fact]
    public async Task Consent_evidence_appended_before_a_crash_is_not_appended_again()
    {
        var (store, _, _, _, _) = await SetUpAsync();
        var crashing = new CrashOnFirstRecord(store);
        var unsubscribe = Event("u-1", "c-0001", DeliveryEvents.Unsubscribed, Now.AddHours(-1), """{"channel":"sms","provider":"acme-sms"}""");

        await Assert.ThrowsAsync<IOException>(() => new EventIngestor().IngestAsync(Stream([unsubscribe]), crashing, Now));
        var second = await new EventIngestor().IngestAsync(Stream([unsubscribe]), crashing, Now);

        Assert.Equal(1, second.Applied);
        var withdrawal = Assert.Single((await store.GetCustomerAsync("c-0001"))!.Profile.Consents.Records, r => r.Action == ConsentAction.Withdraw);
        Assert.Equal(ConsentScope.ForChannel(Channel.Sms, ContactPurpose.Marketing), withdrawal.Scope);
        Assert.Equal("unsubscribe via acme-sms (event u-1)", withdrawal.Source.Detail);
    }

    private static CustomerEvent Bounce(string id, string customer, string kind, string recipient, DateTimeOffset? at = null)
        => Event(id, customer, DeliveryEvents.Bounced, at ?? Now.AddHours(-1), $$"""{"channel":"email","bounce":"{{kind}}","recipient":"{{recipient.ToUpperInvariant()}}","reason":"550 5.1.1 user unknown"}""");

    private static void EmailOnly(CatalogBuilder b) => b.Add("tips", m => m.Marketing().Topics("gardening").OnSchedule().Channel(Channel.Email, "tips/email"));

    private static async Task<(InMemoryPersonalizeStore Store, InMemorySink Sink, SendRunner Runner, SendRun Run, Personalize.Decisions.DecisionEngine Engine)> SetUpAsync(Action<CatalogBuilder>? configure = null)
    {
        var engine = DecisionKit.Engine();
        var catalog = configure is null ? SendingKit.Catalog(engine) : DecisionKit.Compile(engine, configure);
        var store = new InMemoryPersonalizeStore();
        // Each customer with an address of their own: the suppression list is per address, shared by every customer who has it.
        var customers = SendingKit.Customers(2).Select(c => c with { ContactPoints = c.ContactPoints with { Email = c.Id + "@example.com" } }).ToList();
        Assert.True((await store.ImportCustomersAsync(customers)).Succeeded);
        var sink = new InMemorySink();
        return (store, sink, SendingKit.Runner(sink, engine), new SendRun(catalog, SendingKit.Content(catalog), Trigger.Tick) { At = Now }, engine);
    }

    [Fact]
    public async Task An_address_listed_by_another_worker_after_the_decision_is_refused_when_the_send_is_recorded()
    {
        var (store, sink, runner, run, _) = await SetUpAsync(EmailOnly);
        var email = (await store.GetCustomerAsync("c-0000"))!.Profile.ContactPoints.Email!;

        // Another process bounces the address between this run's decision and its write: no fact of the customer says so.
        var racing = new SuppressBeforeFirstRecord(store, new SuppressionRequest(ContactPointKind.Email, email, SuppressionReasons.HardBounce, Now));
        var summary = await runner.RunAsync(run, racing);

        Assert.Equal(1, summary.Totals.Suppressed[EligibilityCodes.ContactPointSuppressed]);
        Assert.Equal(1, summary.Totals.TotalSent);
        Assert.DoesNotContain(sink.Messages, m => m.CustomerId == "c-0000");
        Assert.Contains(sink.Messages, m => m.CustomerId == "c-0001");
        Assert.Empty((await store.ReadDeliveriesAsync(new DeliveryQuery { CustomerId = "c-0000", Limit = 10 })).Items);
        Assert.Empty((await store.GetCustomerAsync("c-0000"))!.Profile.History.Records);
    }

    [Fact]
    public async Task A_deferred_send_to_an_address_listed_before_it_is_due_is_dropped_as_suppressed()
    {
        var (store, sink, runner, run, _) = await SetUpAsync(EmailOnly);
        var email = (await store.GetCustomerAsync("c-0000"))!.Profile.ContactPoints.Email!;
        var trigger = Trigger.Tick.ToString();
        var key = IdempotencyKey.Create(trigger, "c-0000", "tips", Now);
        Assert.True((await store.RecordAsync(new SendBatch
        {
            Customers = [new CustomerSends { CustomerId = "c-0000", Scheduled = [new ScheduledSend { IdempotencyKey = key, CustomerId = "c-0000", MessageId = "tips", Channel = Channel.Email, Template = "tips/email", Trigger = trigger, Purpose = ContactPurpose.Marketing, Kind = MessageKind.Give, DueAt = Now, DecidedAt = Now.AddHours(-1) }] }],
        })).Customers[0].Status == WriteStatus.Written);
        await store.SuppressAsync([new SuppressionRequest(ContactPointKind.Email, email.ToUpperInvariant(), SuppressionReasons.Manual, Now)]);

        var summary = await runner.SendDueAsync(new DueRun(run.Catalog, run.Templates) { At = Now }, store);

        Assert.Equal(1, summary.Totals.Suppressed[EligibilityCodes.ContactPointSuppressed]);
        Assert.Empty(sink.Messages);
        var dropped = Assert.Single((await store.ReadScheduledSendsAsync(new ScheduledSendQuery { CustomerId = "c-0000", State = null, Limit = 10 })).Items);
        Assert.Equal((ScheduledSendState.Dropped, EligibilityCodes.ContactPointSuppressed), (dropped.State, dropped.Reason));
    }

    /// <summary>Another worker lists a contact point just before this process's first write of sends.</summary>
    private sealed class SuppressBeforeFirstRecord(IPersonalizeStore store, SuppressionRequest request) : Personalize.Storage.Contract.DelegatingStore(store)
    {
        private int _records;

        public override async ValueTask<SendBatchResult> RecordAsync(SendBatch batch, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _records) == 1)
            {
                await SuppressAsync([request], cancellationToken);
            }

            return await base.RecordAsync(batch, cancellationToken);
        }
    }

    /// <summary>The process dies at its first write of events (after the consent evidence was appended).</summary>
    private sealed class CrashOnFirstRecord(IPersonalizeStore inner) : Personalize.Storage.Contract.DelegatingStore(inner)
    {
        private int _records;

        public override ValueTask<SendBatchResult> RecordAsync(SendBatch batch, CancellationToken cancellationToken = default)
            => Interlocked.Increment(ref _records) == 1 ? throw new IOException("killed") : base.RecordAsync(batch, cancellationToken);
    }
}
