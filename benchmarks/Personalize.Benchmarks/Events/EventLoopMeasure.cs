using System.Diagnostics;
using System.Globalization;
using Personalize.Benchmarks.Sending;
using Personalize.Delivery.Sinks;
using Personalize.Events;
using Personalize.Sending;

namespace Personalize.Benchmarks.Events;

/// <summary>
/// <c>events-loop ingest --events N</c> and <c>events-loop tick --customers N</c>: one ingestion (the
/// <see cref="EventIngestionBenchmarks"/> scenario) or one tick (the <see cref="TickBenchmarks"/> scenario, nothing due)
/// over SQLite in this process, printing wall time, CPU time per event or customer, allocation and the process's peak
/// working set. BenchmarkDotNet measures rates; this mode answers what it cannot: CPU per item on a shared machine, and
/// whether a whole tick's memory stays flat from 100,000 to 1,000,000 customers (run once per size, each in its own
/// process, and compare the peak working sets). <c>--repeat N</c> runs it N times: ingestion into a fresh copy of the
/// seeded store each time; the tick N times over one copy (it writes no customer: nothing is due).
/// </summary>
internal static class EventLoopMeasure
{
    public static int Run(string[] args)
    {
        var mode = args.Length > 1 ? args[1] : throw new ArgumentException("Use events-loop ingest --events N, or events-loop tick --customers N.");
        var count = mode == "tick" ? 100_000 : 50_000;
        var repeat = 1;
        var options = new EventOptions();
        int? schema = null;
        var randomIds = false;
        var reuse = false;
        for (var i = 2; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--events" or "--customers": count = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--repeat": repeat = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--batch": options = options with { BatchSize = int.Parse(args[i + 1], CultureInfo.InvariantCulture) }; break;
                case "--schema": schema = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--copy": reuse = args[i + 1] == "reuse" ? true : args[i + 1] == "fresh" ? false : throw new ArgumentException("Use --copy fresh or --copy reuse."); break;
                case "--ids": randomIds = args[i + 1] == "random" ? true : args[i + 1] == "sequential" ? false : throw new ArgumentException("Use --ids sequential or --ids random."); break;
                default: throw new ArgumentException($"Unknown option {args[i]}: use --events N or --customers N, [--repeat N] [--batch N (events per transaction)] [--ids sequential|random] [--copy fresh|reuse (tick: open the copy an earlier launch left instead of copying the seed again)] [--schema N (SQLite schema version, to compare with an earlier layout)].");
            }
        }

        var scenario = new SendingScenario();
        if (mode == "ingest")
        {
            var events = EventBench.Events(count, Math.Max(1, count / 10), "e-");
            if (randomIds)
            {
                events = EventBench.RandomIds(events);
            }

            for (var r = 0; r < repeat; r++)
            {
                using var store = EventBench.SqliteCopy(scenario, Math.Max(1, count / 10), schema is { } version ? $"ingest-v{version}" : "ingest", schema: schema);
                Measure("events", count, () =>
                {
                    var summary = new EventIngestor(options).IngestAsync(EventBench.Stream(events), store, EventBench.At).GetAwaiter().GetResult();
                    if (summary.Applied != count)
                    {
                        throw new InvalidOperationException($"{summary.Applied} of {count} events applied: {summary.Rejected.FirstOrDefault()?.Message}");
                    }
                });
            }

            return 0;
        }

        var runner = scenario.Runner(NullSink.Instance);
        var run = new TickRun(scenario.Catalog, scenario.Content) { At = EventBench.At };
        // One copy of the seeded file per launch, ticked --repeat times: the measured tick runs at the prepared tick's
        // instant, so it finds every occasion marked and every customer in their cell and writes no customer (checked
        // below) — each repeat reads the same store. A copy per repeat would put a whole-file copy (6.5 GB at 1,000,000
        // customers) between repeats and measure the tick against a page cache the copy just churned.
        var copying = Stopwatch.StartNew();
        // --copy reuse opens the copy an earlier launch ticked (it wrote no customer, only its run's row), so launch after
        // launch reads a file the page cache holds instead of a fresh copy the first tick must fetch from the disk.
        using var ticked = EventBench.SqliteCopy(scenario, count, "tick", reuse: reuse, prepare: s =>
        {
            var seeding = Stopwatch.StartNew();
            new EventIngestor().IngestAsync(EventBench.Stream(EventBench.Events(count * 5, count, "t-")), s, EventBench.At).GetAwaiter().GetResult();
            runner.TickAsync(run, s).GetAwaiter().GetResult();
            Console.WriteLine($"prepared {count:N0} customers in {seeding.Elapsed.TotalSeconds:F1} s");
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"copied and opened the seeded store in {copying.Elapsed.TotalSeconds:F1} s"));
        for (var r = 0; r < repeat; r++)
        {
            Measure("customers", count, () =>
            {
                var summary = runner.TickAsync(run, ticked).GetAwaiter().GetResult();
                if (summary.Customers != count || summary.Fired.Count != 0 || summary.TierChanges != 0)
                {
                    throw new InvalidOperationException($"Scenario check failed: {summary.Customers} customers, {summary.Fired.Count} occasions, {summary.TierChanges} tier changes.");
                }
            });
        }

        return 0;
    }

    private static void Measure(string what, int count, Action work)
    {
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        work();
        clock.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what} {count:N0}: wall {clock.Elapsed.TotalSeconds:F2} s ({count / clock.Elapsed.TotalSeconds:N0}/s), CPU {cpu.TotalSeconds:F2} s ({count / cpu.TotalSeconds:N0} per CPU-second), allocated {allocated / (double)count:N0} B each, peak working set {process.PeakWorkingSet64 / 1048576.0:F0} MB, GC heap now {GC.GetTotalMemory(false) / 1048576.0:F0} MB"));
    }
}
