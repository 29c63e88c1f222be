using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Personalize.Benchmarks.Sending;
using Personalize.Delivery.Sinks;
using Personalize.Events;
using Personalize.Sending;
using Personalize.Sqlite;
using Personalize.Storage;

namespace Personalize.Benchmarks.Events;

/// <summary>Customers, events and stores shared by the event benchmarks (seeded SQLite files are kept between runs).</summary>
internal static class EventBench
{
    public static readonly string Folder = Path.Combine(Path.GetTempPath(), "personalize-bench-events");

    public static readonly DateTimeOffset At = new(2026, 3, 16, 12, 0, 0, TimeSpan.Zero);

    private static readonly JsonElement[] Data = Enumerable.Range(0, 64).Select(i => JsonDocument.Parse(
        $$"""{"order_number":"GT-{{i}}","total":{{(i * 7) % 180 + 12}}.50,"items":{{i % 4 + 1}},"tracking_url":"https://track.example/GT-{{i}}"}""").RootElement.Clone()).ToArray();

    public static int Count(string variable, int fallback)
        => Environment.GetEnvironmentVariable(variable) is { Length: > 0 } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    /// <summary>The events: order placed, shipped, delivered, login and visit, spread over the customers and the past year, in no customer order.</summary>
    public static CustomerEvent[] Events(int count, int customers, string prefix)
    {
        var types = new[] { "order_placed", "order_shipped", "order_delivered", "login", "visit" };
        var events = new CustomerEvent[count];
        for (var i = 0; i < count; i++)
        {
            events[i] = new CustomerEvent
            {
                Id = prefix + i.ToString(CultureInfo.InvariantCulture),
                Type = types[i % types.Length],
                CustomerId = "s-" + ((i * 7919L) % customers).ToString(CultureInfo.InvariantCulture),
                OccurredAt = At.AddMinutes(-((i * 37L) % 525_600)),
                Data = i % types.Length < 3 ? Data[i % Data.Length] : default,
            };
        }

        return events;
    }

