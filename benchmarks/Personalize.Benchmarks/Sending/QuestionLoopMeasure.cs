using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Personalize.Benchmarks.Sending;

/// <summary>
/// <c>question-loop --questions none|chosen|links|pair|pair-links|pair-none --runs N [--warmup N] [--pool N]</c>: the
/// <see cref="ProfilingBenchmarks"/> scenario in this process, N send runs of its 10,000 customers after the warm-up
/// runs, printing the process's CPU time and the bytes allocated per message. CPU and allocation per message hold up
/// better than wall time when other work shares the machine, so a change can be judged against the base build in the
/// same minutes. <c>pair</c> (<c>pair-links</c>) sets up <c>none</c> and <c>chosen</c> (<c>chosen + links</c>) in one
/// process and alternates their runs, so both see the same load and the same code layout; it prints each case's median
/// CPU per message (<c>pair-none</c>: two instances of <c>none</c>, an A/A check of the harness's own bias), the median of the per-pair ratios and each case's GC pause per message; the two cases warm up
/// alternated and the process settles before the measured runs. <c>--pool N</c> sends copies of N distinct customers
/// (1,000) — a small pool keeps every customer's data in cache, to see what cold customer data costs. The mode also gives a profiler (<c>perf record</c> with
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
        var pool = 1000;
        string? store = null;
        var customers = 100_000;
        string? only = null;
        var allocations = false;
        var priorAsks = false;
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--questions": questions = args[i + 1] == "links" ? "chosen + links" : args[i + 1]; break;
                case "--runs": runs = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--warmup": warmup = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--pool": pool = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--store": store = args[i + 1] is "sqlite" or "postgres" ? args[i + 1] : throw new ArgumentException("Use --store sqlite|postgres."); break;
                case "--customers": customers = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--only": only = args[i + 1] is "none" or "chosen" ? args[i + 1] : throw new ArgumentException("Use --only none|chosen."); break;
                case "--prior-asks": priorAsks = args[i + 1] is "on" ? true : throw new ArgumentException("Use --prior-asks on."); break;
                case "--allocations": allocations = args[i + 1] is "on" ? true : throw new ArgumentException("Use --allocations on."); break;
                case "--render": render = args[i + 1] is "email" or "sms" or "mixed" ? args[i + 1] : throw new ArgumentException("Use --render email|sms|mixed."); break;
                default: throw new ArgumentException($"Unknown option {args[i]}: use --questions none|chosen|links|pair|pair-links|pair-none [--render email|sms|mixed] --runs N [--warmup N] [--pool N] [--store sqlite|postgres [--customers N] [--only none|chosen] [--allocations on] [--prior-asks on]].");
            }
        }

        if (store is not null)
        {
            return StorePair(store, customers, runs, warmup, only, allocations, priorAsks);
        }

        if (render is not null)
        {
            return questions is "none" or "chosen" ? RenderSingle(render, questions, runs, warmup) : RenderPair(render, runs, warmup);
        }

        return questions.StartsWith("pair", StringComparison.Ordinal) ? Pair(questions switch { "pair" => "chosen", "pair-none" => "none", _ => "chosen + links" }, runs, warmup, pool) : Single(questions, runs, warmup, pool);
    }

    private static int Single(string questions, int runs, int warmup, int pool)
    {
        var bench = Prepare(questions, warmup, pool);
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

    private static int Pair(string other, int runs, int warmup, int pool)
    {
        // Both cases warm up alternated, then the process settles (see Settle): each case's code reaches its steady tier
        // with the same history, so the pairs compare steady states (session 13: warming one case after the other left
        // the second's own methods in instrumented code for part of the measured runs).
        var none = Prepare("none", 0, pool);
        var with = Prepare(other, 0, pool);
        for (var w = 0; w < warmup; w++)
        {
            none.SendRun10k();
            with.SendRun10k();
        }

        Settle(() => { none.SendRun10k(); with.SendRun10k(); });
        Console.Error.WriteLine("warm");
        var (cpuNone, cpuWith, ratios, allocatedNone, allocatedWith, messages) = Alternate(none.SendRun10k, with.SendRun10k, runs);

        var medianNone = Median(cpuNone);
        var medianWith = Median(cpuWith);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"none vs {other}, {runs} alternated runs of 10,000: CPU median {medianNone:F2} vs {medianWith:F2} µs/message ({(medianWith / medianNone - 1) * 100:+0.0;-0.0} %); median of per-pair ratios {(Median(ratios) - 1) * 100:+0.0;-0.0} %; allocated {allocatedNone / (double)messages:F0} vs {allocatedWith / (double)messages:F0} B/message; GC pause median {Median(PauseNone):F2} vs {Median(PauseWith):F2} µs/message"));
        Console.WriteLine(Spread(ratios));
        return 0;
    }

    /// <summary>
    /// <c>--render email|sms|mixed</c>: <see cref="Templates.QuestionRenderBenchmarks"/>'s render of one channel's message (mixed: email and SMS customer by customer),
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
                _ = channel switch { "email" => bench.Email(), "sms" => bench.Sms(), _ => bench.Mixed() };
            }

            return 100 * Templates.QuestionRenderBenchmarks.Customers;
        };

        var (runNone, runWith) = (Run(none), Run(with));
        for (var w = 0; w < warmup; w++)
        {
            runNone();
            runWith();
        }

        Settle(() => { runNone(); runWith(); });

        var (cpuNone, cpuWith, ratios, allocatedNone, allocatedWith, messages) = Alternate(runNone, runWith, runs);

        var medianNone = Median(cpuNone) * 1000;
        var medianWith = Median(cpuWith) * 1000;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"render {channel}, none vs chosen, {runs} alternated runs of 3,000: CPU median {medianNone:F0} vs {medianWith:F0} ns/message (+{medianWith - medianNone:F0} ns, {(medianWith / medianNone - 1) * 100:+0.0;-0.0} %); median of per-pair ratios {(Median(ratios) - 1) * 100:+0.0;-0.0} %; allocated {allocatedNone / (double)messages:F0} vs {allocatedWith / (double)messages:F0} B/message"));
        Console.WriteLine(Spread(ratios));
        return 0;
    }

    /// <summary>
    /// <c>--store sqlite|postgres [--customers N]</c>: the closed loop on SQLite (<see cref="StoreLoopMeasure"/>'s run over a
    /// fresh copy of the seeded store of N customers, null sink) or on PostgreSQL (a fresh copy of the seeded database of
    /// <see cref="PostgreSqlSendBenchmarks"/>; <c>PERSONALIZE_BENCH_POSTGRES</c> names the server) with the question
    /// benchmark's templates, <c>none</c> (no bank) and <c>chosen</c> (the bank) alternated run by run in one process: the
    /// question's share of a send run that records (each ask is written as the fact <c>asked.ID</c> with the message).
    /// CPU per message of the process (SQLite runs in it; PostgreSQL's server does not: its own work is not counted, only
    /// the client's), the run's copy of the database not measured. <c>--only none|chosen</c> runs one case (a steady process
    /// for a profiler); <c>--allocations on</c> then samples each case's allocations by type over one more run of each.
    /// <c>--prior-asks on</c> (SQLite) starts every run from a store where each customer was already asked, by a run one
    /// ask-again period and a day earlier: the measured ask rewrites that fact in place (the same size) instead of adding
    /// the customer's first, which grows the customers' rows — the steady state of a bank whose questions were asked
    /// before, against the benchmark's default of everyone's first ask.
    /// </summary>
    private static int StorePair(string kind, int customers, int runs, int warmup, string? only = null, bool allocations = false, bool priorAsks = false)
    {
        var bank = Personalize.Profiling.QuestionBankJson.Read(System.Text.Encoding.UTF8.GetBytes(ProfilingBenchmarks.BankJson));
        var none = new SendingScenario(questions: null, emailPart: ProfilingBenchmarks.EmailPart, smsPart: ProfilingBenchmarks.SmsPart);
        var with = new SendingScenario(questions: bank, emailPart: ProfilingBenchmarks.EmailPart, smsPart: ProfilingBenchmarks.SmsPart);
        Personalize.Storage.IPersonalizeStore? store = null;
        Func<Personalize.Storage.IPersonalizeStore> open;
        if (kind == "postgres")
        {
            var connection = Environment.GetEnvironmentVariable("PERSONALIZE_BENCH_POSTGRES") is { Length: > 0 } value
                ? value
                : throw new InvalidOperationException("Set PERSONALIZE_BENCH_POSTGRES to a PostgreSQL connection string (a user that may create databases), for example from `bash .ci/postgres.sh start --durable`.");
            var server = new Npgsql.NpgsqlConnectionStringBuilder(connection) { Pooling = true };
            var seed = PostgreSqlSendBenchmarks.SeededDatabase(server, none, customers);
            open = () => Personalize.PostgreSql.PostgreSqlPersonalizeStore.Open(PostgreSqlSendBenchmarks.FreshCopy(server, seed, "pz_question_loop_work"));
        }
        else
        {
            var pristine = StoreSendBenchmarks.SeededStore(none, customers);
            if (priorAsks)
            {
                var primed = StoreSendBenchmarks.FreshCopy(pristine, "question-loop-primed.db");
                using (var priming = Personalize.Sqlite.SqlitePersonalizeStore.Open(primed))
                {
                    var earlier = new Personalize.Sending.SendRun(with.Catalog, with.Content, with.Trigger) { At = with.At - bank.AskAgainAfter - TimeSpan.FromDays(1) };
                    var primedSummary = with.Runner(Personalize.Delivery.Sinks.NullSink.Instance).RunAsync(earlier, priming).GetAwaiter().GetResult();
                    Console.Error.WriteLine($"primed: {primedSummary.Messages:N0} messages asked a day more than {bank.AskAgainAfter.TotalDays:F0} days before the runs");
                }

                pristine = primed;
            }

            open = () => Personalize.Sqlite.SqlitePersonalizeStore.Open(StoreSendBenchmarks.FreshCopy(pristine, "question-loop-work.db"));
        }

        void Fresh()
        {
            (store as IDisposable)?.Dispose();
            store = open();
        }

        Func<long> Run(SendingScenario scenario)
        {
            var runner = scenario.Runner(Personalize.Delivery.Sinks.NullSink.Instance);
            var run = new Personalize.Sending.SendRun(scenario.Catalog, scenario.Content, scenario.Trigger) { At = scenario.At };
            return () =>
            {
                var summary = runner.RunAsync(run, store!).GetAwaiter().GetResult();
                if (summary.Messages != customers || summary.Totals.Errors != 0)
                {
                    throw new InvalidOperationException($"Scenario check failed: {summary.Messages} messages, {summary.Totals.Errors} errors for {customers} customers.");
                }

                return summary.Messages;
            };
        }

        var (runNone, runWith) = (Run(none), Run(with));
        for (var w = 0; w < warmup; w++)
        {
            Fresh();
            runNone();
            Fresh();
            runWith();
        }

        Thread.Sleep(300);
        Console.Error.WriteLine("warm");
        if (only is not null)
        {
            var one = only == "none" ? runNone : runWith;
            var cpu = new double[runs];
            long allocatedOne = 0, sentOne = 0;
            for (var r = 0; r < runs; r++)
            {
                Fresh();
                var (c, a, m) = Measure(one);
                (cpu[r], allocatedOne, sentOne) = (c, allocatedOne + a, sentOne + m);
            }

            (store as IDisposable)?.Dispose();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{kind}, {customers:N0} customers, {only} only, {runs} runs: CPU median {Median(cpu):F2} µs/message; allocated {allocatedOne / (double)sentOne:F0} B/message"));
            return 0;
        }

        if (allocations)
        {
            using var sampler = new AllocationSampler();
            foreach (var (name, one) in new[] { ("none", runNone), ("chosen", runWith) })
            {
                Fresh();
                sampler.Start();
                var (_, allocatedOne, sentOne) = Measure(one);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: allocated {allocatedOne / (double)sentOne:F0} B/message"));
                sampler.StopAndPrint((int)sentOne, top: 40);
            }
        }

        var (cpuNone, cpuWith, ratios, allocatedNone, allocatedWith, messages) = Alternate(runNone, runWith, runs, Fresh);
        (store as IDisposable)?.Dispose();
        var medianNone = Median(cpuNone);
        var medianWith = Median(cpuWith);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{kind}, {customers:N0} customers, none vs chosen, {runs} alternated runs: CPU median {medianNone:F2} vs {medianWith:F2} µs/message ({(medianWith / medianNone - 1) * 100:+0.0;-0.0} %); median of per-pair ratios {(Median(ratios) - 1) * 100:+0.0;-0.0} %; allocated {allocatedNone / (double)messages:F0} vs {allocatedWith / (double)messages:F0} B/message; GC pause median {Median(PauseNone):F2} vs {Median(PauseWith):F2} µs/message"));
        Console.WriteLine(Spread(ratios));
        return 0;
    }

    /// <summary>
    /// The spread of the per-pair ratios: their quartiles and a distribution-free 95 % confidence interval of their median
    /// (the order statistics n/2 ± 0.98·√n), so two builds' figures are compared with their uncertainty, not as points.
    /// </summary>
    private static string Spread(double[] ratios)
    {
        var sorted = ratios.Order().Select(static r => (r - 1) * 100).ToArray();
        var n = sorted.Length;
        double At(double q) => sorted[Math.Clamp((int)Math.Round(q * (n - 1)), 0, n - 1)];
        var half = 0.98 * Math.Sqrt(n);
        var low = sorted[Math.Clamp((int)Math.Floor((n / 2.0) - half), 0, n - 1)];
        var high = sorted[Math.Clamp((int)Math.Ceiling((n / 2.0) + half) - 1, 0, n - 1)];
        return string.Create(CultureInfo.InvariantCulture, $"per-pair ratios ({n}): quartiles {At(0.25):+0.0;-0.0} / {At(0.5):+0.0;-0.0} / {At(0.75):+0.0;-0.0} %, 95 % CI of the median {low:+0.0;-0.0} … {high:+0.0;-0.0} %, min {sorted[0]:+0.0;-0.0}, max {sorted[^1]:+0.0;-0.0} %");
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
                _ = channel switch { "email" => bench.Email(), "sms" => bench.Sms(), _ => bench.Mixed() };
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
    /// the messages of one case's runs (both cases send the same). <paramref name="prepare"/> runs before each measured run, unmeasured.
    /// </summary>
    private static (double[] CpuNone, double[] CpuWith, double[] Ratios, long AllocatedNone, long AllocatedWith, long Messages) Alternate(Func<long> none, Func<long> with, int runs, Action? prepare = null)
    {
        var cpuNone = new double[runs];
        var cpuWith = new double[runs];
        var ratios = new double[runs];
        (PauseNone, PauseWith) = (new double[runs], new double[runs]);
        long allocatedNone = 0, allocatedWith = 0, messages = 0;
        for (var r = 0; r < runs; r++)
        {
            var noneFirst = r % 2 == 0;
            prepare?.Invoke();
            var (cpuFirst, allocatedFirst, sent) = Measure(noneFirst ? none : with);
            var pauseFirst = LastPause;
            prepare?.Invoke();
            var (cpuSecond, allocatedSecond, _) = Measure(noneFirst ? with : none);
            (PauseNone[r], PauseWith[r]) = noneFirst ? (pauseFirst, LastPause) : (LastPause, pauseFirst);
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
        var pauseBefore = GC.GetTotalPauseDuration();
        var messages = run();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        LastPause = (GC.GetTotalPauseDuration() - pauseBefore).TotalMicroseconds / messages;
        return ((CpuTime() - cpuBefore).TotalMicroseconds / messages, allocated, messages);
    }

    /// <summary>The GC pause time per message of the last <see cref="Measure"/> (µs; the process's collections while it ran).</summary>
    private static double LastPause { get; set; }

    /// <summary>The GC pause per message of each case's runs in the last <see cref="Alternate"/>.</summary>
    private static double[] PauseNone { get; set; } = [];

    private static double[] PauseWith { get; set; } = [];

    /// <summary>
    /// Lets the runtime's background tier-up finish before measuring: the JIT promotes hot methods to optimized code
    /// after a quiet delay (100 ms by default), on its own thread, which a loaded machine runs late; a pause, then one
    /// more round of both cases, then another pause.
    /// </summary>
    private static void Settle(Action round)
    {
        Thread.Sleep(300);
        round();
        Thread.Sleep(300);
    }

    private static ProfilingBenchmarks Prepare(string questions, int warmup, int pool)
    {
        var bench = new ProfilingBenchmarks { Questions = questions, DistinctCustomers = pool };
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
