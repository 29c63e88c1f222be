using System.Diagnostics;
using System.Globalization;

namespace Personalize.Benchmarks.Sending;

/// <summary>
/// <c>store-path [--rounds N] [--customers N] [--only read|record]</c>: <see cref="StorePathBenchmarks"/>' two halves (reading pages of 500
/// customers; recording one message per customer a page at a time) run in a plain loop in this process, each round
/// 10,000 customers, with the CPU time and allocation per customer of each half (the process's CPU: the store works on
/// the calling thread, but SQLite's and the runtime's other threads count too). Splits the closed loop's store share
/// from decide and render without BenchmarkDotNet's build.
/// </summary>
internal static class StorePathMeasure
{
    public static int Run(string[] args)
    {
        var rounds = 5;
        var customers = 100_000;
        string? only = null;
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--rounds": rounds = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--customers": customers = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--only": only = args[i + 1]; break;
                default: throw new ArgumentException($"Unknown option {args[i]}: use --rounds N [--customers N] [--only read|record].");
            }
        }

        var benchmark = new StorePathBenchmarks { Customers = customers };
        var setup = Stopwatch.StartNew();
        benchmark.Setup();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"setup {setup.Elapsed.TotalSeconds:F1} s (to profile the rounds alone: perf record -D with more than that)"));
        try
        {
            for (var r = 0; r < rounds; r++)
            {
                if (only is null or "read")
                {
                    Measure("read", benchmark.Read);
                }

                if (only is null or "record")
                {
                    Measure("record", benchmark.Record);
                }
            }
        }
        finally
        {
            benchmark.Cleanup();
        }

        return 0;
    }

    private static void Measure(string name, Func<long> action)
    {
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        var count = action();
        clock.Stop();
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-6} {count:N0}: wall {clock.Elapsed.TotalMicroseconds / count:F2} µs, CPU {cpu.TotalMicroseconds / count:F2} µs, {allocated / (double)count:F0} B per customer"));
    }
}