    /// <summary>The events with ids as streams carry them (UUIDs, derived from the ids so every run has the same): in no order, unlike e-0, e-1, … which sort into a few neighbouring pages.</summary>
    public static CustomerEvent[] RandomIds(CustomerEvent[] events)
        => [.. events.Select(static e => e with { Id = new Guid(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(e.Id))).ToString() })];

    public static async IAsyncEnumerable<CustomerEvent> Stream(CustomerEvent[] events, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var e in events)
        {
            yield return e;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <summary>A SQLite file with <paramref name="customers"/> customers (seeded once, then copied), opened.</summary>
    /// <param name="schema">The schema version to open at (an earlier layout, for comparisons); the current one when null.</param>
    /// <param name="reuse">Open the working copy an earlier call left, when there is one, instead of copying the seed again.</param>
    public static SqlitePersonalizeStore SqliteCopy(SendingScenario scenario, int customers, string name, Action<IPersonalizeStore>? prepare = null, int? schema = null, bool reuse = false)
    {
        Directory.CreateDirectory(Folder);
        var pristine = Path.Combine(Folder, $"{name}-{customers.ToString(CultureInfo.InvariantCulture)}.db");
        if (!File.Exists(pristine))
        {
            var partial = pristine + ".partial";
            File.Delete(partial);
            using (var store = Open(partial, schema))
            {
                Import(store, scenario, customers);
                prepare?.Invoke(store);
            }

            File.Move(partial, pristine);
        }

        var work = Path.Combine(Folder, name + "-work.db");
        var copied = work + ".from";
        if (reuse && File.Exists(work) && File.Exists(copied) && File.ReadAllText(copied) == pristine)
        {
            return Open(work, schema);
        }

        File.Delete(copied);
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            File.Delete(work + suffix);
        }

        File.Copy(pristine, work);
        File.WriteAllText(copied, pristine);
        return Open(work, schema);
    }

    private static SqlitePersonalizeStore Open(string path, int? schema)
        => schema is { } version ? SqlitePersonalizeStore.OpenAt(path, Personalize.Channels.ChannelRegistry.Default, version) : SqlitePersonalizeStore.Open(path);

    /// <summary>
    /// A PostgreSQL database <paramref name="database"/> on the server <c>PERSONALIZE_BENCH_POSTGRES</c> names, created
    /// afresh with <paramref name="customers"/> customers, opened.
    /// </summary>
    public static Personalize.PostgreSql.PostgreSqlPersonalizeStore Postgres(SendingScenario scenario, int customers, string database, Action<IPersonalizeStore>? prepare = null)
    {
        var server = Environment.GetEnvironmentVariable("PERSONALIZE_BENCH_POSTGRES") is { Length: > 0 } text
            ? new Npgsql.NpgsqlConnectionStringBuilder(text)
            : throw new InvalidOperationException("Set PERSONALIZE_BENCH_POSTGRES to a PostgreSQL connection string (a user that may create databases), for example from `bash .ci/postgres.sh start --durable`.");
        using (var connection = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = "postgres" }.ConnectionString))
        {
            connection.Open();
            foreach (var statement in new[] { $"DROP DATABASE IF EXISTS {database} WITH (FORCE)", $"CREATE DATABASE {database}" })
            {
                using var command = new Npgsql.NpgsqlCommand(statement, connection);
                command.ExecuteNonQuery();
            }
        }

        var store = Personalize.PostgreSql.PostgreSqlPersonalizeStore.Open(new Npgsql.NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = database }.ConnectionString);
        Import(store, scenario, customers);
        prepare?.Invoke(store);
        return store;
    }

    public static InMemoryPersonalizeStore Memory(SendingScenario scenario, int customers, Action<IPersonalizeStore>? prepare = null)
    {
        var store = new InMemoryPersonalizeStore();
        Import(store, scenario, customers);
        prepare?.Invoke(store);
        return store;
    }

    private static void Import(IPersonalizeStore store, SendingScenario scenario, int customers)
    {
        foreach (var batch in scenario.Stream(customers).Chunk(10_000))
        {
            var result = store.ImportCustomersAsync(batch).AsTask().GetAwaiter().GetResult();
            if (!result.Succeeded)
            {
                throw new InvalidOperationException(string.Join("; ", result.Errors));
            }
        }
    }
}

/// <summary>
/// Event ingestion (<see cref="EventIngestor.IngestAsync(IAsyncEnumerable{CustomerEvent}, IPersonalizeStore, DateTimeOffset?, CancellationToken)"/>):
/// dedupe by id, facts through the default mappings, lifecycle stages, one transaction per batch (<see cref="EventOptions.BatchSize"/>, 10,000) — into SQLite
/// (a file, WAL, synchronous=FULL) and the in-memory store. A benchmark is one whole ingestion of
/// <see cref="Events"/> events over a tenth as many customers into a fresh copy of the seeded store, so events per second
/// = Events / Mean. Goal (issue 22): 50,000 events/s into SQLite.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5, invocationCount: 1)]
public class EventIngestionBenchmarks
{
    private SendingScenario _scenario = null!;
    private CustomerEvent[] _events = null!;
    private IPersonalizeStore _store = null!;

    /// <summary>Gets or sets how many events one ingestion applies (<c>PERSONALIZE_BENCH_EVENTS</c>, default 50,000).</summary>
    [ParamsSource(nameof(EventCounts))]
    public int Events { get; set; }

    /// <summary>Gets the event counts.</summary>
    public static IEnumerable<int> EventCounts => [EventBench.Count("PERSONALIZE_BENCH_EVENTS", 50_000)];

    /// <summary>Gets or sets whether the event ids are random (UUIDs, as streams carry them) instead of time-ordered (<c>e-0</c>, <c>e-1</c>, …).</summary>
    [Params(false, true)]
    public bool RandomIds { get; set; }

    private int Customers => Math.Max(1, Events / 10);

    [GlobalSetup]
    public void Setup()
    {
        _scenario = new SendingScenario();
        _events = EventBench.Events(Events, Customers, "e-");
        if (RandomIds)
        {
            _events = EventBench.RandomIds(_events);
        }
    }

