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

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task Every_occasion_fires_once_across_two_ticks(string storeKind)
    {
        var t0 = new DateTimeOffset(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);
        using var scope = await SetUpAsync(storeKind, ["new", "buyer", "back", "gone"]);
        var (store, sink, runner, run) = scope;
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

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task We_miss_you_fires_once_per_lapse_and_again_after_the_next_lapse(string storeKind)
    {
        var t0 = new DateTimeOffset(2026, 1, 1, 9, 0, 0, TimeSpan.Zero);
        using var scope = await SetUpAsync(storeKind, ["c-1"], occasions: new LikeAFriendOptions { WelcomeBackAfter = null });
        var (store, sink, runner, run) = scope;
        var ingestor = new EventIngestor();
        await ingestor.IngestAsync(Stream([Event("l-1", "c-1", "login", t0)]), store, t0);

        await runner.TickAsync(run with { At = t0.AddDays(91) }, store);
        await runner.TickAsync(run with { At = t0.AddDays(95) }, store);
        await ingestor.IngestAsync(Stream([Event("l-2", "c-1", "login", t0.AddDays(100))]), store, t0.AddDays(100));
        await runner.TickAsync(run with { At = t0.AddDays(150) }, store);
        await runner.TickAsync(run with { At = t0.AddDays(191) }, store);

        Assert.Equal(2, sink.Messages.Count(m => m.MessageId == "we_miss_you"));
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task A_tick_that_crashed_before_its_write_fires_the_occasion_once_when_run_again(string storeKind)
    {
        var t0 = new DateTimeOffset(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);
        using var scope = await SetUpAsync(storeKind, ["c-1", "c-2"]);
        var (store, sink, runner, run) = scope;
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
    [InlineData("2027-02-28T10:00:00Z", true, "memory")]  // 28 Feb 2027 23:00 in Auckland: the anniversary of 29 Feb in a year without it
    [InlineData("2027-02-27T10:00:00Z", false, "memory")] // 27 Feb 23:00 in Auckland
    [InlineData("2027-03-01T10:00:00Z", false, "memory")] // 1 Mar in Auckland: the 28th greeted it already
    [InlineData("2028-02-28T10:00:00Z", false, "memory")] // 2028 has a 29 February
    [InlineData("2028-02-29T10:00:00Z", true, "memory")]
    [InlineData("2027-02-28T10:00:00Z", true, "sqlite")]
    [InlineData("2027-02-27T10:00:00Z", false, "sqlite")]
    [InlineData("2028-02-29T10:00:00Z", true, "sqlite")]
    public async Task An_anniversary_of_29_February_is_on_28_February_in_other_years_in_the_customers_zone(string tick, bool fires, string storeKind)
    {
        // First purchase: 29 Feb 2024 12:00 in Auckland.
        var first = new DateTimeOffset(2024, 2, 28, 23, 0, 0, TimeSpan.Zero);
        using var scope = await SetUpAsync(storeKind, ["c-1"], zone: Auckland);
        var (store, sink, runner, run) = scope;
        await new EventIngestor().IngestAsync(Stream([Event("o-1", "c-1", "order_placed", first)]), store, first);

        var summary = await runner.TickAsync(run with { At = DateTimeOffset.Parse(tick, System.Globalization.CultureInfo.InvariantCulture) }, store);

        Assert.Equal(fires, summary.Fired.ContainsKey("anniversary"));
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task An_anniversary_on_the_day_clocks_change_fires_once_for_ticks_before_and_after_the_change(string storeKind)
    {
        // Berlin: clocks go forward at 02:00 on 29 March 2026. First purchase 29 March 2025, 10:00 local.
        using var scope = await SetUpAsync(storeKind, ["c-1"], zone: DecisionKit.Berlin, occasions: new LikeAFriendOptions { MissAfter = null });
        var (store, sink, runner, run) = scope;
        var first = new DateTimeOffset(2025, 3, 29, 9, 0, 0, TimeSpan.Zero);
        await new EventIngestor().IngestAsync(Stream([Event("o-1", "c-1", "order_placed", first)]), store, first);

        var before = await runner.TickAsync(run with { At = new DateTimeOffset(2026, 3, 28, 22, 30, 0, TimeSpan.Zero) }, store); // 23:30 on the 28th: not yet
        var midnight = await runner.TickAsync(run with { At = new DateTimeOffset(2026, 3, 28, 23, 30, 0, TimeSpan.Zero) }, store); // 00:30 on the 29th (CET)
        var after = await runner.TickAsync(run with { At = new DateTimeOffset(2026, 3, 29, 21, 30, 0, TimeSpan.Zero) }, store); // 23:30 on the 29th (CEST)
        var next = await runner.TickAsync(run with { At = new DateTimeOffset(2026, 3, 29, 22, 30, 0, TimeSpan.Zero) }, store); // 00:30 on the 30th

        Assert.Equal((false, true, false, false), (before.Fired.ContainsKey("anniversary"), midnight.Fired.ContainsKey("anniversary"), after.Fired.ContainsKey("anniversary"), next.Fired.ContainsKey("anniversary")));
        Assert.Equal(1, sink.Messages.Count(m => m.MessageId == "anniversary"));
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task A_birthday_fires_only_for_a_customer_who_shared_it_and_consents_to_personalization(string storeKind)
    {
        var day = new DateTimeOffset(2026, 6, 15, 10, 0, 0, TimeSpan.Zero);
        using var scope = await SetUpAsync(storeKind, ["consented", "not-consented", "withdrawn", "unknown"]);
        var (store, sink, runner, run) = scope;
        var answered = await new EventIngestor(new EventOptions { Questions = Profiling.ProfilingKit.Bank() }).IngestAsync(Stream([
            Event("b-1", "consented", "preference_answered", day.AddDays(-30), """{"question":"birthday","answer":"1990-06-15"}"""),
            Event("b-2", "not-consented", "preference_answered", day.AddDays(-30), """{"question":"birthday","answer":"06-15"}"""),
            Event("b-3", "withdrawn", "preference_answered", day.AddDays(-30), """{"question":"birthday","answer":"1985-06-15"}"""),
        ]), store, day);
        Assert.Equal(3L, answered.Applied);
        await store.AppendConsentAsync("consented", [ConsentRecord.Grant(ConsentScope.Personalization, DecisionKit.LongAgo, DecisionKit.PreferenceCenter, "v1")]);
        await store.AppendConsentAsync("withdrawn", [ConsentRecord.Grant(ConsentScope.Personalization, DecisionKit.LongAgo, DecisionKit.PreferenceCenter, "v1"), ConsentRecord.Withdraw(ConsentScope.Personalization, day.AddDays(-1), DecisionKit.PreferenceCenter)]);

        var summary = await runner.TickAsync(run with { At = day }, store);
        await runner.TickAsync(run with { At = day.AddHours(5) }, store);

        Assert.Equal(1, summary.Fired["birthday"]);
        Assert.Equal(["consented:birthday"], sink.Messages.Select(m => m.CustomerId + ":" + m.MessageId));
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task Tenure_moves_the_stage_at_a_tick_records_the_change_and_triggers_stage_retention_once(string storeKind)
    {
        var first = new DateTimeOffset(2025, 1, 10, 9, 0, 0, TimeSpan.Zero);
        using var scope = await SetUpAsync(storeKind, ["c-1"], occasions: new LikeAFriendOptions { Anniversary = false, ThankFirstOrder = false, MissAfter = null });
        var (store, sink, runner, run) = scope;
        await new EventIngestor().IngestAsync(Stream([Event("o-1", "c-1", "order_placed", first)]), store, first);

        var tick = await runner.TickAsync(run with { At = first.AddDays(366) }, store);
        await runner.TickAsync(run with { At = first.AddDays(367) }, store);

        Assert.Equal(1, tick.StageChanges);
        Assert.Equal(LifecycleStage.Retention, (await store.GetCustomerAsync("c-1"))!.Profile.Stage);
        var change = (await store.ReadChangesAsync(new ChangeQuery { Kind = ChangeKinds.Stage })).Items[^1];
        Assert.Equal(("adoption", "retention", "tenure", (string?)null), (change.From, change.To, change.Cause, change.EventId));
        Assert.Equal(["retained"], sink.Messages.Select(m => m.MessageId));
    }

    [Theory]
    [InlineData("memory")]
    [InlineData("sqlite")]
    public async Task A_birthday_attribute_fires_with_consent_and_a_pinned_stage_is_not_moved_by_tenure(string storeKind)
    {
        // The SQLite tick screens each customer on its facts and a few profile fields before reading it whole: a
        // birthday kept as a profile attribute and a host-pinned stage must come out as they do in memory.
        var day = new DateTimeOffset(2026, 6, 15, 10, 0, 0, TimeSpan.Zero);
        var birthday = System.Text.Json.JsonDocument.Parse("\"1990-06-15\"").RootElement.Clone();
        using var scope = await SetUpAsync(storeKind, ["attr-consented", "attr-not-consented", "pinned", "moves"], zone: Auckland, occasions: new LikeAFriendOptions { MissAfter = null }, shape: c => c.Id switch
        {
            "attr-consented" or "attr-not-consented" => c with { Attributes = new Dictionary<string, System.Text.Json.JsonElement>(c.Attributes) { ["birthday"] = birthday } },
            "pinned" => c with { StagePinned = true },
            _ => c,
        });
        var (store, sink, runner, run) = scope;
        await new EventIngestor().IngestAsync(Stream([
            Event("o-1", "pinned", "order_placed", day.AddDays(-400)),
            Event("o-2", "moves", "order_placed", day.AddDays(-400)),
        ]), store, day.AddDays(-400));
        await store.AppendConsentAsync("attr-consented", [ConsentRecord.Grant(ConsentScope.Personalization, DecisionKit.LongAgo, DecisionKit.PreferenceCenter, "v1")]);

        // 15 June 22:00 in Auckland.
        var summary = await runner.TickAsync(run with { At = day }, store);

        Assert.Equal(1, summary.Fired["birthday"]);
        Assert.Equal(1, summary.StageChanges);
        Assert.Equal(4, summary.Customers);
        Assert.Equal(["attr-consented:birthday", "moves:retained"], sink.Messages.Select(m => m.CustomerId + ":" + m.MessageId).Order(StringComparer.Ordinal));
        Assert.Equal((LifecycleStage.Exposure, LifecycleStage.Retention), ((await store.GetCustomerAsync("pinned"))!.Profile.Stage, (await store.GetCustomerAsync("moves"))!.Profile.Stage));
    }

    [PostgresFact]
    public Task On_postgresql_the_screened_tick_and_ingestion_keep_a_birthday_attribute_and_a_pinned_stage()
        => A_birthday_attribute_fires_with_consent_and_a_pinned_stage_is_not_moved_by_tenure("postgres");

    private static async Task<TickScope> SetUpAsync(string storeKind, string[] ids, TimeZoneInfo? zone = null, LikeAFriendOptions? occasions = null, Func<CustomerProfile, CustomerProfile>? shape = null)
    {
        var engine = DecisionKit.Engine();
        var catalog = DecisionKit.Compile(engine, b => Catalog(b));
        var content = SendingKit.Content(catalog, Templates());
        var scope = new TickScope(storeKind);
        var customers = ids.Select(id => DecisionKit.Customer(id: id, stage: LifecycleStage.Exposure, zone: zone, consents: [DecisionKit.Grant(Channel.Email)], preferences: new ContactPreferences { ChannelRanking = [Channel.Email] }))
            .Select(c => shape is null ? c : shape(c)).ToList();
        Assert.True((await scope.Store.ImportCustomersAsync(customers)).Succeeded);
        scope.Runner = SendingKit.Runner(scope.Sink, engine);
        scope.Run = new TickRun(catalog, content) { Occasions = occasions };
        return scope;
    }

    /// <summary>
    /// The store a test ticks (in memory, or a SQLite file or PostgreSQL schema whose tick and ingestion screen customers
    /// on their facts first), its sink, runner and run.
    /// </summary>
    private sealed class TickScope : IDisposable
    {
        private readonly string? _file;
        private readonly string? _schema;

        public TickScope(string storeKind)
        {
            if (storeKind == "postgres")
            {
                _schema = "tick_" + Guid.NewGuid().ToString("N")[..12];
                Store = Personalize.PostgreSql.PostgreSqlPersonalizeStore.Open(new Personalize.PostgreSql.PostgreSqlStoreOptions { ConnectionString = PostgresFactAttribute.Server, Schema = _schema });
            }
            else if (storeKind == "sqlite")
            {
                _file = Path.Combine(Path.GetTempPath(), "personalize-tick-" + Guid.NewGuid().ToString("N") + ".db");
                Store = Personalize.Sqlite.SqlitePersonalizeStore.Open(_file);
            }
            else
            {
                Store = new InMemoryPersonalizeStore();
            }
        }

        public IPersonalizeStore Store { get; }

        public InMemorySink Sink { get; } = new();

        public SendRunner Runner { get; set; } = null!;

        public TickRun Run { get; set; } = null!;

        public void Deconstruct(out IPersonalizeStore store, out InMemorySink sink, out SendRunner runner, out TickRun run)
            => (store, sink, runner, run) = (Store, Sink, Runner, Run);

        public void Dispose()
        {
            (Store as IDisposable)?.Dispose();
            if (_schema is not null)
            {
                using var connection = new Npgsql.NpgsqlConnection(PostgresFactAttribute.Server);
                connection.Open();
                using var drop = new Npgsql.NpgsqlCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE", connection);
                drop.ExecuteNonQuery();
            }

            if (_file is not null)
            {
                foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
                {
                    File.Delete(_file + suffix);
                }
            }
        }
    }

    /// <summary>A store whose first N page writes fail like a crash before the commit.</summary>
    private sealed class CrashingStore(IPersonalizeStore inner, int failRecordCalls) : DelegatingStore(inner)
    {
        private int _left = failRecordCalls;

        public override ValueTask<SendBatchResult> RecordAsync(SendBatch batch, CancellationToken cancellationToken = default)
            => batch.Customers.Count > 0 && Interlocked.Decrement(ref _left) >= 0 ? throw new IOException("crash before commit") : Inner.RecordAsync(batch, cancellationToken);
    }
}
