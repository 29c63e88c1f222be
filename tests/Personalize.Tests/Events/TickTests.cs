using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Delivery.Sinks;
using Personalize.Events;
using Personalize.Sending;
using Personalize.Storage;
using Personalize.Storage.Contract;
using Personalize.Tests.Decisions;
using Personalize.Tests.Sending;
using static Personalize.Tests.Events.EventKit;

namespace Personalize.Tests.Events;

/// <summary>Like-a-friend occasions: each fires once per occasion across ticks and crashes; anniversaries on 29 February and across DST; birthdays need consent.</summary>
public sealed class TickTests
{
    private static readonly TimeZoneInfo Auckland = TimeZoneInfo.FindSystemTimeZoneById("Pacific/Auckland");

    private static Dictionary<string, string> Templates()
    {
        var templates = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in new[] { "welcome", "thank_you", "welcome_back", "we_miss_you", "anniversary", "birthday", "retained" })
        {
            templates[name + "/email.subject.sbn"] = name;
            templates[name + "/email.text.sbn"] = name + " for {{ customer.id }}";
        }

        return templates;
    }

    private static CatalogBuilder Catalog(CatalogBuilder b)
    {
        foreach (var name in new[] { "welcome", "thank_you", "welcome_back", "we_miss_you", "anniversary", "birthday" })
        {
            b.Add(name, m => m.Relationship().On(Trigger.Occasion(name)).Channel(Channel.Email, name + "/email"));
        }

        return b.Add("retained", m => m.Relationship().On(Trigger.Stage(LifecycleStage.Retention)).Channel(Channel.Email, "retained/email"));
    }

    [Fact]
    public async Task Every_occasion_fires_once_across_two_ticks()
    {
        var t0 = new DateTimeOffset(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);
        var (store, sink, runner, run) = await SetUpAsync(["new", "buyer", "back", "gone"]);
        var ingestor = new EventIngestor();
        await ingestor.IngestAsync(Stream([
            Event("s-1", "new", "signed_up", t0.AddDays(-1)),
            Event("o-1", "buyer", "order_placed", t0.AddHours(-3)),
            Event("l-1", "back", "login", t0.AddDays(-100)),
            Event("l-2", "back", "login", t0.AddHours(-1)),
            Event("l-3", "gone", "login", t0.AddDays(-120)),
        ]), store, t0);

        var first = await runner.TickAsync(run with { At = t0 }, store);
        var second = await runner.TickAsync(run with { At = t0.AddHours(6) }, store);

        Assert.Equal(
            new Dictionary<string, long> { ["welcome"] = 1, ["thank_you"] = 1, ["welcome_back"] = 1, ["we_miss_you"] = 1 },
            first.Fired.OrderBy(p => p.Key).ToDictionary());
        Assert.Empty(second.Fired);
        Assert.Equal(["back:welcome_back", "buyer:thank_you", "gone:we_miss_you", "new:welcome"], sink.Messages.Select(m => m.CustomerId + ":" + m.MessageId));
        Assert.Equal("fired.we_miss_you", (await store.GetCustomerAsync("gone"))!.Profile.Facts.Keys.Single(k => k.StartsWith("fired.", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task We_miss_you_fires_once_per_lapse_and_again_after_the_next_lapse()
    {
        var t0 = new DateTimeOffset(2026, 1, 1, 9, 0, 0, TimeSpan.Zero);
        var (store, sink, runner, run) = await SetUpAsync(["c-1"], occasions: new LikeAFriendOptions { WelcomeBackAfter = null });
        var ingestor = new EventIngestor();
        await ingestor.IngestAsync(Stream([Event("l-1", "c-1", "login", t0)]), store, t0);

        await runner.TickAsync(run with { At = t0.AddDays(91) }, store);
        await runner.TickAsync(run with { At = t0.AddDays(95) }, store);
        await ingestor.IngestAsync(Stream([Event("l-2", "c-1", "login", t0.AddDays(100))]), store, t0.AddDays(100));
        await runner.TickAsync(run with { At = t0.AddDays(150) }, store);
        await runner.TickAsync(run with { At = t0.AddDays(191) }, store);

        Assert.Equal(2, sink.Messages.Count(m => m.MessageId == "we_miss_you"));
    }

    [Fact]
    public async Task A_tick_that_crashed_before_its_write_fires_the_occasion_once_when_run_again()
    {
        var t0 = new DateTimeOffset(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);
        var (store, sink, runner, run) = await SetUpAsync(["c-1", "c-2"]);
        await new EventIngestor().IngestAsync(Stream([Event("o-1", "c-1", "order_placed", t0.AddHours(-1)), Event("o-2", "c-2", "order_placed", t0.AddHours(-1))]), store, t0);
        var crashing = new CrashingStore(store, failRecordCalls: 1);

        await Assert.ThrowsAsync<IOException>(() => runner.TickAsync(run with { At = t0 }, crashing));
        Assert.Equal(0, sink.Count);
        var again = await runner.TickAsync(run with { At = t0.AddMinutes(5) }, crashing);
        var third = await runner.TickAsync(run with { At = t0.AddMinutes(10) }, crashing);

        Assert.Equal(2, again.Fired["thank_you"]);
        Assert.Empty(third.Fired);
        Assert.Equal(2, sink.Messages.Count(m => m.MessageId == "thank_you"));
    }

    [Theory]
    [InlineData("2027-02-28T10:00:00Z", true)]  // 28 Feb 2027 23:00 in Auckland: the anniversary of 29 Feb in a year without it
    [InlineData("2027-02-27T10:00:00Z", false)] // 27 Feb 23:00 in Auckland
    [InlineData("2027-03-01T10:00:00Z", false)] // 1 Mar in Auckland: the 28th greeted it already
    [InlineData("2028-02-28T10:00:00Z", false)] // 2028 has a 29 February
    [InlineData("2028-02-29T10:00:00Z", true)]
    public async Task An_anniversary_of_29_February_is_on_28_February_in_other_years_in_the_customers_zone(string tick, bool fires)
    {
        // First purchase: 29 Feb 2024 12:00 in Auckland.
        var first = new DateTimeOffset(2024, 2, 28, 23, 0, 0, TimeSpan.Zero);
        var (store, sink, runner, run) = await SetUpAsync(["c-1"], zone: Auckland);
        await new EventIngestor().IngestAsync(Stream([Event("o-1", "c-1", "order_placed", first)]), store, first);

        var summary = await runner.TickAsync(run with { At = DateTimeOffset.Parse(tick, System.Globalization.CultureInfo.InvariantCulture) }, store);

        Assert.Equal(fires, summary.Fired.ContainsKey("anniversary"));
    }

    [Fact]
    public async Task An_anniversary_on_the_day_clocks_change_fires_once_for_ticks_before_and_after_the_change()
    {
        // Berlin: clocks go forward at 02:00 on 29 March 2026. First purchase 29 March 2025, 10:00 local.
        var (store, sink, runner, run) = await SetUpAsync(["c-1"], zone: DecisionKit.Berlin, occasions: new LikeAFriendOptions { MissAfter = null });
        var first = new DateTimeOffset(2025, 3, 29, 9, 0, 0, TimeSpan.Zero);
        await new EventIngestor().IngestAsync(Stream([Event("o-1", "c-1", "order_placed", first)]), store, first);

        var before = await runner.TickAsync(run with { At = new DateTimeOffset(2026, 3, 28, 22, 30, 0, TimeSpan.Zero) }, store); // 23:30 on the 28th: not yet
        var midnight = await runner.TickAsync(run with { At = new DateTimeOffset(2026, 3, 28, 23, 30, 0, TimeSpan.Zero) }, store); // 00:30 on the 29th (CET)
        var after = await runner.TickAsync(run with { At = new DateTimeOffset(2026, 3, 29, 21, 30, 0, TimeSpan.Zero) }, store); // 23:30 on the 29th (CEST)
        var next = await runner.TickAsync(run with { At = new DateTimeOffset(2026, 3, 29, 22, 30, 0, TimeSpan.Zero) }, store); // 00:30 on the 30th

        Assert.Equal((false, true, false, false), (before.Fired.ContainsKey("anniversary"), midnight.Fired.ContainsKey("anniversary"), after.Fired.ContainsKey("anniversary"), next.Fired.ContainsKey("anniversary")));
        Assert.Equal(1, sink.Messages.Count(m => m.MessageId == "anniversary"));
    }

    [Fact]
    public async Task A_birthday_fires_only_for_a_customer_who_shared_it_and_consents_to_personalization()
    {
        var day = new DateTimeOffset(2026, 6, 15, 10, 0, 0, TimeSpan.Zero);
        var (store, sink, runner, run) = await SetUpAsync(["consented", "not-consented", "withdrawn", "unknown"]);
        await new EventIngestor().IngestAsync(Stream([
            Event("b-1", "consented", "preference_answered", day.AddDays(-30), """{"question":"birthday","answer":"1990-06-15"}"""),
            Event("b-2", "not-consented", "preference_answered", day.AddDays(-30), """{"question":"birthday","answer":"06-15"}"""),
            Event("b-3", "withdrawn", "preference_answered", day.AddDays(-30), """{"question":"birthday","answer":"1985-06-15"}"""),
        ]), store, day);
        await store.AppendConsentAsync("consented", [ConsentRecord.Grant(ConsentScope.Personalization, DecisionKit.LongAgo, DecisionKit.PreferenceCenter, "v1")]);
        await store.AppendConsentAsync("withdrawn", [ConsentRecord.Grant(ConsentScope.Personalization, DecisionKit.LongAgo, DecisionKit.PreferenceCenter, "v1"), ConsentRecord.Withdraw(ConsentScope.Personalization, day.AddDays(-1), DecisionKit.PreferenceCenter)]);

        var summary = await runner.TickAsync(run with { At = day }, store);
        await runner.TickAsync(run with { At = day.AddHours(5) }, store);

        Assert.Equal(1, summary.Fired["birthday"]);
        Assert.Equal(["consented:birthday"], sink.Messages.Select(m => m.CustomerId + ":" + m.MessageId));
    }

    [Fact]
    public async Task Tenure_moves_the_stage_at_a_tick_records_the_change_and_triggers_stage_retention_once()
    {
        var first = new DateTimeOffset(2025, 1, 10, 9, 0, 0, TimeSpan.Zero);
        var (store, sink, runner, run) = await SetUpAsync(["c-1"], occasions: new LikeAFriendOptions { Anniversary = false, ThankFirstOrder = false, MissAfter = null });
        await new EventIngestor().IngestAsync(Stream([Event("o-1", "c-1", "order_placed", first)]), store, first);

        var tick = await runner.TickAsync(run with { At = first.AddDays(366) }, store);
        await runner.TickAsync(run with { At = first.AddDays(367) }, store);

        Assert.Equal(1, tick.StageChanges);
        Assert.Equal(LifecycleStage.Retention, (await store.GetCustomerAsync("c-1"))!.Profile.Stage);
        var change = (await store.ReadChangesAsync(new ChangeQuery { Kind = ChangeKinds.Stage })).Items[^1];
        Assert.Equal(("adoption", "retention", "tenure", (string?)null), (change.From, change.To, change.Cause, change.EventId));
        Assert.Equal(["retained"], sink.Messages.Select(m => m.MessageId));
    }

    private static async Task<(InMemoryPersonalizeStore Store, InMemorySink Sink, SendRunner Runner, TickRun Run)> SetUpAsync(string[] ids, TimeZoneInfo? zone = null, LikeAFriendOptions? occasions = null)
    {
        var engine = DecisionKit.Engine();
        var catalog = DecisionKit.Compile(engine, b => Catalog(b));
        var content = SendingKit.Content(catalog, Templates());
        var store = new InMemoryPersonalizeStore();
        var customers = ids.Select(id => DecisionKit.Customer(id: id, stage: LifecycleStage.Exposure, zone: zone, consents: [DecisionKit.Grant(Channel.Email)], preferences: new ContactPreferences { ChannelRanking = [Channel.Email] })).ToList();
        Assert.True((await store.ImportCustomersAsync(customers)).Succeeded);
        var sink = new InMemorySink();
        return (store, sink, SendingKit.Runner(sink, engine), new TickRun(catalog, content) { Occasions = occasions });
    }

    /// <summary>A store whose first N page writes fail like a crash before the commit.</summary>
    private sealed class CrashingStore(IPersonalizeStore inner, int failRecordCalls) : DelegatingStore(inner)
    {
        private int _left = failRecordCalls;

        public override ValueTask<SendBatchResult> RecordAsync(SendBatch batch, CancellationToken cancellationToken = default)
            => batch.Customers.Count > 0 && Interlocked.Decrement(ref _left) >= 0 ? throw new IOException("crash before commit") : Inner.RecordAsync(batch, cancellationToken);
    }
}