    [IterationSetup(Target = nameof(Sqlite))]
    public void SetupSqlite() => _store = EventBench.SqliteCopy(_scenario, Customers, "ingest");

    [IterationSetup(Target = nameof(InMemory))]
    public void SetupInMemory() => _store = EventBench.Memory(_scenario, Customers);

    [IterationCleanup]
    public void Cleanup() => (_store as IDisposable)?.Dispose();

    [Benchmark(Description = "ingest events into SQLite (facts, stages; whole stream)")]
    public long Sqlite() => Ingest();

    [Benchmark(Baseline = true, Description = "ingest events into the in-memory store (whole stream)")]
    public long InMemory() => Ingest();

    private long Ingest()
    {
        var summary = new EventIngestor().IngestAsync(EventBench.Stream(_events), _store, EventBench.At).GetAwaiter().GetResult();
        if (summary.Applied != Events)
        {
            throw new InvalidOperationException($"{summary.Applied} of {Events} events applied, {summary.RejectedCount} rejected: {summary.Rejected.FirstOrDefault()?.Message}");
        }

        return summary.Applied;
    }
}

/// <summary>
/// The daily tick (<see cref="SendRunner.TickAsync"/>): every stored customer read a page at a time, the like-a-friend
/// occasions and the relationship matrix evaluated from their facts. The store is prepared with five events per customer
/// and one tick (every customer placed, the welcome and thank-you occasions fired), so the measured tick (again at the same instant) is
/// the steady state of a daily run: everything is evaluated, nothing is due, nothing is written. A benchmark is one whole tick, so
/// customers per second = Customers / Mean. Goal (issue 22): 200,000 customers/s.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5, invocationCount: 1)]
public class TickBenchmarks
{
    private SendingScenario _scenario = null!;
    private SendRunner _runner = null!;
    private TickRun _run = null!;
    private IPersonalizeStore _sqlite = null!;
    private IPersonalizeStore _memory = null!;

    /// <summary>Gets or sets how many customers the store holds (<c>PERSONALIZE_BENCH_TICK_CUSTOMERS</c>, default 100,000).</summary>
    [ParamsSource(nameof(CustomerCounts))]
    public int Customers { get; set; }

    /// <summary>Gets the store sizes.</summary>
    public static IEnumerable<int> CustomerCounts => [EventBench.Count("PERSONALIZE_BENCH_TICK_CUSTOMERS", 100_000)];

    [GlobalSetup]
    public void Setup()
    {
        _scenario = new SendingScenario();
        _runner = _scenario.Runner(NullSink.Instance);
        _run = new TickRun(_scenario.Catalog, _scenario.Content) { At = EventBench.At };
        void Prepare(IPersonalizeStore store)
        {
            new EventIngestor().IngestAsync(EventBench.Stream(EventBench.Events(Customers * 5, Customers, "t-")), store, EventBench.At).GetAwaiter().GetResult();
            _runner.TickAsync(_run, store).GetAwaiter().GetResult();
        }

        _sqlite = EventBench.SqliteCopy(_scenario, Customers, "tick", Prepare);
        _memory = EventBench.Memory(_scenario, Customers, Prepare);
        foreach (var store in new[] { _sqlite, _memory })
        {
            var check = Tick(store);
            if (check.Customers != Customers || check.Fired.Count != 0 || check.TierChanges != 0)
            {
                throw new InvalidOperationException($"Scenario check failed: {check.Customers} customers, {check.Fired.Count} occasions, {check.TierChanges} tier changes.");
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup() => (_sqlite as IDisposable)?.Dispose();

    [Benchmark(Description = "tick over SQLite: occasions + matrix, nothing due (whole store)")]
    public long Sqlite() => Tick(_sqlite).Customers;

    [Benchmark(Baseline = true, Description = "tick over the in-memory store: occasions + matrix, nothing due (whole store)")]
    public long InMemory() => Tick(_memory).Customers;

    // The same instant as the prepared tick: a re-run finds every occasion marked and every customer in their cell.
    private TickSummary Tick(IPersonalizeStore store) => _runner.TickAsync(_run, store).GetAwaiter().GetResult();
}
