using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Personalize.Customers;
using Personalize.Delivery.Sinks;
using Personalize.Sending;
using Personalize.Sqlite;
using Personalize.Storage;

namespace Personalize.Benchmarks.Sending;

/// <summary>
/// The closed loop end to end: <see cref="SendRunner.RunAsync(SendRun, IPersonalizeStore, IProgress{SendProgress}?, CancellationToken)"/>
/// over every customer of a store — read a page of profiles with their consent ledger and history, decide, render the
/// 5 KB email or the SMS, record each message's delivery log entry and contact history record (one transaction per
/// page), hand it to <see cref="NullSink"/>, mark it delivered — on SQLite (a file, WAL, synchronous=FULL) at 100,000
/// and 1,000,000 customers (memory per message must not grow), with the in-memory store and the run without a store as
/// peers. Every customer gets one message; a benchmark is one whole run, so messages per second = Customers / Mean(s)
/// and memory per message = Allocated / Customers (BenchmarkDotNet cannot divide by a parameter). Each iteration starts from a copy
/// of the same seeded database (the copy is not measured).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5, invocationCount: 1)]
public class StoreSendBenchmarks
{
    private static readonly string Folder = Path.Combine(Path.GetTempPath(), "personalize-bench-store");
    private SendingScenario _scenario = null!;
    private SendRunner _runner = null!;
    private SendRun _run = null!;
    private string _pristine = null!;
    private IPersonalizeStore _store = null!;

    /// <summary>Gets or sets how many customers the store holds.</summary>
    [ParamsSource(nameof(CustomerCounts))]
    public int Customers { get; set; }

    /// <summary>Gets the store sizes: 100,000 and 1,000,000, or the comma-separated list in <c>PERSONALIZE_BENCH_CUSTOMERS</c> (as <see cref="PostgreSqlSendBenchmarks"/>).</summary>
    public static IEnumerable<int> CustomerCounts
        => (Environment.GetEnvironmentVariable("PERSONALIZE_BENCH_CUSTOMERS") ?? "100000,1000000").Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture));

    [GlobalSetup]
    public void Setup()
    {
        _scenario = new SendingScenario();
        _runner = _scenario.Runner(NullSink.Instance);
        _run = new SendRun(_scenario.Catalog, _scenario.Content, _scenario.Trigger) { At = _scenario.At };
        _pristine = SeededStore(_scenario, Customers);

        // The figure is per message only if every customer gets exactly one.
        IterationSetupSqlite();
        var summary = _runner.RunAsync(_run, _store).GetAwaiter().GetResult();
        IterationCleanup();
        if (summary.Messages != Customers || summary.Totals.Errors != 0)
        {
            throw new InvalidOperationException($"Scenario check failed: {summary.Messages} messages, {summary.Totals.Errors} errors for {Customers} customers.");
        }
    }

    [IterationSetup(Target = nameof(Sqlite))]
    public void IterationSetupSqlite()
    {
        _store = SqlitePersonalizeStore.Open(FreshCopy(_pristine, "work.db"));
    }

    [IterationSetup(Target = nameof(InMemory))]
    public void IterationSetupInMemory()
    {
        var store = new InMemoryPersonalizeStore();
        foreach (var batch in _scenario.Stream(Customers).Chunk(10_000))
        {
            store.ImportCustomersAsync(batch).AsTask().GetAwaiter().GetResult();
        }

        _store = store;
    }

    [IterationCleanup]
    public void IterationCleanup() => (_store as IDisposable)?.Dispose();

    [Benchmark(Description = "closed loop on SQLite: read + decide + render + record + NullSink (whole run)")]
    public long Sqlite() => Run();

    [Benchmark(Description = "closed loop on the in-memory store (whole run)")]
    public long InMemory() => Run();

    [Benchmark(Baseline = true, Description = "send run without a store: streamed customers, NullSink (whole run)")]
    public long NoStore()
    {
        var summary = _runner.RunAsync(_run, _scenario.Stream(Customers)).GetAwaiter().GetResult();
        return summary.Messages;
    }

    private long Run()
    {
        var summary = _runner.RunAsync(_run, _store).GetAwaiter().GetResult();
        return summary.Messages;
    }

    /// <summary>
    /// The seeded database of <paramref name="customers"/> customers of the scenario for this schema version, in the
    /// benchmarks' folder under the temporary directory: written once (through a <c>.partial</c> file, so an interrupted
    /// seeding is never taken for a whole one) and shared by every benchmark and harness mode that runs over the store.
    /// </summary>
    internal static string SeededStore(SendingScenario scenario, int customers)
    {
        Directory.CreateDirectory(Folder);
        var pristine = Path.Combine(Folder, $"seeded-{customers.ToString(CultureInfo.InvariantCulture)}-v{SqlitePersonalizeStore.SchemaVersion.ToString(CultureInfo.InvariantCulture)}.db");
        if (!File.Exists(pristine))
        {
            var seeding = System.Diagnostics.Stopwatch.StartNew();
            Seed(scenario, customers, pristine + ".partial");
            File.Move(pristine + ".partial", pristine);
            Console.WriteLine($"seeded {customers:N0} customers in {seeding.Elapsed.TotalSeconds:F1} s");
        }

        return pristine;
    }

    /// <summary>A fresh copy of <paramref name="pristine"/> named <paramref name="name"/> in the benchmarks' folder (the copy's old log files removed); its path.</summary>
    internal static string FreshCopy(string pristine, string name)
    {
        var path = Path.Combine(Folder, name);
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            File.Delete(path + suffix);
        }

        File.Copy(pristine, path);
        return path;
    }

    /// <summary>Writes a store of <paramref name="customers"/> customers of the scenario (the benchmarks' seeded database).</summary>
    internal static void Seed(SendingScenario scenario, int customers, string path)
    {
        File.Delete(path);
        using var store = SqlitePersonalizeStore.Open(path);
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
