using System.Diagnostics;
using System.Globalization;
using Personalize.Catalog;
using Personalize.Customers;
using Personalize.Decisions;

namespace Personalize.Benchmarks.Decisions;

/// <summary>
/// <c>decide-loop one|many|small [--seconds N] [--rounds N] [--customers N]</c>: the <see cref="DecisionBenchmarks"/> scenario in a plain
/// loop in this process, printing per decision the thread's CPU time, the wall time and the bytes allocated, once per
/// round. <c>one</c> decides the cache-hot customer (<c>DecideOneTick</c>), <c>many</c> the 10,000-customer batch through
/// <see cref="DecisionEngine.DecideMany"/> on one thread (<c>DecideBatchOneThread</c>), <c>small</c> the first 1,000
/// customers one by one. For profilers (run under <c>perf record</c> with <c>DOTNET_PerfMapEnabled=1</c>) and for CPU
/// time per decision on a shared machine, where BenchmarkDotNet's wall-clock figures follow the other processes' load.
/// </summary>
internal static class DecideLoopMeasure
{
    public static int Run(string[] args)
    {
        var mode = args.Length > 1 ? args[1] : throw new ArgumentException("Use decide-loop one|many|small|cost|shape|explain|digest [--seconds N] [--rounds N] [--customers N] [--index N].");
        var seconds = 5.0;
        var rounds = 3;
        var size = 10_000;
        var index = 3;
        var checkEvery = 1;
        var packed = false;
        var snapshot = false;
        for (var i = 2; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--seconds": seconds = double.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--rounds": rounds = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--customers": size = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--index": index = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--check-every": checkEvery = Math.Max(1, int.Parse(args[i + 1], CultureInfo.InvariantCulture)); break;
                case "--layout": (packed, snapshot) = args[i + 1] switch { "packed" => (true, false), "scattered" => (false, false), "snapshot" => (false, true), var other => throw new ArgumentException($"Unknown layout {other}: use scattered (default), packed or snapshot.") }; break;
                default: throw new ArgumentException($"Unknown option {args[i]}: use --seconds N (per round), --rounds N, --customers N (many and cost: the batch's first N customers), --index N (one: which customer, 3 by default), --check-every N (read the clock every N steps, 1 by default), --layout scattered|packed|snapshot (packed: each customer's objects a decision reads allocated together, after everyone's records; snapshot: the batch as a CustomerSnapshot; same customers).");
            }
        }

