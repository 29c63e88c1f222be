using System.Diagnostics;
using System.Globalization;
using Personalize.Delivery;
using Personalize.Delivery.Sinks;
using Personalize.Sending;
using Personalize.Sqlite;
using Personalize.Storage;

namespace Personalize.Benchmarks.Sending;

/// <summary>
/// <c>store-loop --customers N</c>: the closed loop on SQLite (or PostgreSQL) (the <see cref="StoreSendBenchmarks"/> scenario) run once
/// in this process over a fresh copy of a seeded store of N customers, printing wall time, messages per second,
/// allocation per message and the process's peak working set. BenchmarkDotNet measures rates; this mode answers the
/// question it cannot: does the memory of a whole run stay flat from 100,000 to 1,000,000 customers (run it once per
/// size, each in its own process, and compare the peak working sets). <c>--repeat N</c> runs it N times in the same
/// process: the first run pays the JIT's tiered compilation (~12 % of its CPU at 100,000 customers), the later ones show
/// the steady state. <c>--postgres "CONNECTION STRING"</c> runs the same loop on PostgreSQL
/// (<see cref="PostgreSqlSendBenchmarks"/>'s seeded database, a fresh copy per run, one unmeasured check run first);
/// with <c>--pg-data DIR</c> (the cluster's data folder) it also reports the server's CPU time, which the messages per
/// CPU-second then include. <c>--allocations</c> (SQLite) also prints which types took the most of the allocated bytes
/// (the runtime's allocation samples; the sampling costs a little CPU, so measure rates without it). <c>--stages</c>
/// prints where the run's wall time went per pipeline stage (<see cref="SendStageTimes"/>: the page read, the
/// deciders and the recorder, each stage's work and its waits for the stage before and after it). <c>--prior N</c> (SQLite)
/// runs over a store whose delivery log already holds N messages of earlier daily runs (a store that has been sending for
/// a while: its key index is N entries deep). Each SQLite run also prints the bytes the process wrote meanwhile (the
/// write-ahead log's frames and the checkpoints' pages; Linux only).
/// </summary>
internal static class StoreLoopMeasure
{
    public static int Run(string[] args)
    {
        var customers = 100_000;
        var repeat = 1;
        string? postgres = null;
        string? pgData = null;
        var allocations = false;
        var transactions = false;
        var stages = false;
        var pageSize = 500;
        var prior = 0;
        var sinkName = "null";
        for (var i = 1; i < args.Length; i += 2)
        {
            if (args[i] == "--allocations")
            {
                allocations = true;
                i--;
                continue;
            }

            if (args[i] == "--stages")
            {
                stages = true;
                i--;
                continue;
            }

            if (args[i] == "--transactions")
            {
                transactions = true;
                i--;
                continue;
            }

            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"Option {args[i]} needs a value.");
            }

