using System.Text;
using System.Text.Json;
using Personalize.Channels;
using Personalize.Channels.Email;
using Personalize.Channels.InApp;
using Personalize.Channels.Phone;
using Personalize.Channels.Push;
using Personalize.Delivery;
using Personalize.Delivery.Sinks;
using Personalize.Tests.Channels.Email;

namespace Personalize.Tests.Delivery;

public sealed class SinkTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "pz-outbox-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static List<OutgoingMessage> Batch()
    {
        var composer = DeliveryFixture.Composer();
        return
        [
            composer.Email(DeliveryFixture.Request(messageId: "m-email"), new EmailContent { Subject = "Rosen 🌹", TextBody = "Grüße", HtmlBody = "<p>Grüße</p>" }),
            composer.Sms(DeliveryFixture.Request(messageId: "m-sms"), "Roses 20% off"),
            composer.Sms(DeliveryFixture.Request(customer: DeliveryFixture.Customer("c-43"), messageId: "m-sms"), "Rosen: 20 % – 😀"),
            composer.Push(DeliveryFixture.Request(messageId: "m-push"), new PushContent { Title = "Roses", Body = "20% off" }),
            composer.InApp(DeliveryFixture.Request(messageId: "m-in-app"), new InAppContent { Title = "Roses", Body = "20% off" }),
            composer.Letter(DeliveryFixture.Request(messageId: "m-letter"), "Dear Ada,\nthank you.", "Ada Lovelace"),
            composer.Call(DeliveryFixture.Request(messageId: "m-call"), new CallScriptContent { Greeting = "Hello", TalkingPoints = ["a", "b"] }),
        ];
    }

    private static SinkWriter Writer(IMessageSink sink, int attempts = 3) => new(sink, new SinkRetryPolicy(attempts, TimeSpan.Zero), TimeProvider.System);

    /// <summary>The non-empty lines of a JSON Lines file, read as the sink's remarks say while it may still be open.</summary>
    private static string[] Lines(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                lines.Add(line);
            }
        }

        return lines.ToArray();
    }

    [Fact]
    public async Task File_outbox_writes_one_eml_per_email_and_json_lines_per_other_channel()
    {
        using var sink = new FileOutboxSink(_directory);
        var batch = Batch();

        var report = await Writer(sink).WriteAsync(batch);

        Assert.Equal(7, report.Written);
        Assert.True(report.Succeeded);
        var eml = sink.EmailPath(batch[0].IdempotencyKey);
        Assert.True(File.Exists(eml));
        Assert.Equal("Rosen 🌹", MimeParser.Parse(File.ReadAllBytes(eml)).Decoded("Subject"));
        Assert.Empty(Directory.GetFiles(sink.EmailDirectory, "*.tmp"));

        var sms = Lines(sink.JsonLinesPath(Channel.Sms));
        Assert.Equal(2, sms.Length);
        using (var second = JsonDocument.Parse(sms[1]))
        {
            var root = second.RootElement;
            Assert.Equal(batch[2].IdempotencyKey, root.GetProperty("idempotencyKey").GetString());
            Assert.Equal("sms", root.GetProperty("channel").GetString());
            Assert.Equal("marketing", root.GetProperty("purpose").GetString());
            Assert.Equal("c-43", root.GetProperty("customerId").GetString());
            Assert.Equal("Rosen: 20 % – 😀\nReply STOP to opt out", root.GetProperty("content").GetProperty("body").GetString());
            Assert.Equal("ucs2", root.GetProperty("content").GetProperty("encoding").GetString());
        }

        foreach (var channel in new[] { Channel.Push, Channel.InApp, Channel.DirectMail, Channel.Phone })
        {
            Assert.Single(Lines(sink.JsonLinesPath(channel)));
        }

        using var letter = JsonDocument.Parse(Lines(sink.JsonLinesPath(Channel.DirectMail))[0]);
        Assert.Equal("Dear Ada,\nthank you.", letter.RootElement.GetProperty("content").GetProperty("body").GetString());
    }

    [Fact]
    public async Task A_resumed_run_skips_what_the_outbox_already_holds()
    {
        var batch = Batch();
        using (var first = new FileOutboxSink(_directory))
        {
            await Writer(first).WriteAsync(batch.Take(4));
        }

        using var resumed = new FileOutboxSink(_directory);
        Assert.True(await resumed.ContainsAsync(batch[0].IdempotencyKey));
        Assert.True(await resumed.ContainsAsync(batch[2].IdempotencyKey));
        Assert.False(await resumed.ContainsAsync(batch[4].IdempotencyKey));

        var report = await Writer(resumed).WriteAsync(batch);

        Assert.Equal(4, report.Skipped);
        Assert.Equal(3, report.Written);
        Assert.Equal(2, Lines(resumed.JsonLinesPath(Channel.Sms)).Length);
        Assert.Single(Directory.GetFiles(resumed.EmailDirectory));
    }

    [Fact]
    public async Task An_outbox_written_with_keys_of_the_earlier_format_is_resumed_with_them_beside_new_ones()
    {
        // A run started before the upgrade (pz1_ keys) wrote the outbox; the resumed run keeps its keys, and later runs
        // write pz2_ keys into the same outbox.
        var batch = Batch();
        var old = batch.Select(m => m with { IdempotencyKey = IdempotencyKey.Create(m.Trigger, m.CustomerId, m.MessageId, m.SendAt, IdempotencyKeyFormat.Hashed) }).ToList();
        using (var first = new FileOutboxSink(_directory))
        {
            await Writer(first).WriteAsync(old.Take(4));
        }

        using var resumed = new FileOutboxSink(_directory);
        var again = await Writer(resumed).WriteAsync(old);
        var later = await Writer(resumed).WriteAsync(batch);

        Assert.Equal((4, 3), (again.Skipped, again.Written));
        Assert.Equal((0, 7), (later.Skipped, later.Written));
        Assert.True(await resumed.ContainsAsync(old[0].IdempotencyKey));
        Assert.True(await resumed.ContainsAsync(batch[0].IdempotencyKey));
        Assert.Equal(4, Lines(resumed.JsonLinesPath(Channel.Sms)).Length);
        Assert.Equal(
            [IdempotencyKey.Prefix, IdempotencyKey.TimeOrderedPrefix],
            Directory.GetFiles(resumed.EmailDirectory).Select(f => Path.GetFileName(f)[..4]).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(FileOutboxSink.DefaultSyncEvery)]
    public async Task Every_line_is_in_the_file_as_soon_as_it_is_written_whatever_the_disk_flush_interval(int syncEvery)
    {
        var sms = Enumerable.Range(0, 5)
            .Select(i => DeliveryFixture.Composer().Sms(DeliveryFixture.Request(customer: DeliveryFixture.Customer("c-" + i), messageId: "m-sms"), "Roses " + i))
            .ToList();
        using (var sink = new FileOutboxSink(_directory, syncEvery))
        {
            Assert.Equal(syncEvery, sink.SyncEvery);
            for (var i = 0; i < sms.Count; i++)
            {
                await sink.WriteAsync(sms[i]);

                // Read by another reader while the sink still holds the file open.
                Assert.Equal(i + 1, Lines(sink.JsonLinesPath(Channel.Sms)).Length);
            }
        }

        using var resumed = new FileOutboxSink(_directory);
        var report = await Writer(resumed).WriteAsync(sms);
        Assert.Equal(5, report.Skipped);
        Assert.Equal(5, Lines(resumed.JsonLinesPath(Channel.Sms)).Length);
    }

    [Fact]
    public async Task A_disposed_outbox_refuses_writes_and_a_sync_interval_below_one_is_refused()
    {
        var sink = new FileOutboxSink(_directory);
        sink.Dispose();
        sink.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await sink.WriteAsync(Batch()[1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FileOutboxSink(_directory, 0));
    }

    [Fact]
    public async Task Writing_a_held_key_again_does_not_duplicate()
    {
        using var sink = new FileOutboxSink(_directory);
        var sms = Batch()[1];

        await sink.WriteAsync(sms);
        await sink.WriteAsync(sms);
        var report = await Writer(sink).WriteAsync([sms, sms]);

        Assert.Single(Lines(sink.JsonLinesPath(Channel.Sms)));
        Assert.Equal(2, report.Skipped);
    }

    [Fact]
    public async Task A_torn_last_line_from_a_crash_is_cut_off_and_the_next_line_stays_whole()
    {
        var batch = Batch();
        using (var first = new FileOutboxSink(_directory))
        {
            await first.WriteAsync(batch[1]);
        }

        var path = Path.Combine(_directory, "sms.jsonl");
        var whole = File.ReadAllBytes(path);
        File.AppendAllText(path, "{\"idempotencyKey\":\"" + batch[2].IdempotencyKey + "\",\"chan");
        Directory.CreateDirectory(Path.Combine(_directory, "email"));
        File.WriteAllText(Path.Combine(_directory, "email", batch[0].IdempotencyKey + ".eml.tmp"), "half an email");

        using var resumed = new FileOutboxSink(_directory);
        Assert.False(await resumed.ContainsAsync(batch[2].IdempotencyKey));
        Assert.False(await resumed.ContainsAsync(batch[0].IdempotencyKey));
        Assert.Equal(whole, File.ReadAllBytes(path)); // repaired, not left in the file

        var report = await Writer(resumed).WriteAsync([batch[0], batch[2]]);

        Assert.Equal(2, report.Written);
        var lines = Lines(path);
        Assert.Equal(2, lines.Length);
        Assert.All(lines, l => JsonDocument.Parse(l).Dispose());
        using var last = JsonDocument.Parse(lines[1]);
        Assert.Equal(batch[2].IdempotencyKey, last.RootElement.GetProperty("idempotencyKey").GetString());
        Assert.Equal([resumed.EmailPath(batch[0].IdempotencyKey)], Directory.GetFiles(resumed.EmailDirectory));
    }

    [Fact]
    public async Task Two_writers_on_one_outbox_at_once_never_duplicate_a_key_or_interleave_lines()
    {
        var composer = DeliveryFixture.Composer();
        var messages = Enumerable.Range(0, 300)
            .Select(i => composer.Sms(DeliveryFixture.Request(customer: DeliveryFixture.Customer("c-" + i), messageId: "m-sms"), "Roses are twenty percent off this week, " + new string('x', i % 97)))
            .ToList();
        using var first = new FileOutboxSink(_directory, syncEvery: 1000);
        using var second = new FileOutboxSink(_directory, syncEvery: 1000);

        // Both write every message, in opposite orders, at the same time.
        await Task.WhenAll(
            Task.Run(async () => { foreach (var m in messages) { await first.WriteAsync(m); } }),
            Task.Run(async () => { foreach (var m in Enumerable.Reverse(messages)) { await second.WriteAsync(m); } }));

        var lines = Lines(first.JsonLinesPath(Channel.Sms));
        var keys = lines.Select(l =>
        {
            using var json = JsonDocument.Parse(l); // a torn or interleaved line would not parse
            return json.RootElement.GetProperty("idempotencyKey").GetString();
        }).ToList();
        Assert.Equal(300, keys.Count);
        Assert.Equal(messages.Select(m => m.IdempotencyKey).Order(), keys.Order());
    }

    [Fact]
    public async Task A_writer_appends_after_lines_another_writer_added_since_it_opened_the_file()
    {
        var batch = Batch();
        using var first = new FileOutboxSink(_directory);
        using var second = new FileOutboxSink(_directory);
        await first.WriteAsync(batch[1]);
        await second.WriteAsync(batch[2]); // second has not seen sms.jsonl before
        await first.WriteAsync(batch[2]);  // held by the other writer: not written again
        await first.WriteAsync(batch[1] with { IdempotencyKey = IdempotencyKey.Create("t", "c-9", "m", DateTimeOffset.UnixEpoch) });

        var lines = Lines(first.JsonLinesPath(Channel.Sms));
        Assert.Equal(3, lines.Length);
        Assert.All(lines, l => JsonDocument.Parse(l).Dispose());
    }

    [Fact]
    public async Task Emails_flushed_in_groups_appear_when_their_group_is_flushed_and_a_dead_writers_pending_ones_are_removed()
    {
        var batch = Batch();
        var grouped = new FileOutboxSink(_directory) { FlushEmailsInGroups = true };
        await grouped.WriteAsync(batch[0]);

        Assert.False(File.Exists(grouped.EmailPath(batch[0].IdempotencyKey)));
        Assert.True(await grouped.ContainsAsync(batch[0].IdempotencyKey));
        await grouped.FlushAsync();
        Assert.True(File.Exists(grouped.EmailPath(batch[0].IdempotencyKey)));

        // A writer that dies with an email still pending: its folder stays, nobody owns it.
        var other = batch[0] with { IdempotencyKey = IdempotencyKey.Create("t", "c-7", "m-email", DateTimeOffset.UnixEpoch) };
        await grouped.WriteAsync(other);
        var pending = Directory.GetDirectories(grouped.EmailDirectory, ".pending-*").Single();
        var owner = typeof(FileOutboxSink).GetField("_pendingOwner", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;
        ((FileStream)owner.GetValue(grouped)!).Dispose(); // as if the process were killed: the lock goes, the folder stays

        using var next = new FileOutboxSink(_directory);
        Assert.False(await next.ContainsAsync(other.IdempotencyKey));
        Assert.False(Directory.Exists(pending));
        Assert.True(await next.ContainsAsync(batch[0].IdempotencyKey));
    }

    [Fact]
    public async Task A_sink_disposed_without_writing_removes_a_dead_writers_pending_folder_and_leaves_a_live_ones()
    {
        // A process killed after its last flush (its run recorded complete) leaves its pending folder; the next run finds
        // nothing to send and never writes — disposing its sink still clears the dead folder.
        var batch = Batch();
        var dead = new FileOutboxSink(_directory) { FlushEmailsInGroups = true };
        await dead.WriteAsync(batch[0]);
        await dead.FlushAsync();
        var deadFolder = Directory.GetDirectories(dead.EmailDirectory, ".pending-*").Single();
        using var live = new FileOutboxSink(_directory) { FlushEmailsInGroups = true };
        await live.WriteAsync(batch[0] with { IdempotencyKey = IdempotencyKey.Create("t", "c-8", "m-email", DateTimeOffset.UnixEpoch) });
        var liveFolder = Directory.GetDirectories(live.EmailDirectory, ".pending-*").Single(f => f != deadFolder);
        var owner = typeof(FileOutboxSink).GetField("_pendingOwner", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;
        ((FileStream)owner.GetValue(dead)!).Dispose(); // as if the process were killed: the lock goes, the folder stays

        new FileOutboxSink(_directory) { FlushEmailsInGroups = true }.Dispose();

        Assert.False(Directory.Exists(deadFolder));
        Assert.True(Directory.Exists(liveFolder));
        Assert.True(File.Exists(dead.EmailPath(batch[0].IdempotencyKey)));
    }

    [Fact]
    public async Task Flushing_makes_the_outbox_durable_and_is_what_a_run_with_a_store_calls()
    {
        using var sink = new FileOutboxSink(_directory, syncEvery: 1000);
        var batch = Batch();
        await sink.WriteAsync(batch[0]);
        await sink.WriteAsync(batch[1]);

        await sink.FlushAsync();

        Assert.IsAssignableFrom<IFlushableMessageSink>(sink);
        Assert.Single(Lines(sink.JsonLinesPath(Channel.Sms)));
        Assert.True(File.Exists(sink.EmailPath(batch[0].IdempotencyKey)));
        Assert.True(File.Exists(Path.Combine(_directory, FileOutboxSink.LockFileName)));
    }

    [Fact]
    public async Task One_send_of_a_message_goes_out_once_even_if_composed_for_two_channels()
    {
        // The key names the send (trigger, customer, message, instant), not the channel: a message decided once is sent once.
        using var sink = new FileOutboxSink(_directory);
        var composer = DeliveryFixture.Composer();
        var email = composer.Email(DeliveryFixture.Request(), new EmailContent { Subject = "s", TextBody = "t" });
        var sms = composer.Sms(DeliveryFixture.Request(), "t");

        var report = await Writer(sink).WriteAsync([email, sms]);

        Assert.Equal(email.IdempotencyKey, sms.IdempotencyKey);
        Assert.Equal(1, report.Written);
        Assert.Equal(1, report.Skipped);
        Assert.False(File.Exists(sink.JsonLinesPath(Channel.Sms)));
    }

    [Fact]
    public async Task In_memory_sink_keeps_order_and_deduplicates()
    {
        var sink = new InMemorySink();
        var batch = Batch();

        var report = await Writer(sink).WriteAsync([.. batch, batch[0]]);

        Assert.Equal(batch.Select(m => m.IdempotencyKey), sink.Messages.Select(m => m.IdempotencyKey));
        Assert.Equal(1, report.Skipped);
        sink.Clear();
        Assert.Equal(0, sink.Count);
    }

    [Fact]
    public async Task Null_sink_takes_everything_and_holds_nothing()
    {
        var report = await Writer(NullSink.Instance).WriteAsync(Batch());

        Assert.Equal(7, report.Written);
        Assert.False(await NullSink.Instance.ContainsAsync(Batch()[0].IdempotencyKey));
    }

    [Fact]
    public async Task A_transient_failure_is_retried_and_nothing_is_lost_or_duplicated()
    {
        var inner = new InMemorySink();
        var batch = Batch();
        var flaky = new FlakySink(inner, batch[2].IdempotencyKey, failures: 2);

        var report = await Writer(flaky).WriteAsync(batch);

        Assert.True(report.Succeeded);
        Assert.Equal(2, report.Retries);
        Assert.Equal(7, report.Written);
        Assert.Equal(batch.Select(m => m.IdempotencyKey), inner.Messages.Select(m => m.IdempotencyKey));
    }

    [Fact]
    public async Task A_persistent_failure_is_recorded_and_the_rest_of_the_batch_goes_on()
    {
        var inner = new InMemorySink();
        var batch = Batch();
        var broken = new FlakySink(inner, batch[2].IdempotencyKey, failures: int.MaxValue);

        var report = await Writer(broken, attempts: 3).WriteAsync(batch);

        var failure = Assert.Single(report.Failures);
        Assert.Same(batch[2], failure.Message);
        Assert.Equal(3, failure.Attempts);
        Assert.IsType<IOException>(failure.Error);
        Assert.Equal(6, report.Written);
        Assert.Equal(6, inner.Count);
        Assert.DoesNotContain(inner.Messages, m => m.IdempotencyKey == batch[2].IdempotencyKey);

        // Retrying later writes only the failed message.
        var retry = await Writer(inner).WriteAsync(batch);
        Assert.Equal(1, retry.Written);
        Assert.Equal(6, retry.Skipped);
        Assert.Equal(7, inner.Count);
    }

    [Fact]
    public void Backoff_doubles_from_the_first_delay_up_to_30_seconds_spread_by_jitter()
    {
        var policy = new SinkRetryPolicy(5, TimeSpan.FromMilliseconds(200));

        // The jitter factor runs from 0.5 (sample 0) to 1.5 (sample 1) around the doubling delay.
        Assert.Equal(TimeSpan.FromMilliseconds(100), policy.GetDelay(1, 0.0));
        Assert.Equal(TimeSpan.FromMilliseconds(200), policy.GetDelay(1, 0.5));
        Assert.Equal(TimeSpan.FromMilliseconds(400), policy.GetDelay(2, 0.5));
        Assert.Equal(TimeSpan.FromMilliseconds(1200), policy.GetDelay(3, 1.0));
        Assert.Equal(SinkRetryPolicy.MaxDelay, policy.GetDelay(12, 0.0));
        Assert.Equal(policy, SinkRetryPolicy.FromOptions(DeliveryFixture.Options(o => o.SinkMaxAttempts = 5)));

        var delays = Enumerable.Range(0, 200).Select(_ => policy.GetDelay(2)).ToList();
        Assert.All(delays, d => Assert.InRange(d, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(600)));
        Assert.True(delays.Distinct().Count() > 100, "jittered delays should differ from one retry to the next");

        var steady = policy with { UseJitter = false };
        Assert.Equal([TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(800)], [steady.GetDelay(1), steady.GetDelay(2), steady.GetDelay(3)]);
    }

    [Fact]
    public async Task A_permanent_failure_is_recorded_after_one_attempt_and_never_retried()
    {
        var inner = new InMemorySink();
        var batch = Batch();
        var refusing = new ThrowingSink(inner, batch[0].IdempotencyKey, () => new SinkException(SinkFailureKind.Permanent, "smtp.550", "The server refused the recipient.", "550 5.1.1 <ada@example.com>: mailbox unknown"));

        var report = await Writer(refusing, attempts: 5).WriteAsync(batch);

        var failure = Assert.Single(report.Failures);
        Assert.Equal((SinkFailureKind.Permanent, 1, 1), (failure.Kind, failure.Attempts, refusing.Calls));
        Assert.Equal("smtp.550", failure.Code);
        Assert.Equal("550 5.1.1 <ada@example.com>: mailbox unknown", failure.ProviderResponse);
        Assert.Equal(0, report.Retries);
        Assert.Equal(6, report.Written);
    }

    [Fact]
    public async Task A_transient_sink_exception_is_retried_until_the_last_attempt_and_recorded_as_transient()
    {
        var batch = Batch();
        var deferring = new ThrowingSink(new InMemorySink(), batch[0].IdempotencyKey, () => new SinkException(SinkFailureKind.Transient, "smtp.451", "The server deferred the message.", "451 4.3.0 try again later"));

        var report = await Writer(deferring, attempts: 4).WriteAsync(batch);

        var failure = Assert.Single(report.Failures);
        Assert.Equal((SinkFailureKind.Transient, 4, 4), (failure.Kind, failure.Attempts, deferring.Calls));
        Assert.Equal(3, report.Retries);
    }

    [Theory]
    [InlineData(typeof(IOException), SinkFailureKind.Transient)]
    [InlineData(typeof(TimeoutException), SinkFailureKind.Transient)]
    [InlineData(typeof(System.Net.Sockets.SocketException), SinkFailureKind.Transient)]
    [InlineData(typeof(HttpRequestException), SinkFailureKind.Transient)]
    [InlineData(typeof(InvalidOperationException), SinkFailureKind.Transient)]
    [InlineData(typeof(ArgumentException), SinkFailureKind.Permanent)]
    [InlineData(typeof(FormatException), SinkFailureKind.Permanent)]
    [InlineData(typeof(NotSupportedException), SinkFailureKind.Permanent)]
    [InlineData(typeof(UnauthorizedAccessException), SinkFailureKind.Permanent)]
    [InlineData(typeof(MessageContentException), SinkFailureKind.Permanent)]
    public void Default_classification_retries_io_and_unknown_failures_and_refuses_input_errors(Type type, SinkFailureKind expected)
    {
        var exception = (Exception)Activator.CreateInstance(type)!;

        Assert.Equal(expected, SinkFailureClassifier.Classify(exception));
        Assert.Equal(expected, new SinkRetryPolicy(3, TimeSpan.Zero).Classify(exception));
        Assert.Equal(expected, SinkFailureClassifier.Classify(new SinkException(expected, "test.code", "classified by the sink")));
        Assert.Equal(SinkFailureKind.Permanent, SinkFailureClassifier.Classify(new ObjectDisposedException("sink")));
    }

    [Fact]
    public async Task A_host_classifier_decides_what_is_retried()
    {
        var batch = Batch();
        var sink = new ThrowingSink(new InMemorySink(), batch[1].IdempotencyKey, () => new IOException("quota exceeded for the day"));
        var policy = new SinkRetryPolicy(5, TimeSpan.Zero) { Classifier = e => e.Message.Contains("quota", StringComparison.Ordinal) ? SinkFailureKind.Permanent : SinkFailureKind.Transient };

        var report = await new SinkWriter(sink, policy, TimeProvider.System).WriteAsync(batch);

        Assert.Equal((SinkFailureKind.Permanent, 1), (Assert.Single(report.Failures).Kind, sink.Calls));
    }

    [Fact]
    public async Task Retries_wait_the_jittered_backoff_or_the_providers_retry_after_whichever_is_longer_at_most_30_seconds()
    {
        var batch = Batch();
        var answers = new Queue<Exception>(
        [
            new IOException("reset"),
            new SinkException(SinkFailureKind.Transient, "http.429", "Too many requests.", "429 Too Many Requests") { RetryAfter = TimeSpan.FromSeconds(7) },
            new SinkException(SinkFailureKind.Transient, "http.429", "Too many requests.", "429 Too Many Requests") { RetryAfter = TimeSpan.FromMinutes(5) },
        ]);
        var sink = new ThrowingSink(new InMemorySink(), batch[0].IdempotencyKey, () => answers.Dequeue(), failures: 3);
        var clock = new RecordingTimeProvider();

        var report = await new SinkWriter(sink, new SinkRetryPolicy(4, TimeSpan.FromMilliseconds(100)), clock).WriteAsync(batch);

        Assert.True(report.Succeeded);
        Assert.Equal(3, report.Retries);
        Assert.Equal(3, clock.Delays.Count);
        Assert.InRange(clock.Delays[0], TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(150));
        Assert.Equal(TimeSpan.FromSeconds(7), clock.Delays[1]);
        Assert.Equal(SinkRetryPolicy.MaxDelay, clock.Delays[2]);
    }

    [Fact]
    public async Task Cancellation_stops_the_batch_and_keeps_what_was_written()
    {
        var inner = new InMemorySink();
        using var cancel = new CancellationTokenSource();
        var batch = Batch();
        var sink = new CancellingSink(inner, batch[3].IdempotencyKey, cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Writer(sink).WriteAsync(batch, cancel.Token));

        Assert.Equal(3, inner.Count);
    }

    [Fact]
    public async Task Outbox_refuses_keys_that_are_not_idempotency_keys()
    {
        using var sink = new FileOutboxSink(_directory);
        var bad = Batch()[1] with { IdempotencyKey = "../../escape" };

        await Assert.ThrowsAsync<ArgumentException>(async () => await sink.WriteAsync(bad));
    }

    private sealed class FlakySink(IMessageSink inner, string failingKey, int failures) : IMessageSink
    {
        private int _failures = failures;

        public ValueTask<bool> ContainsAsync(string idempotencyKey, CancellationToken cancellationToken = default) => inner.ContainsAsync(idempotencyKey, cancellationToken);

        public ValueTask WriteAsync(OutgoingMessage message, CancellationToken cancellationToken = default)
        {
            if (message.IdempotencyKey == failingKey && _failures > 0)
            {
                _failures--;
                throw new IOException("disk full");
            }

            return inner.WriteAsync(message, cancellationToken);
        }
    }

    private sealed class CancellingSink(IMessageSink inner, string cancelAtKey, CancellationTokenSource cancel) : IMessageSink
    {
        public ValueTask<bool> ContainsAsync(string idempotencyKey, CancellationToken cancellationToken = default) => inner.ContainsAsync(idempotencyKey, cancellationToken);

        public ValueTask WriteAsync(OutgoingMessage message, CancellationToken cancellationToken = default)
        {
            if (message.IdempotencyKey == cancelAtKey)
            {
                cancel.Cancel();
                cancellationToken.ThrowIfCancellationRequested();
            }

            return inner.WriteAsync(message, cancellationToken);
        }
    }

    private sealed class ThrowingSink(IMessageSink inner, string failingKey, Func<Exception> error, int failures = int.MaxValue) : IMessageSink
    {
        private int _failures = failures;

        public int Calls { get; private set; }

        public ValueTask<bool> ContainsAsync(string idempotencyKey, CancellationToken cancellationToken = default) => inner.ContainsAsync(idempotencyKey, cancellationToken);

        public ValueTask WriteAsync(OutgoingMessage message, CancellationToken cancellationToken = default)
        {
            if (message.IdempotencyKey != failingKey)
            {
                return inner.WriteAsync(message, cancellationToken);
            }

            Calls++;
            if (_failures > 0)
            {
                _failures--;
                throw error();
            }

            return inner.WriteAsync(message, cancellationToken);
        }
    }

    /// <summary>A clock whose timers fire at once and remember how long they were asked to wait.</summary>
    private sealed class RecordingTimeProvider : TimeProvider
    {
        public List<TimeSpan> Delays { get; } = [];

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            lock (Delays)
            {
                Delays.Add(dueTime);
            }

            return TimeProvider.System.CreateTimer(callback, state, TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }
    }
}