        var engine = DecisionScenario.Engine();
        var catalog = DecisionScenario.Catalog(engine);
        var customers = DecisionScenario.Customers(10_000, packed);
        var one = customers[index];
        var batch = size == customers.Length ? customers : customers[..Math.Min(size, customers.Length)];
        IReadOnlyList<CustomerProfile> input = batch;
        if (snapshot)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            input = CustomerSnapshot.Create(batch);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"snapshot of {batch.Length:N0} customers: {(GC.GetAllocatedBytesForCurrentThread() - before) / (double)batch.Length:F0} B allocated per customer"));
        }
        if (mode == "shape")
        {
            Shape(engine, catalog, customers);
            return 0;
        }

        if (mode == "digest")
        {
            Digest(engine, catalog, snapshot ? [.. input] : batch);
            return 0;
        }

        if (mode == "explain")
        {
            // One customer's decision in words and as JSON (what a `one --index N` loop decides).
            var decision = engine.Decide(catalog, one, Trigger.Tick, DecisionScenario.Now);
            Console.WriteLine(decision.Explain());
            Console.WriteLine(decision.ToJson());
            return 0;
        }

        if (mode == "cost")
        {
            Cost(engine, catalog, batch);
            return 0;
        }

        Func<int> step = mode switch
        {
            "one" => () => engine.Decide(catalog, one, Trigger.Tick, DecisionScenario.Now).Winners.Count >= 0 ? 1 : 0,
            "many" => () => engine.DecideMany(catalog, input, Trigger.Tick, DecisionScenario.Now, maxDegreeOfParallelism: 1).Length,
            "small" => () =>
            {
                for (var i = 0; i < 1_000; i++)
                {
                    engine.Decide(catalog, customers[i], Trigger.Tick, DecisionScenario.Now);
                }

                return 1_000;
            },
            _ => throw new ArgumentException($"Unknown mode {mode}: use one, many or small."),
        };

        // Warm up (tiered compilation settles within a second or two of hot loops).
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed.TotalSeconds < Math.Min(3, seconds))
        {
            step();
        }

        for (var r = 0; r < rounds; r++)
        {
            var cpu0 = ThreadCpu();
            var bytes0 = GC.GetAllocatedBytesForCurrentThread();
            var gc0 = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
            var pause0 = GC.GetTotalPauseDuration();
            var wall = Stopwatch.StartNew();
            long decisions = 0;
            while (wall.Elapsed.TotalSeconds < seconds)
            {
                // The clock is read every --check-every steps (1 by default, as in earlier sessions' figures): a read
                // costs ≈ 30 ns, a share of a cache-hot decision.
                for (var s = 0; s < checkEvery; s++)
                {
                    decisions += step();
                }
            }

            wall.Stop();
            var cpu = ThreadCpu() - cpu0;
            var bytes = GC.GetAllocatedBytesForCurrentThread() - bytes0;
            var pause = GC.GetTotalPauseDuration() - pause0;
            var collections = $"{GC.CollectionCount(0) - gc0.Item1}/{GC.CollectionCount(1) - gc0.Item2}/{GC.CollectionCount(2) - gc0.Item3}";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{mode} round {r + 1}: {decisions:N0} decisions, CPU {cpu.TotalNanoseconds / decisions:F1} ns/decision ({decisions / cpu.TotalSeconds / 1e6:F3} M/s per core), wall {wall.Elapsed.TotalNanoseconds / decisions:F1} ns/decision, {(double)bytes / decisions:F1} B/decision, GC gen0/1/2 {collections}, GC pauses {pause.TotalNanoseconds / decisions:F1} ns/decision"));
        }

        return 0;
    }

    /// <summary>What the batch's decisions do on average: candidates evaluated, channels tried, and by which outcome and rule.</summary>
    private static void Shape(DecisionEngine engine, CompiledCatalog catalog, CustomerProfile[] customers)
    {
        var decisions = customers.Select(c => engine.Decide(catalog, c, Trigger.Tick, DecisionScenario.Now)).ToArray();
        long considered = 0, evaluated = 0, channels = 0, winners = 0;
        var outcomes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var channelOutcomes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var decision in decisions)
        {
            considered += decision.CandidateCount;
            evaluated += decision.Outcomes.Length;
            channels += decision.ChannelTries().Count;
            winners += decision.Winners.Count;
            foreach (var outcome in decision.Outcomes)
            {
                var key = outcome.Code ?? "?";
                outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
            }

            foreach (var entry in decision.ChannelTries())
            {
                var key = entry.Kind + " " + (entry.ResultCode ?? "-");
                channelOutcomes[key] = channelOutcomes.GetValueOrDefault(key) + 1;
            }
        }

        var n = (double)decisions.Length;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"per decision: {considered / n:F2} considered, {evaluated / n:F2} evaluated, {channels / n:F2} channels tried, {winners / n:F2} winners"));
        foreach (var (code, count) in outcomes)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  candidate {code}: {count / n:F3}"));
        }

        foreach (var (code, count) in channelOutcomes)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  channel {code}: {count / n:F3}"));
        }
    }

    /// <summary>
    /// A digest of the batch's decisions (JSON and explanation of every candidate, <see cref="DecisionDetail.All"/>, one
    /// and two winners, at 24 instants a day apart by an hour each, and through <see cref="DecisionEngine.DecideMany"/>):
    /// two builds that print the same digest decided the same.
    /// </summary>
    private static void Digest(DecisionEngine engine, CompiledCatalog catalog, CustomerProfile[] customers)
    {
        var two = DecisionScenario.Engine(maxWinners: 2);
        using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        var count = 0;
        for (var hour = 0; hour < 24; hour++)
        {
            var at = DecisionScenario.Now.AddHours(hour).AddDays(hour % 3).AddMinutes(hour * 7);
            foreach (var batch in new[] { engine.DecideMany(catalog, customers, Trigger.Tick, at, 1), two.DecideMany(catalog, customers, Trigger.Tick, at, 1) })
            {
                foreach (var decision in batch)
                {
                    hash.AppendData(System.Text.Encoding.UTF8.GetBytes(decision.ToJson()));
                    count++;
                }
            }

            foreach (var customer in customers)
            {
                foreach (var e in new[] { engine, two })
                {
                    var decision = e.Decide(catalog, customer, Trigger.Tick, at, DecisionDetail.All);
                    hash.AppendData(System.Text.Encoding.UTF8.GetBytes(decision.ToJson()));
                    hash.AppendData(System.Text.Encoding.UTF8.GetBytes(decision.Explain()));
                    count++;
                }
            }
        }

        Console.WriteLine($"{count} decisions, digest {Convert.ToHexString(hash.GetHashAndReset())}");
    }

    /// <summary>
    /// Where a batch's time goes by kind of decision: each customer decided alone in a loop (cache-hot, so a lower
    /// bound of its batch cost), grouped by the winner's channel outcome and the number of channels tried.
    /// </summary>
    private static void Cost(DecisionEngine engine, CompiledCatalog catalog, CustomerProfile[] customers)
    {
        const int Repeats = 50;
        var groups = new SortedDictionary<string, (int Count, double Nanoseconds)>(StringComparer.Ordinal);
        var firsts = new Dictionary<string, int>(StringComparer.Ordinal);
        double total = 0;
        var warm = Stopwatch.StartNew();
        while (warm.Elapsed.TotalSeconds < 3)
        {
            foreach (var customer in customers)
            {
                engine.Decide(catalog, customer, Trigger.Tick, DecisionScenario.Now);
            }
        }

        for (var pass = 0; pass < 2; pass++)
        {
            groups.Clear();
            total = 0;
            foreach (var customer in customers)
            {
                var decision = engine.Decide(catalog, customer, Trigger.Tick, DecisionScenario.Now);
                var cpu0 = ThreadCpu();
                for (var i = 0; i < Repeats; i++)
                {
                    engine.Decide(catalog, customer, Trigger.Tick, DecisionScenario.Now);
                }

                var ns = (ThreadCpu() - cpu0).TotalNanoseconds / Repeats;
                total += ns;
                var winner = decision.Winners.Count == 0 ? "none" : decision.Winners[0].IsDeferred ? "deferred" : "allowed";
                var deferrals = 0;
                var tries = decision.ChannelTries();
                foreach (var entry in tries)
                {
                    deferrals += entry.Kind is ChannelEntry.Outcome.Deferred or ChannelEntry.Outcome.Dropped or ChannelEntry.Outcome.PastExpiry or ChannelEntry.Outcome.NoAllowedTime ? 1 : 0;
                }

                var key = $"{winner,-8} evaluated {decision.Outcomes.Length} tries {tries.Count} deferrals {deferrals}";
                firsts.TryAdd(key, Array.IndexOf(customers, customer));
                var (count, sum) = groups.GetValueOrDefault(key);
                groups[key] = (count + 1, sum + ns);
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mean {total / customers.Length:F0} ns per decision (each customer alone, {Repeats} times)"));
        foreach (var (key, (count, sum)) in groups.OrderByDescending(g => g.Value.Nanoseconds))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {key}: {count / (double)customers.Length:P1} of decisions, {sum / count:F0} ns each, {sum / total:P1} of the time (first: --index {firsts[key]})"));
        }
    }

    /// <summary>This thread's CPU time (user + system): <c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c> on Linux, the process's elsewhere (the loop is single-threaded).</summary>
    private static TimeSpan ThreadCpu()
    {
        if (OperatingSystem.IsLinux() && ClockGetTime(ThreadCpuClock, out var spec) == 0)
        {
            return TimeSpan.FromTicks((spec.Seconds * TimeSpan.TicksPerSecond) + (spec.Nanoseconds / 100));
        }

        return Process.GetCurrentProcess().TotalProcessorTime;
    }

    private const int ThreadCpuClock = 3; // CLOCK_THREAD_CPUTIME_ID

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec spec);

    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
