using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Npgsql;
using Personalize.Delivery.Sinks;
using Personalize.PostgreSql;
using Personalize.Sending;

namespace Personalize.Benchmarks.Sending;

/// <summary>
/// The closed loop end to end on PostgreSQL, the same run as <c>StoreSendBenchmarks</c> does on SQLite:
/// <see cref="SendRunner.RunAsync(SendRun, Storage.IPersonalizeStore, IProgress{SendProgress}?, CancellationToken)"/> over
/// every customer of the store — read a page of profiles with their consent ledger and history (one query), decide,
/// render the 5 KB email or the SMS, record each message's delivery log entry and contact history record (one
/// transaction per page: lock, one multi-row statement per table, commit), hand it to <see cref="NullSink"/>, mark it
/// delivered — with the run without a store as the baseline. A benchmark is one whole run; every customer gets one
/// message, so messages per second = Customers / Mean(s) and memory per message = Allocated / Customers.
/// </summary>
/// <remarks>
/// Needs a server: set <c>PERSONALIZE_BENCH_POSTGRES</c> to a connection string of a user allowed to create databases
/// (for example a cluster from <c>bash .ci/postgres.sh start --durable</c>, which keeps fsync and synchronous commit on,
/// as a production server would). The customers are imported once into a database <c>pz_bench_seed_N</c>; each
/// iteration runs on a fresh copy of it (<c>CREATE DATABASE … TEMPLATE</c>, not measured).
/// </remarks>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5, invocationCount: 1)]
public class PostgreSqlSendBenchmarks
{
    private const string Variable = "PERSONALIZE_BENCH_POSTGRES";
    private const string WorkDatabase = "pz_bench_work";
    private SendingScenario _scenario = null!;
    private SendRunner _runner = null!;
    private SendRun _run = null!;
    private NpgsqlConnectionStringBuilder _server = null!;
    private string _seedDatabase = null!;
    private PostgreSqlPersonalizeStore? _store;

    /// <summary>Gets or sets how many customers the store holds.</summary>
    [ParamsSource(nameof(CustomerCounts))]
    public int Customers { get; set; }

    /// <summary>Gets the store sizes: 100,000 and 1,000,000, or the comma-separated list in <c>PERSONALIZE_BENCH_CUSTOMERS</c>.</summary>
    public static IEnumerable<int> CustomerCounts
        => (Environment.GetEnvironmentVariable("PERSONALIZE_BENCH_CUSTOMERS") ?? "100000,1000000").Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture));

    [GlobalSetup]
    public void Setup()
    {
        var connection = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(connection))
        {
            throw new InvalidOperationException($"Set {Variable} to a PostgreSQL connection string (a user that may create databases), for example from `bash .ci/postgres.sh start --durable`.");
        }

        _server = new NpgsqlConnectionStringBuilder(connection) { Pooling = true };
        _scenario = new SendingScenario();
        _runner = _scenario.Runner(NullSink.Instance);
        _run = new SendRun(_scenario.Catalog, _scenario.Content, _scenario.Trigger) { At = _scenario.At };
        _seedDatabase = SeededDatabase(_server, _scenario, Customers);

        // The figure is per message only if every customer gets exactly one.
        IterationSetup();
        var summary = _runner.RunAsync(_run, _store!).GetAwaiter().GetResult();
        IterationCleanup();
        if (summary.Messages != Customers || summary.Totals.Errors != 0)
        {
            throw new InvalidOperationException($"Scenario check failed: {summary.Messages} messages, {summary.Totals.Errors} errors for {Customers} customers.");
        }
    }

    [IterationSetup(Target = nameof(PostgreSql))]
    public void IterationSetup()
    {
        _store = PostgreSqlPersonalizeStore.Open(FreshCopy(_server, _seedDatabase, WorkDatabase));
    }

    [IterationCleanup(Target = nameof(PostgreSql))]
    public void IterationCleanup()
    {
        _store?.Dispose();
        _store = null;
    }

    [Benchmark(Description = "closed loop on PostgreSQL: read + decide + render + record + NullSink (whole run)")]
    public long PostgreSql() => _runner.RunAsync(_run, _store!).GetAwaiter().GetResult().Messages;

    [Benchmark(Baseline = true, Description = "send run without a store: streamed customers, NullSink (whole run)")]
    public long NoStore() => _runner.RunAsync(_run, _scenario.Stream(Customers)).GetAwaiter().GetResult().Messages;

    /// <summary>
    /// The database <c>pz_bench_seed_N</c> holding the scenario's <paramref name="customers"/> customers, imported once
    /// (and kept for later launches); its name. Shared with <c>question-loop --store postgres</c>.
    /// </summary>
    internal static string SeededDatabase(NpgsqlConnectionStringBuilder server, SendingScenario scenario, int customers)
    {
        var seed = "pz_bench_seed_" + customers.ToString(CultureInfo.InvariantCulture);
        if (!SeedIsComplete(server, seed))
        {
            Seed(server, scenario, customers, seed);
        }

        return seed;
    }

    /// <summary>A fresh copy of the database <paramref name="seed"/> named <paramref name="work"/> (<c>CREATE DATABASE … TEMPLATE</c>); its connection string.</summary>
    internal static string FreshCopy(NpgsqlConnectionStringBuilder server, string seed, string work)
    {
        NpgsqlConnection.ClearAllPools();
        Execute(server, "postgres", $"DROP DATABASE IF EXISTS {work} WITH (FORCE)");
        Execute(server, "postgres", $"CREATE DATABASE {work} TEMPLATE {seed}");
        return Database(server, work);
    }

    private static bool SeedIsComplete(NpgsqlConnectionStringBuilder server, string seedDatabase)
    {
        using var connection = new NpgsqlConnection(Database(server, "postgres"));
        connection.Open();
        using var exists = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", seedDatabase);
        if ((long)exists.ExecuteScalar()! == 0)
        {
            return false;
        }

        using var seed = new NpgsqlConnection(Database(server, seedDatabase));
        seed.Open();
        using var count = new NpgsqlCommand("SELECT value FROM personalize.store_meta WHERE key = 'bench_seeded'", seed);
        try
        {
            return count.ExecuteScalar() is not null;
        }
        catch (PostgresException)
        {
            return false;
        }
    }

    private static void Seed(NpgsqlConnectionStringBuilder server, SendingScenario scenario, int customers, string seedDatabase)
    {
        Execute(server, "postgres", $"DROP DATABASE IF EXISTS {seedDatabase} WITH (FORCE)");
        Execute(server, "postgres", $"CREATE DATABASE {seedDatabase}");
        using (var store = PostgreSqlPersonalizeStore.Open(Database(server, seedDatabase)))
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

        Execute(server, seedDatabase, "INSERT INTO personalize.store_meta (key, value) VALUES ('bench_seeded', '\\x01'::bytea); VACUUM ANALYZE");
        NpgsqlConnection.ClearAllPools();
    }

    private static string Database(NpgsqlConnectionStringBuilder server, string name) => new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = name }.ConnectionString;

    private static void Execute(NpgsqlConnectionStringBuilder server, string database, string sql)
    {
        using var connection = new NpgsqlConnection(Database(server, database));
        connection.Open();
        foreach (var statement in sql.Split("; ", StringSplitOptions.RemoveEmptyEntries))
        {
            using var command = new NpgsqlCommand(statement, connection);
            command.ExecuteNonQuery();
        }
    }
}
