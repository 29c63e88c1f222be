using Personalize.Customers;
using Personalize.Events;
using Personalize.Storage;
using Personalize.Tests.Decisions;
using static Personalize.Tests.Events.EventKit;

namespace Personalize.Tests.Events;

/// <summary>Each built-in mapping, duplicates, out-of-order events, host mappings and the lifecycle rules, through <see cref="EventIngestor"/> and the in-memory store.</summary>
public sealed class FactMappingTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Later = new(2026, 3, 20, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Order_placed_counts_orders_and_value_and_sets_first_and_last_purchase_with_the_order_number()
    {
        var facts = await FactsAfterAsync(
            Event("o-1", "c-1", "order_placed", T0, """{"order_number":"A-1","total":20.50}"""),
            Event("o-2", "c-1", "order_placed", T0.AddDays(2), """{"order_number":"A-2","total":9.50}"""));

        Assert.Equal(2L, facts.ValueOf(FactNames.OrderCount));
        Assert.Equal(30.00m, facts.ValueOf(FactNames.TotalValue));
        Assert.Equal(T0, facts.InstantOf(FactNames.FirstPurchaseAt));
        Assert.Equal(T0.AddDays(2), facts.InstantOf(FactNames.LastPurchaseAt));
        Assert.Equal("A-2", facts.ValueOf(FactNames.LastOrderNumber));
        Assert.Equal("o-2", facts[FactNames.LastOrderNumber].EventId);
        Assert.Equal(T0.AddDays(2), facts.InstantOf(FactNames.LastActivityAt));
    }

    [Fact]
    public async Task Shipped_and_delivered_keep_the_order_and_tracking_link()
    {
        var facts = await FactsAfterAsync(
            Event("s-1", "c-1", "order_shipped", T0, """{"order_number":"A-1","tracking_url":"https://track.example/A1"}"""),
            Event("d-1", "c-1", "order_delivered", T0.AddDays(1), """{"order_number":"A-1"}"""));

        Assert.Equal(("A-1", "https://track.example/A1"), (facts.ValueOf(FactNames.LastShippedOrder), facts.ValueOf(FactNames.LastTrackingUrl)));
        Assert.Equal(("A-1", T0.AddDays(1)), (facts.ValueOf(FactNames.LastDeliveredOrder), facts.InstantOf(FactNames.LastDeliveredAt)));
    }

    [Fact]
    public async Task An_nps_answer_of_0_to_6_marks_a_detractor_until_a_later_answer_and_sets_the_service_flag()
    {
        var (store, ingestor) = await SetUpAsync();
        await ingestor.IngestAsync(Stream([Event("n-1", "c-1", "nps_answered", T0, """{"score":4}""")]), store, Later);
        var detractor = (await store.GetCustomerAsync("c-1"))!.Profile;

        await ingestor.IngestAsync(Stream([Event("n-2", "c-1", "nps_answered", T0.AddDays(5), """{"score":9}""")]), store, Later);
        var promoter = (await store.GetCustomerAsync("c-1"))!.Profile;

        Assert.Equal((4L, true, true), (detractor.Facts.ValueOf(FactNames.NpsScore), detractor.Facts.IsTrue(FactNames.NpsDetractor), detractor.ServiceFlags.IsDetractor));
        Assert.Equal((9L, false, false), (promoter.Facts.ValueOf(FactNames.NpsScore), promoter.Facts.IsTrue(FactNames.NpsDetractor), promoter.ServiceFlags.IsDetractor));
    }

    [Fact]
    public async Task Complaints_and_payments_open_and_close_their_service_flags()
    {
        var (store, ingestor) = await SetUpAsync();
        await ingestor.IngestAsync(Stream([Event("c-o", "c-1", "complaint_opened", T0), Event("p-f", "c-1", "payment_failed", T0)]), store, Later);
        var open = (await store.GetCustomerAsync("c-1"))!.Profile;
        await ingestor.IngestAsync(Stream([Event("c-r", "c-1", "complaint_resolved", T0.AddDays(1)), Event("p-r", "c-1", "payment_recovered", T0.AddDays(1))]), store, Later);
        var closed = (await store.GetCustomerAsync("c-1"))!.Profile;

        Assert.Equal((true, true, true), (open.ServiceFlags.OpenComplaint, open.ServiceFlags.FailedPayment, open.Facts.IsTrue(FactNames.OpenComplaint)));
        Assert.Equal((false, false), (closed.ServiceFlags.OpenComplaint, closed.ServiceFlags.FailedPayment));
        Assert.Equal((T0, T0.AddDays(1)), (closed.Facts.InstantOf(FactNames.ComplaintOpenedAt), closed.Facts.InstantOf(FactNames.ComplaintResolvedAt)));
        Assert.Equal(T0.AddDays(1), closed.Facts.InstantOf(FactNames.PaymentRecoveredAt));
    }

    [Fact]
    public async Task Renewal_address_activity_sign_up_and_preference_answers_have_their_facts()
    {
        var facts = await FactsAfterAsync(
            Event("r-d", "c-1", "renewal_due", T0, """{"due_date":"2026-04-01"}"""),
            Event("r-1", "c-1", "renewed", T0.AddDays(1)),
            Event("a-1", "c-1", "address_changed", T0.AddDays(2)),
            Event("u-1", "c-1", "signed_up", T0.AddDays(-30)),
            Event("l-1", "c-1", "login", T0.AddDays(3)),
            Event("v-1", "c-1", "visit", T0.AddDays(4)),
            Event("q-1", "c-1", "preference_answered", T0.AddDays(4), """{"question":"birthday","answer":"1990-02-28"}"""));

        Assert.Equal("2026-04-01T00:00:00Z", facts.ValueOf(FactNames.RenewalDueAt));
        Assert.Equal(1L, facts.ValueOf(FactNames.RenewalCount));
        Assert.Equal(T0.AddDays(2), facts.InstantOf(FactNames.AddressChangedAt));
        Assert.Equal(T0.AddDays(-30), facts.InstantOf(FactNames.SignedUpAt));
        Assert.Equal(T0.AddDays(4), facts.InstantOf(FactNames.LastActivityAt));
        Assert.Equal(T0.AddDays(3), facts.InstantOf(FactNames.PreviousActivityAt));
        Assert.Equal(4L, facts.ValueOf(FactNames.ActivityCount));
        Assert.Equal("1990-02-28", facts.ValueOf(FactNames.AnswerPrefix + "birthday"));
    }

    [Fact]
    public async Task The_same_event_twice_is_applied_once_in_one_stream_and_across_ingestions()
    {
        var (store, ingestor) = await SetUpAsync();
        var order = Event("o-1", "c-1", "order_placed", T0, """{"total":10}""");

        var first = await ingestor.IngestAsync(Stream([order, order]), store, Later);
        var second = await ingestor.IngestAsync(Stream([order]), store, Later);

        Assert.Equal((1L, 1L), (first.Applied, first.Duplicates));
        Assert.Equal((0L, 1L), (second.Applied, second.Duplicates));
        var facts = (await store.GetCustomerAsync("c-1"))!.Profile.Facts;
        Assert.Equal((1L, 10L), (facts.ValueOf(FactNames.OrderCount), facts.ValueOf(FactNames.TotalValue)));
    }

    [Fact]
    public async Task An_older_event_arriving_later_never_overwrites_a_newer_fact_but_still_counts()
    {
        var (store, ingestor) = await SetUpAsync();
        await ingestor.IngestAsync(Stream([Event("o-2", "c-1", "order_placed", T0.AddDays(5), """{"order_number":"NEW"}"""), Event("n-2", "c-1", "nps_answered", T0.AddDays(5), """{"score":10}"""), Event("c-2", "c-1", "complaint_resolved", T0.AddDays(5))]), store, Later);

        await ingestor.IngestAsync(Stream([Event("o-1", "c-1", "order_placed", T0, """{"order_number":"OLD"}"""), Event("n-1", "c-1", "nps_answered", T0, """{"score":2}"""), Event("c-1", "c-1", "complaint_opened", T0)]), store, Later);

        var profile = (await store.GetCustomerAsync("c-1"))!.Profile;
        Assert.Equal("NEW", profile.Facts.ValueOf(FactNames.LastOrderNumber));
        Assert.Equal(T0.AddDays(5), profile.Facts.InstantOf(FactNames.LastPurchaseAt));
        Assert.Equal(T0, profile.Facts.InstantOf(FactNames.FirstPurchaseAt));
        Assert.Equal(2L, profile.Facts.ValueOf(FactNames.OrderCount));
        Assert.Equal(10L, profile.Facts.ValueOf(FactNames.NpsScore));
        Assert.False(profile.ServiceFlags.OpenComplaint);
        Assert.False(profile.ServiceFlags.IsDetractor);
    }

    [Fact]
    public async Task Bad_events_are_rejected_with_their_position_and_code_and_the_rest_is_applied()
    {
        var (store, ingestor) = await SetUpAsync();
        var summary = await ingestor.IngestAsync(Stream([
            Event("ok", "c-1", "login", T0),
            Event("", "c-1", "login", T0),
            Event("t", "c-1", "bad type!", T0),
            Event("u", "nobody", "login", T0),
            Event("f", "c-1", "login", Later.AddDays(1)),
            Event("d", "c-1", "login", T0, "[1,2]"),
            Event("big", "c-1", "login", T0, "{\"x\":\"" + new string('x', 20_000) + "\"}"),
        ]), store, Later);

        Assert.Equal((7L, 1L, 6L), (summary.Received, summary.Applied, summary.RejectedCount));
        Assert.Equal(
            [(1L, EventCodes.InvalidId), (2L, EventCodes.InvalidType), (3L, EventCodes.UnknownCustomer), (4L, EventCodes.InFuture), (5L, EventCodes.DataNotObject), (6L, EventCodes.DataTooLarge)],
            summary.Rejected.Select(r => (r.Index, r.Code)));
        Assert.Equal(["ok"], (await store.ReadEventsAsync(new EventQuery())).Items.Select(e => e.Id));
    }

    [Fact]
    public async Task Data_larger_than_the_limit_in_utf8_bytes_is_rejected_also_when_it_has_fewer_characters()
    {
        // 20 characters of ASCII are 20 bytes; nine accented letters are 16 characters but 25 bytes.
        var (store, ingestor) = await SetUpAsync(new EventOptions { MaxDataBytes = 20 });
        var summary = await ingestor.IngestAsync(Stream([
            Event("ascii-20", "c-1", "login", T0, "{\"n\":\"abcdefghijkl\"}"),
            Event("ascii-21", "c-1", "login", T0, "{\"n\":\"abcdefghijklm\"}"),
            Event("accents", "c-1", "login", T0, "{\"n\":\"\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\"}"),
        ]), store, Later);

        Assert.Equal(
            [(1L, EventCodes.DataTooLarge), (2L, EventCodes.DataTooLarge)],
            summary.Rejected.Select(r => (r.Index, r.Code)));
        Assert.Equal(["ascii-20"], (await store.ReadEventsAsync(new EventQuery())).Items.Select(e => e.Id));
    }

    [Fact]
    public async Task A_host_mapping_adds_its_own_facts_and_a_failing_one_rejects_only_that_customers_events()
    {
        var mappings = FactMappings.CreateDefault()
            .Map("review_written", (e, f) => f.Add("reviews", 1))
            .Map("order_placed", (e, f) => f.Set("last_store", e.Text("store")));
        mappings.Map("boom", (e, f) => throw new InvalidOperationException("broken mapping"));
        var (store, ingestor) = await SetUpAsync(new EventOptions { Mappings = mappings }, "c-1", "c-2");

        var summary = await ingestor.IngestAsync(Stream([
            Event("r-1", "c-1", "review_written", T0),
            Event("o-1", "c-1", "order_placed", T0, """{"store":"Wellington"}"""),
            Event("b-1", "c-2", "login", T0),
            Event("b-2", "c-2", "boom", T0),
        ]), store, Later);

        var facts = (await store.GetCustomerAsync("c-1"))!.Profile.Facts;
        Assert.Equal((1L, "Wellington", 1L), (facts.ValueOf("reviews"), facts.ValueOf("last_store"), facts.ValueOf(FactNames.OrderCount)));
        Assert.Equal([EventCodes.MappingFailed, EventCodes.MappingFailed], summary.Rejected.Select(r => r.Code));
        Assert.Empty((await store.GetCustomerAsync("c-2"))!.Profile.Facts);
    }

    [Fact]
    public async Task The_stage_follows_purchases_renewals_and_tenure_and_each_change_is_recorded_with_its_cause()
    {
        var (store, ingestor) = await SetUpAsync(null, "c-1", "c-2", "c-3");
        var summary = await ingestor.IngestAsync(Stream([
            Event("o-1", "c-1", "order_placed", T0),
            Event("o-2", "c-1", "order_placed", T0.AddDays(1)),
            Event("o-3", "c-1", "order_placed", T0.AddDays(2)),
            Event("p-1", "c-2", "order_placed", T0),
            Event("p-2", "c-2", "renewed", T0.AddDays(1)),
            Event("x-1", "c-3", "order_placed", T0.AddDays(-400)),
            Event("x-2", "c-3", "login", T0),
        ]), store, Later);

        Assert.Equal(LifecycleStage.Retention, (await store.GetCustomerAsync("c-1"))!.Profile.Stage);
        var changes = (await store.ReadChangesAsync(new ChangeQuery())).Items;
        Assert.Equal(
            [("c-3", "exposure", "adoption", "order_count", "x-1"), ("c-1", "exposure", "adoption", "order_count", "o-1"), ("c-2", "exposure", "adoption", "order_count", "p-1"),
             ("c-3", "adoption", "retention", "tenure", "x-2"), ("c-2", "adoption", "retention", "renewal_count", "p-2"), ("c-1", "adoption", "retention", "order_count", "o-3")],
            changes.Select(c => (c.CustomerId, c.From, c.To, c.Cause, c.EventId!)));
        Assert.Equal(6, summary.StageChanges);
        Assert.Equal("retention", (await store.GetCustomerAsync("c-2"))!.Profile.Facts.ValueOf(FactNames.Stage));
    }

    [Fact]
    public async Task A_stage_the_host_pinned_is_not_moved_and_the_rules_never_move_a_stage_back()
    {
        var (store, ingestor) = await SetUpAsync();
        await store.ImportCustomersAsync([
            DecisionKit.Customer(id: "pinned") with { Stage = LifecycleStage.Exposure, StagePinned = true },
            DecisionKit.Customer(id: "ahead") with { Stage = LifecycleStage.Retention },
        ]);

        var summary = await ingestor.IngestAsync(Stream([Event("o-1", "pinned", "order_placed", T0), Event("o-2", "ahead", "order_placed", T0)]), store, Later);

        Assert.Equal(LifecycleStage.Exposure, (await store.GetCustomerAsync("pinned"))!.Profile.Stage);
        Assert.Equal(LifecycleStage.Retention, (await store.GetCustomerAsync("ahead"))!.Profile.Stage);
        Assert.Equal(0, summary.StageChanges);
        Assert.Equal(1L, (await store.GetCustomerAsync("pinned"))!.Profile.Facts.ValueOf(FactNames.OrderCount));
    }

    [Fact]
    public async Task The_documented_example_adds_a_host_mapping_and_ingests()
    {
        var store = new InMemoryPersonalizeStore();
        await store.ImportCustomersAsync([DecisionKit.Customer(id: "c-042", stage: LifecycleStage.Exposure)]);
        var events = Stream([Event("e-1", "c-042", "order_placed", T0, """{"order_number":"A-1","total":12.5}"""), Event("e-2", "c-042", "review_written", T0)]);
        var now = Later;

        // begin-snippet: events-ingest
        var mappings = FactMappings.CreateDefault()
            .Map("review_written", (e, facts) => facts.Add("review_count", 1));
        var ingestor = new EventIngestor(new EventOptions { Mappings = mappings });

        var summary = await ingestor.IngestAsync(events, store, now);
        var customer = (await store.GetCustomerAsync("c-042"))!.Profile;
        Console.WriteLine($"{summary.Applied} applied, {summary.Duplicates} duplicates, {summary.RejectedCount} rejected");
        Console.WriteLine($"{customer.Stage}: {customer.Facts.ValueOf("order_count")} order(s), {customer.Facts.ValueOf("review_count")} review(s)");
        // end-snippet

        Assert.Equal((2L, LifecycleStage.Adoption, 1L, 1L), (summary.Applied, customer.Stage, customer.Facts.ValueOf("order_count"), customer.Facts.ValueOf("review_count")));
        DocSnippets.AssertShown("tests/Personalize.Tests/Events/FactMappingTests.cs", "events-ingest", "docs/events.md");
    }

    [Theory]
    [InlineData("2024-02-29T23:59:59Z", "2024-02-29T23:59:59+00:00")]
    [InlineData("0001-01-01T00:00:00Z", "0001-01-01T00:00:00+00:00")]
    [InlineData("9999-12-31T23:59:59Z", "9999-12-31T23:59:59+00:00")]
    [InlineData("2026-03-01T10:00:00+01:00", "2026-03-01T09:00:00+00:00")]
    [InlineData("2026-03-01", "2026-03-01T00:00:00+00:00")]
    public void An_instant_fact_reads_as_the_instant_it_names(string text, string expected)
    {
        var fact = new Fact(text, T0, "e-1");

        Assert.True(fact.TryGetInstant(out var at));
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), at);
        Assert.Equal(TimeSpan.Zero, at.Offset);
    }

    [Theory]
    [InlineData("2025-02-29T00:00:00Z")]
    [InlineData("2026-13-01T00:00:00Z")]
    [InlineData("2026-04-31T00:00:00Z")]
    [InlineData("2026-03-01T24:00:00Z")]
    [InlineData("2026-03-01T10:60:00Z")]
    [InlineData("2026-03-01T10:00:60Z")]
    [InlineData("0000-03-01T10:00:00Z")]
    [InlineData("2026-0a-01T10:00:00Z")]
    [InlineData("order A-2026-03-1")]
    public void Text_that_names_no_possible_instant_is_not_an_instant(string text)
    {
        var fact = new Fact(text, T0, "e-1");

        Assert.False(fact.TryGetInstant(out _));
        Assert.Null(CustomerFacts.Create([new("f", fact)]).InstantOf("f"));
    }

    [Fact]
    public void An_instant_written_as_facts_keep_it_reads_back_to_the_second()
    {
        var random = new Random(22);
        for (var i = 0; i < 1000; i++)
        {
            var at = new DateTimeOffset(random.NextInt64(DateTimeOffset.MinValue.UtcTicks, DateTimeOffset.MaxValue.UtcTicks), TimeSpan.Zero);
            var seconds = new DateTimeOffset(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

            Assert.True(new Fact(at, T0, "e-1").TryGetInstant(out var read));
            Assert.Equal(seconds, read);
        }
    }

    private static async Task<CustomerFacts> FactsAfterAsync(params CustomerEvent[] events)
    {
        var (store, ingestor) = await SetUpAsync(new EventOptions { BatchSize = 3, Questions = Profiling.ProfilingKit.Bank() });
        var summary = await ingestor.IngestAsync(Stream(events), store, Later);
        Assert.Equal(events.Length, summary.Applied);
        return (await store.GetCustomerAsync("c-1"))!.Profile.Facts;
    }

    private static async Task<(InMemoryPersonalizeStore Store, EventIngestor Ingestor)> SetUpAsync(EventOptions? options = null, params string[] ids)
    {
        var store = new InMemoryPersonalizeStore();
        var customers = (ids.Length == 0 ? ["c-1"] : ids).Select(id => DecisionKit.Customer(id: id, stage: LifecycleStage.Exposure)).ToList();
        Assert.True((await store.ImportCustomersAsync(customers)).Succeeded);
        return (store, new EventIngestor(options ?? new EventOptions { BatchSize = 3 }));
    }
}
