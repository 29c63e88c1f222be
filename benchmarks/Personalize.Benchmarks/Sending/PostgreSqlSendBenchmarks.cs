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
        _seedDatabase = "pz_bench_seed_" + Customers.ToString(CultureInfo.InvariantCulture);
        if (!SeedIsComplete())
        {
            Seed();
        }

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
        NpgsqlConnection.ClearAllPools();
        Execute("postgres", $"DROP DATABASE IF EXISTS {WorkDatabase} WITH (FORCE)");
        Execute("postgres", $"CREATE DATABASE {WorkDatabase} TEMPLATE {_seedDatabase}");
        _store = PostgreSqlPersonalizeStore.Open(Database(WorkDatabase));
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

    private bool SeedIsComplete()
    {
        using var connection = new NpgsqlConnection(Database("postgres"));
        connection.Open();
        using var exists = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", _seedDatabase);
        if ((long)exists.ExecuteScalar()! == 0)
        {
            return false;
        }

        using var seed = new NpgsqlConnection(Database(_seedDatabase));
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

    private void Seed()
    {
        Execute("postgres", $"DROP DATABASE IF EXISTS {_seedDatabase} WITH (FORCE)");
        Execute("postgres", $"CREATE DATABASE {_seedDatabase}");
        using (var store = PostgreSqlPersonalizeStore.Open(Database(_seedDatabase)))
        {
            foreach (var batch in _scenario.Stream(Customers).Chunk(10_000))
            {
                var result = store.ImportCustomersAsync(batch).AsTask().GetAwaiter().GetResult();
                if (!result.Succeeded)
                {
                    throw new InvalidOperationException(string.Join("; ", result.Errors));
                }
            }
        }

        Execute(_seedDatabase, "INSERT INTO personalize.store_meta (key, value) VALUES ('bench_seeded', '\\x01'::bytea); VACUUM ANALYZE");
        NpgsqlConnection.ClearAllPools();
    }

    private string Database(string name) => new NpgsqlConnectionStringBuilder(_server.ConnectionString) { Database = name }.ConnectionString;

    private void Execute(string database, string sql)
    {
        using var connection = new NpgsqlConnection(Database(database));
        connection.Open();
        foreach (var statement in sql.Split("; ", StringSplitOptions.RemoveEmptyEntries))
        {
            using var command = new NpgsqlCommand(statement, connection);
            command.ExecuteNonQuery();
        }
    }
}