            switch (args[i])
            {
                case "--customers": customers = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--repeat": repeat = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--page-size": pageSize = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--prior": prior = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--postgres": postgres = args[i + 1]; break;
                case "--pg-data": pgData = args[i + 1]; break;
                case "--sink": sinkName = args[i + 1]; break;
                default: throw new ArgumentException($"Unknown option {args[i]}: use --customers N [--repeat N] [--allocations] [--transactions] [--stages] [--page-size N] [--prior N] [--sink null|counting] [--postgres CONNECTION [--pg-data DIR]].");
            }
        }

        if (postgres is not null)
        {
            return RunPostgreSql(postgres, pgData, customers, repeat);
        }

        var scenario = new SendingScenario();
        IMessageSink sink = sinkName switch
        {
            "null" => NullSink.Instance,
            "counting" => new CountingSink(),
            _ => throw new ArgumentException($"Unknown sink '{sinkName}': use null (recorded as delivered) or counting (a sink that keeps nothing but is handed each message after the commit and marked, as a real sink is)."),
        };
        var runner = scenario.Runner(sink, pageSize: pageSize);
        var run = new SendRun(scenario.Catalog, scenario.Content, scenario.Trigger) { At = scenario.At };
        var pristine = StoreSendBenchmarks.SeededStore(scenario, customers);
        if (prior > 0)
        {
            pristine = WithPriorDeliveries(pristine, scenario, customers, prior);
        }

        using var sampler = allocations ? new AllocationSampler() : null;
        for (var r = 0; r < repeat; r++)
        {
            using var store = SqlitePersonalizeStore.Open(StoreSendBenchmarks.FreshCopy(pristine, "loop-work.db"));
            var writtenBefore = WrittenBytes();
            var process = Process.GetCurrentProcess();
            var cpuBefore = process.TotalProcessorTime;
            var gcBefore = GcCounts.Take();
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            sampler?.Start();
            var clock = Stopwatch.StartNew();
            var counted = transactions ? WriteCounter.Wrap(store) : null;
            runner.StageTimes = stages ? new SendStageTimes(TimeProvider.System) : null;
            var summary = runner.RunAsync(run, counted ?? store).GetAwaiter().GetResult();
            clock.Stop();
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            process.Refresh();
            var cpu = process.TotalProcessorTime - cpuBefore;
            if (summary.Messages != customers || summary.Totals.Errors != 0)
            {
                throw new InvalidOperationException($"Scenario check failed: {summary.Messages} messages, {summary.Totals.Errors} errors for {customers} customers.");
            }

            Report("sqlite", customers, clock.Elapsed, cpu, TimeSpan.Zero, allocated, process, GcCounts.Take() - gcBefore);
            if (WrittenBytes() - writtenBefore is var written and >= 0)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  written by the process during the run: {written / 1048576.0:F0} MB (the log's frames and the checkpoints' pages)"));
            }
            sampler?.StopAndPrint(customers);
            if (runner.StageTimes is { } times)
            {
                Console.WriteLine("  stages: " + times);
            }
            if (counted is not null)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  write transactions (RecordAsync calls): {((WriteCounter)(object)counted).Records:N0}"));
            }
        }

        return 0;
    }

    private static int RunPostgreSql(string connection, string? pgData, int customers, int repeat)
    {
        Environment.SetEnvironmentVariable("PERSONALIZE_BENCH_POSTGRES", connection);
        var benchmark = new PostgreSqlSendBenchmarks { Customers = customers };
        benchmark.Setup(); // seeds once, then one whole run as a check (and the JIT's warm-up)
        var process = Process.GetCurrentProcess();
        for (var r = 0; r < repeat; r++)
        {
            benchmark.IterationSetup();
            var serverBefore = ServerCpu(pgData);
            var gcBefore = GcCounts.Take();
            var cpuBefore = process.TotalProcessorTime;
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var clock = Stopwatch.StartNew();
            var messages = benchmark.PostgreSql();
            clock.Stop();
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            process.Refresh();
            var cpu = process.TotalProcessorTime - cpuBefore;
            var server = ServerCpu(pgData) - serverBefore;
            benchmark.IterationCleanup();
            if (messages != customers)
            {
                throw new InvalidOperationException($"Scenario check failed: {messages} messages for {customers} customers.");
            }

            Report("postgresql", customers, clock.Elapsed, cpu, server, allocated, process, GcCounts.Take() - gcBefore);
        }

        return 0;
    }

    /// <summary>The bytes the process has written so far (Linux's <c>/proc/self/io</c> <c>wchar</c>: every write call), or -1 elsewhere.</summary>
    private static long WrittenBytes()
    {
        const string file = "/proc/self/io";
        if (!File.Exists(file))
        {
            return -1;
        }

        foreach (var line in File.ReadLines(file))
        {
            if (line.StartsWith("wchar:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan(6).Trim(), CultureInfo.InvariantCulture);
            }
        }

        return -1;
    }

    /// <summary>
    /// A copy of the seeded store whose delivery log already holds <paramref name="prior"/> messages of earlier daily
    /// runs (one a day per customer, their keys made by this build's <see cref="IdempotencyKey.Create(string, string, string, DateTimeOffset)"/>),
    /// as a store that has been sending for a while holds: written once per count and key format, beside the seeded file.
    /// </summary>
    private static string WithPriorDeliveries(string pristine, SendingScenario scenario, int customers, int prior)
    {
        var format = IdempotencyKey.Create("campaign:earlier", "c-0", "earlier", scenario.At)[..3];
        var path = Path.ChangeExtension(pristine, null) + string.Create(CultureInfo.InvariantCulture, $"-prior{prior}-{format}.db");
        if (File.Exists(path))
        {
            return path;
        }

        var seeding = Stopwatch.StartNew();
        var partial = path + ".partial";
        File.Copy(pristine, partial, overwrite: true);
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={partial};Pooling=False"))
        {
            connection.Open();
            using (var pragma = connection.CreateCommand())
            {
                pragma.CommandText = "PRAGMA cache_size = -262144";
                pragma.ExecuteNonQuery();
            }

            using (var transaction = connection.BeginTransaction())
            {
                using var insert = connection.CreateCommand();
                insert.Transaction = transaction;
                insert.CommandText = "INSERT INTO delivery_log (idempotency_key, customer_id, message_id, channel, purpose, kind, sent_at, trigger, template, run_id, state) VALUES ($key, NULL, 'earlier', 'email', 0, 0, $at, 'campaign:earlier', NULL, NULL, 1)";
                var key = insert.Parameters.Add("$key", Microsoft.Data.Sqlite.SqliteType.Text);
                var at = insert.Parameters.Add("$at", Microsoft.Data.Sqlite.SqliteType.Integer);
                for (var i = 0; i < prior; i++)
                {
                    var day = scenario.At.AddDays(-(prior / customers) + (i / customers) - 1);
                    key.Value = IdempotencyKey.Create("campaign:earlier", "c-" + (i % customers).ToString(CultureInfo.InvariantCulture), "earlier", day);
                    at.Value = day.UtcTicks;
                    insert.ExecuteNonQuery();
                }

                transaction.Commit();
            }

            using var checkpoint = connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            checkpoint.ExecuteNonQuery();
        }

        File.Move(partial, path);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {prior:N0} earlier deliveries ({format}_ keys) in {seeding.Elapsed.TotalSeconds:F1} s"));
        return path;
    }

    private static void Report(string store, int customers, TimeSpan wall, TimeSpan cpu, TimeSpan server, long allocated, Process process, GcCounts gc)
    {
        var total = cpu + server;
        var serverText = server > TimeSpan.Zero ? string.Create(CultureInfo.InvariantCulture, $" + server {server.TotalSeconds:F2} s") : string.Empty;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{store}, customers {customers:N0}: wall {wall.TotalSeconds:F2} s, {customers / wall.TotalSeconds:N0} messages/s, CPU {cpu.TotalSeconds:F2} s{serverText} ({customers / total.TotalSeconds:N0} messages per CPU-second), allocated {allocated / (double)customers / 1024:F1} KB/message, peak working set {process.PeakWorkingSet64 / 1048576.0:F0} MB, GC heap now {GC.GetTotalMemory(false) / 1048576.0:F0} MB, collections gen0/1/2 {gc.Gen0}/{gc.Gen1}/{gc.Gen2}, GC pauses {gc.Paused.TotalSeconds:F2} s"));
    }

    /// <summary>
    /// A sink that counts what it is handed and keeps nothing, but is not the <see cref="NullSink"/>: the run records its
    /// messages pending, hands them over after the commit and marks them delivered with the next write, as with a real
    /// sink (<c>--sink counting</c>).
    /// </summary>
    private sealed class CountingSink : IMessageSink
    {
        private long _count;

        public long Count => Interlocked.Read(ref _count);

        public ValueTask WriteAsync(Personalize.Delivery.OutgoingMessage message, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _count);
            return ValueTask.CompletedTask;
        }

        public ValueTask<bool> ContainsAsync(string idempotencyKey, CancellationToken cancellationToken = default) => new(false);

        /// <summary>Gets <see langword="true"/>: it keeps nothing of a message, so the run reuses the arrays of its email bodies (as for a sink that serializes or sends within its write).</summary>
        public bool ReleasesMessageAfterWrite => true;
    }

    /// <summary>
    /// A store that counts its <see cref="IPersonalizeStore.RecordAsync"/> calls (each one transaction, one commit) and
    /// forwards every call to the real one: <c>--transactions</c> shows how many commits a run took.
    /// </summary>
    internal class WriteCounter : System.Reflection.DispatchProxy
    {
        private IPersonalizeStore _inner = null!;

        public int Records => _records;

        private int _records;

        public static IPersonalizeStore Wrap(IPersonalizeStore inner)
        {
            var proxy = Create<IPersonalizeStore, WriteCounter>();
            ((WriteCounter)(object)proxy)._inner = inner;
            return proxy;
        }

        protected override object? Invoke(System.Reflection.MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod!.Name == nameof(IPersonalizeStore.RecordAsync))
            {
                Interlocked.Increment(ref _records);
            }

            try
            {
                return targetMethod.Invoke(_inner, args);
            }
            catch (System.Reflection.TargetInvocationException ex) when (ex.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(ex.InnerException);
                throw;
            }
        }
    }

    /// <summary>The process's garbage collections so far (gen1 counts include gen2's, gen0 both) and the time its threads were paused for them.</summary>
    private readonly record struct GcCounts(int Gen0, int Gen1, int Gen2, TimeSpan Paused)
    {
        public static GcCounts Take() => new(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());

        public static GcCounts operator -(GcCounts after, GcCounts before)
            => new(after.Gen0 - before.Gen0, after.Gen1 - before.Gen1, after.Gen2 - before.Gen2, after.Paused - before.Paused);
    }

    /// <summary>
    /// The CPU time the PostgreSQL cluster whose data folder is <paramref name="pgData"/> has used so far: the postmaster's
    /// own and its reaped children's (from <c>/proc/PID/stat</c>), plus its live children's (backends, WAL writer,
    /// checkpointer). Zero without a folder.
    /// </summary>
    internal static TimeSpan ServerCpu(string? pgData)
    {
        if (pgData is null)
        {
            return TimeSpan.Zero;
        }

        var postmaster = File.ReadLines(Path.Combine(pgData, "postmaster.pid")).First().Trim();
        long ticks = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            var pid = Path.GetFileName(dir);
            if (!pid.All(char.IsAsciiDigit))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                continue; // the process ended meanwhile
            }

            // Fields after the command name (which may hold spaces) start after the last ')': state ppid … utime(14) stime(15) cutime(16) cstime(17).
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
            var stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
            if (pid == postmaster)
            {
                ticks += utime + stime + long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture);
            }
            else if (fields[1] == postmaster)
            {
                ticks += utime + stime;
            }
        }

        return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ
    }
}
