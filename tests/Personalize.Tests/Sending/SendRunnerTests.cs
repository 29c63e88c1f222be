using System.Runtime.CompilerServices;
using Personalize.Catalog;
using Personalize.Customers;
using Personalize.Delivery;
using Personalize.Delivery.Sinks;
using Personalize.Sending;
using Personalize.Tests.Decisions;

namespace Personalize.Tests.Sending;

public sealed class SendRunnerTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "pz-run-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static SendRun Run(Dictionary<string, string>? templates = null, bool dryRun = false)
    {
        var catalog = SendingKit.Catalog(DecisionKit.Engine());
        return new SendRun(catalog, SendingKit.Content(catalog, templates), Trigger.Tick) { At = SendingKit.Now, DryRun = dryRun };
    }

    [Fact]
    public async Task A_run_decides_renders_and_writes_one_message_per_customer_on_their_first_channel()
    {
        var sink = new InMemorySink();
        var snapshots = new List<SendProgress>();

        var summary = await SendingKit.Runner(sink, DecisionKit.Engine(), o => o.ProgressEvery = 10)
            .RunAsync(Run(), SendingKit.Customers(40), new SyncProgress(snapshots));

        Assert.Equal(40, summary.Totals.Processed);
        Assert.Equal(20, summary.Totals.Sent["email"]);
        Assert.Equal(20, summary.Totals.Sent["sms"]);
        Assert.Equal(0, summary.Totals.Errors);
        Assert.Equal(40, sink.Count);
        Assert.Equal(40, sink.Messages.Select(m => m.IdempotencyKey).Distinct().Count());
        Assert.Equal(SendingKit.Now, summary.At);
        Assert.True(snapshots.Count >= 4);
        Assert.Equal(40, snapshots[^1].Processed);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 2)]
    [InlineData(2, 3)]
    [InlineData(5, 2)]
    public async Task Every_customer_is_sent_once_whatever_the_queue_size_and_worker_count(int queueCapacity, int workers)
    {
        var sink = new InMemorySink();
        var snapshots = new List<SendProgress>();

        var summary = await SendingKit.Runner(sink, DecisionKit.Engine(), o =>
        {
            o.QueueCapacity = queueCapacity;
            o.MaxDegreeOfParallelism = workers;
            o.ProgressEvery = 7;
        }).RunAsync(Run(), SendingKit.Customers(300), new SyncProgress(snapshots)).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(300, summary.Totals.Processed);
        Assert.Equal(300, summary.Totals.TotalSent);
        Assert.Equal(300, sink.Messages.Select(m => m.IdempotencyKey).Distinct().Count());
        Assert.True(snapshots.Count >= 300 / 7, $"{snapshots.Count} progress reports for 300 customers every 7");
        Assert.Equal(300, snapshots[^1].Processed);
    }

    [Fact]
    public async Task Customers_without_a_message_are_counted_per_reason()
    {
        var withdrawn = SendingKit.Customer(1) with { Consents = new Personalize.Consent.ConsentLedger([]) };

        var summary = await SendingKit.Runner(new InMemorySink(), DecisionKit.Engine()).RunAsync(Run(), [withdrawn, SendingKit.Customer(2)]);

        Assert.Equal(1, summary.Totals.TotalSent);
        var (code, count) = Assert.Single(summary.Totals.Suppressed);
        Assert.Equal(1, count);
        Assert.False(string.IsNullOrEmpty(code));
    }

    [Fact]
    public async Task The_idempotency_key_is_stable_so_a_second_run_writes_nothing()
    {
        var sink = new InMemorySink();
        var runner = SendingKit.Runner(sink, DecisionKit.Engine());

        var first = await runner.RunAsync(Run(), SendingKit.Customers(30));
        var keys = sink.Messages.Select(m => m.IdempotencyKey).ToHashSet();
        var second = await runner.RunAsync(Run(), SendingKit.Customers(30));

        Assert.Equal(30, first.Messages);
        Assert.Equal(0, second.Messages);
        Assert.Equal(30, second.Totals.AlreadyWritten);
        Assert.Equal(30, sink.Count);
        Assert.Equal(keys, sink.Messages.Select(m => m.IdempotencyKey).ToHashSet());
    }

    [Fact]
    public async Task A_run_resumed_after_a_crash_duplicates_nothing_in_the_file_outbox()
    {
        // The first run crashes after 25 messages (the sink throws from then on and the run is abandoned).
        using (var outbox = new FileOutboxSink(_directory))
        {
            var crashing = new CrashingSink(outbox, writesBeforeCrash: 25);
            using var cts = new CancellationTokenSource();
            crashing.Crashed += cts.Cancel;
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
                SendingKit.Runner(crashing, DecisionKit.Engine(), o => o.MaxDegreeOfParallelism = 2).RunAsync(Run(), SendingKit.Customers(60), cancellationToken: cts.Token));
        }

        var writtenBefore = Directory.GetFiles(Path.Combine(_directory, "email"), "*.eml").Length + CountLines(Path.Combine(_directory, "sms.jsonl"));
        Assert.InRange(writtenBefore, 1, 59);

        using (var outbox = new FileOutboxSink(_directory))
        {
            var summary = await SendingKit.Runner(outbox, DecisionKit.Engine()).RunAsync(Run(), SendingKit.Customers(60));
            Assert.Equal(writtenBefore, summary.Totals.AlreadyWritten);
            Assert.Equal(60 - writtenBefore, summary.Messages);
        }

        var emails = Directory.GetFiles(Path.Combine(_directory, "email"), "*.eml");
        var smsLines = File.ReadAllLines(Path.Combine(_directory, "sms.jsonl")).Where(l => l.Length > 0).ToArray();
        Assert.Equal(30, emails.Length);
        Assert.Equal(30, smsLines.Length);
        Assert.Equal(30, smsLines.Distinct().Count());
    }

    [Fact]
    public async Task One_customers_template_error_is_recorded_with_its_position_and_the_run_goes_on()
    {
        var templates = SendingKit.Templates();
        templates["tips/email.text.sbn"] = "Hi {{ customer.first_name }}\n{{ if customer.id == \"c-0004\" }}{{ \"x\" | string.pad_left 2000000 }}{{ end }}";
        var sink = new InMemorySink();

        var summary = await SendingKit.Runner(sink, DecisionKit.Engine()).RunAsync(Run(templates), SendingKit.Customers(20));

        Assert.Equal(20, summary.Totals.Processed);
        Assert.Equal(1, summary.Totals.Errors);
        Assert.Equal(19, sink.Count);
        var error = Assert.Single(summary.Errors);
        Assert.Equal("c-0004", error.CustomerId);
        Assert.Equal("tips", error.MessageId);
        Assert.Equal(SendErrorCodes.TemplateError, error.Code);
        Assert.Equal("tips/email.text.sbn", error.Template);
        Assert.Equal(2, error.Line);
        Assert.True(error.Column > 0);
    }

    [Fact]
    public async Task Content_that_cannot_go_out_is_an_error_for_that_customer_only()
    {
        var templates = SendingKit.Templates();
        templates["tips/sms.body.liquid"] = "{% if customer.id == \"c-0001\" %}{% for i in (1..700) %}y{% endfor %}{% else %}Hi{% endif %}";

        var summary = await SendingKit.Runner(new InMemorySink(), DecisionKit.Engine()).RunAsync(Run(templates), SendingKit.Customers(4));

        var error = Assert.Single(summary.Errors);
        Assert.Equal("c-0001", error.CustomerId);
        Assert.Equal(MessageContentCodes.SmsTooLong, error.Code);
        Assert.Equal(3, summary.Messages);
    }

    [Fact]
    public async Task A_sink_that_fails_for_one_customer_is_an_error_for_that_customer_only()
    {
        var inner = new InMemorySink();
        var sink = new FailingForSink(inner, "c-0003");

        var summary = await SendingKit.Runner(sink, DecisionKit.Engine()).RunAsync(Run(), SendingKit.Customers(8));

        var error = Assert.Single(summary.Errors);
        Assert.Equal("c-0003", error.CustomerId);
        Assert.Equal(SendErrorCodes.SinkFailed, error.Code);
        Assert.Contains("disk full", error.Message, StringComparison.Ordinal);
        Assert.Equal(7, inner.Count);
        Assert.Equal(7, summary.Messages);
    }

    [Fact]
    public async Task A_message_the_provider_refuses_for_good_is_a_rejected_error_with_the_providers_answer()
    {
        var inner = new InMemorySink();
        var sink = new FailingForSink(inner, "c-0002", () => new SinkException(SinkFailureKind.Permanent, "smtp.550", "The server refused the recipient.", "550 5.1.1 mailbox unknown"));

        var summary = await SendingKit.Runner(sink, DecisionKit.Engine()).RunAsync(Run(), SendingKit.Customers(4));

        var error = Assert.Single(summary.Errors);
        Assert.Equal(("c-0002", SendErrorCodes.SinkRejected), (error.CustomerId, error.Code));
        Assert.Contains("permanent, not retried", error.Message, StringComparison.Ordinal);
        Assert.Contains("smtp.550", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, inner.Count);
    }

    [Fact]
    public async Task A_failing_customer_stream_fails_the_run_with_its_own_error()
    {
        static async IAsyncEnumerable<Personalize.Customers.CustomerProfile> Broken()
        {
            for (var i = 0; i < 5; i++)
            {
                yield return SendingKit.Customer(i);
            }

            await Task.Yield();
            throw new InvalidDataException("customer file truncated");
        }

        var ex = await Assert.ThrowsAsync<InvalidDataException>(() => SendingKit.Runner(new InMemorySink(), DecisionKit.Engine()).RunAsync(Run(), Broken()));

        Assert.Equal("customer file truncated", ex.Message);
    }

    [Fact]
    public async Task Dry_run_decides_and_renders_but_writes_nothing()
    {
        using var outbox = new FileOutboxSink(_directory);

        var summary = await SendingKit.Runner(outbox, DecisionKit.Engine()).RunAsync(Run(dryRun: true), SendingKit.Customers(10));

        Assert.True(summary.DryRun);
        Assert.Equal(10, summary.Messages);
        Assert.False(Directory.Exists(Path.Combine(_directory, "email")) && Directory.EnumerateFiles(Path.Combine(_directory, "email")).Any());
        Assert.False(File.Exists(Path.Combine(_directory, "sms.jsonl")));
    }

    [Fact]
    public async Task Cancellation_stops_an_endless_run_promptly()
    {
        using var cts = new CancellationTokenSource();
        var source = new CountingSource();
        var progress = new SyncProgress(snapshot =>
        {
            if (snapshot.Processed >= 500)
            {
                cts.Cancel();
            }
        });

        var run = SendingKit.Runner(NullSink.Instance, DecisionKit.Engine(), o => o.ProgressEvery = 100).RunAsync(Run(), source.Endless(), progress, cts.Token);

        // A hang guard, not a timing assertion: an endless source only ends through cancellation.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.InRange(source.Pulled, 500, 500 + 256 + Environment.ProcessorCount + 200);
    }

    [Fact]
    public async Task The_runner_reads_the_customer_stream_no_further_ahead_than_its_queue()
    {
        var sink = new BlockingSink();
        var source = new CountingSource();
        using var cts = new CancellationTokenSource();
        var run = SendingKit.Runner(sink, DecisionKit.Engine(), o =>
        {
            o.QueueCapacity = 16;
            o.MaxDegreeOfParallelism = 2;
        }).RunAsync(Run(), source.Endless(), cancellationToken: cts.Token);

        // Wait until the writers are stuck on the sink and the reader has stopped pulling.
        await sink.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var pulled = -1L;
        while (pulled != source.Pulled)
        {
            pulled = source.Pulled;
            await Task.Delay(100);
        }

        // 2 customers in the workers, 16 in the queue, 1 waiting to be queued.
        Assert.InRange(source.Pulled, 2, 2 + 16 + 1);
        cts.Cancel();
        sink.Release.SetResult();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    private static int CountLines(string path) => File.Exists(path) ? File.ReadAllLines(path).Count(l => l.Length > 0) : 0;

    /// <summary>Reports synchronously (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SyncProgress(Action<SendProgress> report) : IProgress<SendProgress>
    {
        public SyncProgress(List<SendProgress> into)
            : this(p =>
            {
                lock (into)
                {
                    into.Add(p);
                }
            })
        {
        }

        public void Report(SendProgress value) => report(value);
    }

    private sealed class CountingSource
    {
        private long _pulled;

        public long Pulled => Interlocked.Read(ref _pulled);

        public async IAsyncEnumerable<CustomerProfile> Endless([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            for (var i = 0; ; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Interlocked.Increment(ref _pulled);
                yield return SendingKit.Customer(i % 10_000);
                if (i % 64 == 0)
                {
                    await Task.Yield();
                }
            }
        }
    }

    private sealed class CrashingSink(IMessageSink inner, int writesBeforeCrash) : IMessageSink
    {
        private int _writes;

        public event Action? Crashed;

        public ValueTask<bool> ContainsAsync(string idempotencyKey, CancellationToken cancellationToken = default) => inner.ContainsAsync(idempotencyKey, cancellationToken);

        public ValueTask WriteAsync(OutgoingMessage message, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _writes) > writesBeforeCrash)
            {
                Crashed?.Invoke();
                throw new IOException("disk gone");
            }

            return inner.WriteAsync(message, cancellationToken);
        }
    }

    private sealed class FailingForSink(IMessageSink inner, string customerId, Func<Exception>? error = null) : IMessageSink
    {
        public ValueTask<bool> ContainsAsync(string idempotencyKey, CancellationToken cancellationToken = default) => inner.ContainsAsync(idempotencyKey, cancellationToken);

        public ValueTask WriteAsync(OutgoingMessage message, CancellationToken cancellationToken = default)
            => message.CustomerId == customerId ? throw (error?.Invoke() ?? new IOException("disk full")) : inner.WriteAsync(message, cancellationToken);
    }

    private sealed class BlockingSink : IMessageSink
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask<bool> ContainsAsync(string idempotencyKey, CancellationToken cancellationToken = default) => new(false);

        public async ValueTask WriteAsync(OutgoingMessage message, CancellationToken cancellationToken = default)
        {
            Entered.TrySetResult();
            await Release.Task.ConfigureAwait(false);
        }
    }
}
