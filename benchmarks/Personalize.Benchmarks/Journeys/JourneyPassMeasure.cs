using System.Diagnostics;
using System.Globalization;

namespace Personalize.Benchmarks.Journeys;

/// <summary>
/// <c>journey-pass --customers N --store sqlite|memory|postgres --passes K [--postgres CONNECTION [--pg-data DIR]] [--page-size N]</c>:
/// the <see cref="JourneyDueBenchmarks"/> scenario in
/// this process, K due passes one week apart, printing per pass the wall time, the CPU time of the process and the bytes
/// allocated per instance advanced. CPU time and allocation hold up when other work shares the machine (wall time does
/// not; on PostgreSQL the server's CPU is counted beside it when <c>--pg-data</c> names the cluster's folder); the mode also gives a profiler (<c>dotnet-trace collect -- …</c>) one process to look at.
/// </summary>
internal static class JourneyPassMeasure
{
    public static int Run(string[] args)
    {
        var customers = 100_000;
        var store = "sqlite";
        var passes = 3;
        string? pgData = null;
        var allocationTypes = 0;
        int? pageSize = null;
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--customers": customers = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--store": store = args[i + 1]; break;
                case "--passes": passes = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--postgres": Environment.SetEnvironmentVariable("PERSONALIZE_BENCH_POSTGRES", args[i + 1]); store = "postgres"; break;
                case "--pg-data": pgData = args[i + 1]; break;
                case "--alloc-types": allocationTypes = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--page-size": pageSize = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"Unknown option {args[i]}: use --customers N --store sqlite|memory|postgres --passes K [--postgres CONNECTION [--pg-data DIR]] [--alloc-types N] [--page-size N].");
            }
        }

        Environment.SetEnvironmentVariable("PERSONALIZE_BENCH_JOURNEY_STORES", store);
        var bench = new JourneyDueBenchmarks { Customers = customers };
        if (pageSize is { } size)
        {
            bench.PageSize = size;
        }

        var setup = Stopwatch.StartNew();
        bench.Setup();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"set up {customers:N0} customers ({customers / 10:N0} in the journey) on {store} in {setup.Elapsed.TotalSeconds:F1} s"));
        using var sampler = allocationTypes > 0 ? new Sending.AllocationSampler() : null;
        try
        {
            var process = Process.GetCurrentProcess();
            for (var p = 0; p < passes; p++)
            {
                process.Refresh();
                var cpuBefore = process.TotalProcessorTime;
                var serverBefore = Sending.StoreLoopMeasure.ServerCpu(pgData);
                var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                var pauseBefore = GC.GetTotalPauseDuration();
                var (gen0, gen1, gen2) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
                sampler?.Start();
                var clock = Stopwatch.StartNew();
                var instances = store switch { "memory" => bench.InMemory(), "postgres" => bench.PostgreSql(), _ => bench.Sqlite() };
                clock.Stop();
                var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
                var pause = GC.GetTotalPauseDuration() - pauseBefore;
                var collections = string.Create(CultureInfo.InvariantCulture, $"GC pauses {pause.TotalSeconds:F2} s ({GC.CollectionCount(0) - gen0} gen0, {GC.CollectionCount(1) - gen1} gen1, {GC.CollectionCount(2) - gen2} gen2; heap {GC.GetGCMemoryInfo().HeapSizeBytes / 1048576.0:F0} MB, last gen2 kept {GC.GetGCMemoryInfo(GCKind.Background).PromotedBytes / 1048576.0:F0} MB)");
                process.Refresh();
                var cpu = process.TotalProcessorTime - cpuBefore;
                var server = Sending.StoreLoopMeasure.ServerCpu(pgData) - serverBefore;
                var serverText = server > TimeSpan.Zero ? string.Create(CultureInfo.InvariantCulture, $" + server {server.TotalSeconds:F2} s") : string.Empty;
                var total = cpu + server;
                sampler?.StopAndPrint((int)Math.Max(instances, 1), allocationTypes);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pass {p + 1}: {instances:N0} instances; wall {clock.Elapsed.TotalSeconds:F2} s ({customers / clock.Elapsed.TotalSeconds:N0} stored customers/s); CPU {cpu.TotalSeconds:F2} s{serverText} ({customers / total.TotalSeconds:N0} stored customers per CPU-second, {instances / total.TotalSeconds:N0} instances per CPU-second); allocated {allocated / (double)instances / 1024:F1} KB/instance; {collections}"));
            }
        }
        finally
        {
            bench.Cleanup();
        }

        return 0;
    }
}
