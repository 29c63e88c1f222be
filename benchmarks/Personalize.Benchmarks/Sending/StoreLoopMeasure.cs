using System.Diagnostics;
using System.Globalization;
using Personalize.Delivery.Sinks;
using Personalize.Sending;
using Personalize.Sqlite;

namespace Personalize.Benchmarks.Sending;

/// <summary>
/// <c>store-loop --customers N</c>: the closed loop on SQLite (the <see cref="StoreSendBenchmarks"/> scenario) run once
/// in this process over a fresh copy of a seeded store of N customers, printing wall time, messages per second,
/// allocation per message and the process's peak working set. BenchmarkDotNet measures rates; this mode answers the
/// question it cannot: does the memory of a whole run stay flat from 100,000 to 1,000,000 customers (run it once per
/// size, each in its own process, and compare the peak working sets).
/// </summary>
internal static class StoreLoopMeasure
{
    public static int Run(string[] args)
    {
        var customers = 100_000;
        var repeat = 1;
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--customers": customers = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--repeat": repeat = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"Unknown option {args[i]}: use --customers N [--repeat N].");
            }
        }

        var scenario = new SendingScenario();
        var runner = scenario.Runner(NullSink.Instance);
        var run = new SendRun(scenario.Catalog, scenario.Content, scenario.Trigger) { At = scenario.At };
        var folder = Path.Combine(Path.GetTempPath(), "personalize-bench-store");
        Directory.CreateDirectory(folder);
        var pristine = Path.Combine(folder, $"seeded-{customers.ToString(CultureInfo.InvariantCulture)}.db");
        if (!File.Exists(pristine))
        {
            var seeding = Stopwatch.StartNew();
            StoreSendBenchmarks.Seed(scenario, customers, pristine + ".partial");
            File.Move(pristine + ".partial", pristine);
            Console.WriteLine($"seeded {customers:N0} customers in {seeding.Elapsed.TotalSeconds:F1} s");
        }

        var work = Path.Combine(folder, "loop-work.db");
        for (var r = 0; r < repeat; r++)
        {
            foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
            {
                File.Delete(work + suffix);
            }

            File.Copy(pristine, work);
            using var store = SqlitePersonalizeStore.Open(work);
            var process = Process.GetCurrentProcess();
            var cpuBefore = process.TotalProcessorTime;
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var clock = Stopwatch.StartNew();
            var summary = runner.RunAsync(run, store).GetAwaiter().GetResult();
            clock.Stop();
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            process.Refresh();
            var cpu = process.TotalProcessorTime - cpuBefore;
            if (summary.Messages != customers || summary.Totals.Errors != 0)
            {
                throw new InvalidOperationException($"Scenario check failed: {summary.Messages} messages, {summary.Totals.Errors} errors for {customers} customers.");
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"customers {customers:N0}: wall {clock.Elapsed.TotalSeconds:F2} s, {customers / clock.Elapsed.TotalSeconds:N0} messages/s, CPU {cpu.TotalSeconds:F2} s ({customers / cpu.TotalSeconds:N0} messages per CPU-second), allocated {allocated / (double)customers / 1024:F1} KB/message, peak working set {process.PeakWorkingSet64 / 1048576.0:F0} MB, GC heap now {GC.GetTotalMemory(false) / 1048576.0:F0} MB"));
        }

        return 0;
    }
}
