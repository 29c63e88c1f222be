using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Personalize.Benchmarks.Sending;

/// <summary>
/// <c>question-loop --questions none|chosen|links|pair|pair-links --runs N [--warmup N]</c>: the
/// <see cref="ProfilingBenchmarks"/> scenario in this process, N send runs of its 10,000 customers after the warm-up
/// runs, printing the process's CPU time and the bytes allocated per message. CPU and allocation per message hold up
/// better than wall time when other work shares the machine, so a change can be judged against the base build in the
/// same minutes. <c>pair</c> (<c>pair-links</c>) sets up <c>none</c> and <c>chosen</c> (<c>chosen + links</c>) in one
/// process and alternates their runs, so both see the same load and the same code layout; it prints each case's median
/// CPU per message and the median of the per-pair ratios. The mode also gives a profiler (<c>perf record</c> with
/// <c>DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0</c>) one steady process.
/// </summary>
internal static class QuestionLoopMeasure
{
    public static int Run(string[] args)
    {
        var questions = "none";
        string? render = null;
        var runs = 20;
        var warmup = 5;
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--questions": questions = args[i + 1] == "links" ? "chosen + links" : args[i + 1]; break;
                case "--runs": runs = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--warmup": warmup = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--render": render = args[i + 1] is "email" or "sms" ? args[i + 1] : throw new ArgumentException("Use --render email|sms."); break;
                default: throw new ArgumentException($"Unknown option {args[i]}: use --questions none|chosen|links|pair|pair-links [--render email|sms] --runs N [--warmup N].");
            }
        }

        if (render is not null)
        {
            return questions is "none" or "chosen" ? RenderSingle(render, questions, runs, warmup) : RenderPair(render, runs, warmup);
        }

        return questions.StartsWith("pair", StringComparison.Ordinal) ? Pair(questions == "pair" ? "chosen" : "chosen + links", runs, warmup) : Single(questions, runs, warmup);
    }

    private static int Single(string questions, int runs, int warmup)
    {
        var bench = Prepare(questions, warmup);
        Console.Error.WriteLine("warm");
        var cpuBefore = CpuTime();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        long messages = 0;
        for (var r = 0; r < runs; r++)
        {
            messages += bench.SendRun10k();
        }

        clock.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var cpu = CpuTime() - cpuBefore;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{questions}: {messages:N0} messages; wall {clock.Elapsed.TotalMicroseconds / messages:F2} µs/message; CPU {cpu.TotalMicroseconds / messages:F2} µs/message; allocated {allocated / (double)messages:F0} B/message; gen0 {GC.CollectionCount(0)}, gen2 {GC.CollectionCount(2)}"));
        return 0;
    }

    private static int Pair(string other, int runs, int warmup)
    {
        var none = Prepare("none", warmup);
        var with = Prepare(other, warmup);
        Console.Error.WriteLine("warm");
        var (cpuNone, cpuWith, ratios, allocatedNone, allocatedWith, messages) = Alternate(none.SendRun10k, with.SendRun10k, runs);

        var medianNone = Median(cpuNone);
        var medianWith = Median(cpuWith);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"none vs {other}, {runs} alternated runs of 10,000: CPU median {medianNone:F2} vs {medianWith:F2} µs/message ({(medianWith / medianNone - 1) * 100:+0.0;-0.0} %); median of per-pair ratios {(Median(ratios) - 1) * 100:+0.0;-0.0} %; allocated {allocatedNone / (double)messages:F0} vs {allocatedWith / (double)messages:F0} B/message"));
        return 0;
    }

    /// <summary>
    /// <c>--render email|sms</c>: <see cref="Templates.QuestionRenderBenchmarks"/>'s render of one channel's message,
    /// <c>none</c> and <c>chosen</c> alternated in one process, 3,000 messages a run; CPU and bytes per message.
    /// </summary>
    private static int RenderPair(string channel, int runs, int warmup)
    {
        var none = new Templates.QuestionRenderBenchmarks { Questions = "none" };
        var with = new Templates.QuestionRenderBenchmarks { Questions = "chosen" };
        none.Setup();
        with.Setup();
        Func<long> Run(Templates.QuestionRenderBenchmarks bench) => () =>
        {
            for (var i = 0; i < 100; i++)
            {
                _ = channel == "email" ? bench.Email() : bench.Sms();
            }

            return 100 * Templates.QuestionRenderBenchmarks.Customers;
        };

        var (runNone, runWith) = (Run(none), Run(with));
        for (var w = 0; w < warmup; w++)
        {
            runNone();
            runWith();
        }

        var (cpuNone, cpuWith, ratios, allocatedNone, allocatedWith, messages) = Alternate(runNone, runWith, runs);

        var medianNone = Median(cpuNone) * 1000;
        var medianWith = Median(cpuWith) * 1000;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"render {channel}, none vs chosen, {runs} alternated runs of 3,000: CPU median {medianNone:F0} vs {medianWith:F0} ns/message (+{medianWith - medianNone:F0} ns, {(medianWith / medianNone - 1) * 100:+0.0;-0.0} %); median of per-pair ratios {(Median(ratios) - 1) * 100:+0.0;-0.0} %; allocated {allocatedNone / (double)messages:F0} vs {allocatedWith / (double)messages:F0} B/message"));
        return 0;
    }

    /// <summary><c>--render email|sms --questions none|chosen</c>: one case only (a steady process for a profiler).</summary>
    private static int RenderSingle(string channel, string questions, int runs, int warmup)
    {
        var bench = new Templates.QuestionRenderBenchmarks { Questions = questions };
        bench.Setup();
        long Run()
        {
            for (var i = 0; i < 100; i++)
            {
                _ = channel == "email" ? bench.Email() : bench.Sms();
            }

            return 100 * Templates.QuestionRenderBenchmarks.Customers;
        }

        for (var w = 0; w < warmup; w++)
        {
            Run();
        }

        var cpu = new double[runs];
        long allocated = 0, messages = 0;
        for (var r = 0; r < runs; r++)
        {
            var (c, a, m) = Measure(Run);
            (cpu[r], allocated, messages) = (c, allocated + a, messages + m);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"render {channel}, {questions}, {runs} runs of 3,000: CPU median {Median(cpu) * 1000:F0} ns/message; allocated {allocated / (double)messages:F0} B/message"));
        return 0;
    }

    /// <summary>
    /// Runs the two cases <paramref name="runs"/> times each, alternating which goes first so a drift of the load within a
    /// pair does not favour one: CPU µs per run of each, their per-pair ratios (with / none), bytes allocated by each, and
    /// the messages of one case's runs (both cases send the same).
    /// </summary>
    private static (double[] CpuNone, double[] CpuWith, double[] Ratios, long AllocatedNone, long AllocatedWith, long Messages) Alternate(Func<long> none, Func<long> with, int runs)
    {
        var cpuNone = new double[runs];
        var cpuWith = new double[runs];
        var ratios = new double[runs];
        long allocatedNone = 0, allocatedWith = 0, messages = 0;
        for (var r = 0; r < runs; r++)
        {
            var noneFirst = r % 2 == 0;
            var (cpuFirst, allocatedFirst, sent) = Measure(noneFirst ? none : with);
            var (cpuSecond, allocatedSecond, _) = Measure(noneFirst ? with : none);
            (cpuNone[r], cpuWith[r]) = noneFirst ? (cpuFirst, cpuSecond) : (cpuSecond, cpuFirst);
            allocatedNone += noneFirst ? allocatedFirst : allocatedSecond;
            allocatedWith += noneFirst ? allocatedSecond : allocatedFirst;
            ratios[r] = cpuWith[r] / cpuNone[r];
            messages += sent;
        }

        return (cpuNone, cpuWith, ratios, allocatedNone, allocatedWith, messages);
    }

    private static (double CpuMicroseconds, long Allocated, long Messages) Measure(Func<long> run)
    {
        var cpuBefore = CpuTime();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var messages = run();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        return ((CpuTime() - cpuBefore).TotalMicroseconds / messages, allocated, messages);
    }

    private static ProfilingBenchmarks Prepare(string questions, int warmup)
    {
        var bench = new ProfilingBenchmarks { Questions = questions };
        bench.Setup();
        for (var w = 0; w < warmup; w++)
        {
            bench.SendRun10k();
        }

        return bench;
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>The process's CPU time to the nanosecond on Linux (<c>clock_gettime(CLOCK_PROCESS_CPUTIME_ID)</c>; <see cref="Process.TotalProcessorTime"/> counts 10 ms ticks there), else the process's total.</summary>
    private static TimeSpan CpuTime()
    {
        if (OperatingSystem.IsLinux() && ClockGetTime(2, out var spec) == 0)
        {
            return TimeSpan.FromTicks((spec.Seconds * TimeSpan.TicksPerSecond) + (spec.Nanoseconds / 100));
        }

        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec spec);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
