using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;
using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Channels.Email;
using Personalize.Delivery;
using Personalize.Delivery.Sinks;
using Personalize.Sending;
using Personalize.Storage;
using Personalize.Tests.Decisions;

namespace Personalize.Tests.Sending;

/// <summary>
/// <see cref="IMessageSink.ReleasesMessageAfterWrite"/>: a run renders email bodies into arrays it reuses only for a sink
/// that declares it is done with each message when its write completes; every other sink owns its messages' bodies.
/// </summary>
public sealed class BodyReuseTests
{
    private const int Customers = 40; // even ids get an email, odd ones an SMS

    [Fact]
    public async Task A_sink_that_does_not_declare_it_keeps_messages_whose_bodies_never_change()
    {
        var sink = new SnapshotSink(declares: false);
        var (store, runner, run) = await SetUpAsync(sink);

        await runner.RunAsync(run, store);

        Assert.Equal(Customers / 2, sink.Snapshots.Count);
        foreach (var (message, html, text) in sink.Snapshots.Values)
        {
            // The bytes themselves, not the strings the sink's reads kept.
            var email = (EmailContent)message.Content;
            Assert.Equal(html, Encoding.UTF8.GetString(email.HtmlBodyUtf8!.Value.Span));
            Assert.Equal(text, Encoding.UTF8.GetString(email.TextBodyUtf8!.Value.Span));
            Assert.Contains("Hi Ada" + Number(message.CustomerId) + ",", html, StringComparison.Ordinal);
        }

        Assert.Equal(Customers / 2, sink.Arrays.Count); // an array of its own per email
    }

    [Fact]
    public async Task A_sink_that_declares_it_gets_every_body_right_in_arrays_the_run_reuses()
    {
        var sink = new SnapshotSink(declares: true);
        var (store, runner, run) = await SetUpAsync(sink);

        var summary = await runner.RunAsync(run, store);

        Assert.Equal(Customers, summary.Totals.TotalSent);
        Assert.Equal(Customers / 2, sink.Snapshots.Count);
        var reference = SendingKit.Renderer();
        foreach (var (message, html, text) in sink.Snapshots.Values)
        {
            // What the sink read during its write is what a render into arrays of its own gives.
            var customer = (await store.GetCustomerAsync(message.CustomerId))!.Profile;
            var alone = (EmailContent)reference.Render(run.Templates, customer, run.Catalog.Find("tips")!, Channel.Email, "tips/email", message.Trigger, message.SendAt).Content;
            Assert.Equal(alone.HtmlBody, html);
            Assert.Equal(alone.TextBody, text);
        }

        // Pages of two customers, one email each: the bodies of later pages went into arrays earlier pages gave back.
        Assert.True(sink.Arrays.Count < Customers / 2, $"{sink.Arrays.Count} distinct HTML arrays for {Customers / 2} emails");
    }

    [Fact]
    public async Task A_sink_that_declares_it_but_keeps_a_message_cannot_read_its_bodies_after_the_write()
    {
        var sink = new SnapshotSink(declares: true);
        var (store, runner, run) = await SetUpAsync(sink);

        await runner.RunAsync(run, store);

        var (message, html, _) = sink.Snapshots.Values.First();
        var email = (EmailContent)message.Content;
        Assert.Equal(html, email.HtmlBody); // read (and kept as a string) during the write
        var error = Assert.Throws<InvalidOperationException>(() => email.TextBodyUtf8);
        Assert.Contains(nameof(IMessageSink.ReleasesMessageAfterWrite), error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => MimeEmailWriter.ToBytes(message));
    }

    [Fact]
    public async Task A_run_over_a_list_of_customers_reuses_bodies_for_a_declaring_sink_only()
    {
        foreach (var declares in new[] { false, true })
        {
            var sink = new SnapshotSink(declares);
            var engine = DecisionKit.Engine();
            var catalog = SendingKit.Catalog(engine);
            var runner = SendingKit.Runner(sink, engine, o => o.MaxDegreeOfParallelism = 1);
            var run = new SendRun(catalog, SendingKit.Content(catalog), Trigger.Tick) { At = SendingKit.Now };

            await runner.RunAsync(run, SendingKit.Customers(Customers));

            Assert.Equal(Customers / 2, sink.Snapshots.Count);
            Assert.All(sink.Snapshots.Values, s => Assert.Contains("Hi Ada" + Number(s.Message.CustomerId) + ",", s.Html, StringComparison.Ordinal));
            if (declares)
            {
                Assert.True(sink.Arrays.Count < Customers / 2, $"{sink.Arrays.Count} distinct HTML arrays for {Customers / 2} emails");
            }
            else
            {
                Assert.Equal(Customers / 2, sink.Arrays.Count);
                Assert.All(sink.Snapshots.Values, s => Assert.Equal(s.Html, Encoding.UTF8.GetString(((EmailContent)s.Message.Content).HtmlBodyUtf8!.Value.Span)));
            }
        }
    }

    [Fact]
    public void An_email_rendered_into_pooled_arrays_writes_the_same_MIME_and_JSON_as_one_rendered_into_its_own()
    {
        var engine = DecisionKit.Engine();
        var catalog = SendingKit.Catalog(engine);
        var content = SendingKit.Content(catalog);
        var renderer = SendingKit.Renderer();
        var pool = new BodyBufferPool(4);
        var customer = SendingKit.Customer(7);
        var message = catalog.Find("tips")!;

        var own = renderer.Render(content, customer, message, Channel.Email, "tips/email", "tick", SendingKit.Now);
        var pooled = renderer.Render(content, customer, message, Channel.Email, "tips/email", "tick", SendingKit.Now, null, pool, IdempotencyKey.DefaultFormat, CancellationToken.None);

        Assert.Same(pool, ((EmailContent)pooled.Content).BodyPool);
        Assert.Equal(MimeEmailWriter.ToBytes(own), MimeEmailWriter.ToBytes(pooled));
        Assert.Equal(OutgoingMessageJson.ToUtf8Bytes(own), OutgoingMessageJson.ToUtf8Bytes(pooled));
        Assert.Equal(own.Content, pooled.Content);
        ((EmailContent)pooled.Content).ReleaseBodies();
        Assert.Equal(2, pool.Count);
    }

    [Fact]
    public void The_pool_hands_out_power_of_two_arrays_keeps_at_most_its_capacity_and_ignores_foreign_arrays()
    {
        var pool = new BodyBufferPool(2);

        Assert.Equal(BodyBufferPool.MinSize, pool.Rent(1).Length);
        Assert.Equal(8192, pool.Rent(5000).Length);
        Assert.Equal(8192, pool.Rent(8192).Length);
        Assert.Equal(BodyBufferPool.MaxSize + 1, pool.Rent(BodyBufferPool.MaxSize + 1).Length);

        var a = pool.Rent(5000);
        var b = pool.Rent(5000);
        var c = pool.Rent(5000);
        pool.Return(a);
        pool.Return(b);
        pool.Return(c); // over the capacity of its size: left to the collector
        pool.Return(new byte[5000]); // not one of the pool's sizes
        pool.Return(new byte[BodyBufferPool.MaxSize * 2]);
        Assert.Equal(2, pool.Count);
        Assert.Same(b, pool.Rent(4097));
        Assert.Same(a, pool.Rent(8000));
        Assert.NotSame(c, pool.Rent(8000));
    }

    private static string Number(string customerId) => int.Parse(customerId.AsSpan(2), System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<(InMemoryPersonalizeStore Store, SendRunner Runner, SendRun Run)> SetUpAsync(IMessageSink sink)
    {
        var engine = DecisionKit.Engine();
        var catalog = SendingKit.Catalog(engine);
        var store = new InMemoryPersonalizeStore();
        Assert.True((await store.ImportCustomersAsync(SendingKit.Customers(Customers).ToList())).Succeeded);
        var runner = SendingKit.Runner(sink, engine, o => o.PageSize = 2);
        return (store, runner, new SendRun(catalog, SendingKit.Content(catalog), Trigger.Tick) { At = SendingKit.Now });
    }

    /// <summary>
    /// Keeps every email it is handed (whatever it declares) with the HTML and text as they read during the write, and
    /// the arrays the HTML bodies were in.
    /// </summary>
    private sealed class SnapshotSink(bool declares) : IMessageSink
    {
        public ConcurrentDictionary<string, (OutgoingMessage Message, string Html, string Text)> Snapshots { get; } = new(StringComparer.Ordinal);

        public HashSet<byte[]> Arrays { get; } = new(ReferenceEqualityComparer.Instance);

        public bool ReleasesMessageAfterWrite => declares;

        public ValueTask WriteAsync(OutgoingMessage message, CancellationToken cancellationToken = default)
        {
            if (message.Content is EmailContent email)
            {
                Assert.True(MemoryMarshal.TryGetArray(email.HtmlBodyUtf8!.Value, out var segment));
                lock (Arrays)
                {
                    Arrays.Add(segment.Array!);
                }

                Snapshots[message.IdempotencyKey] = (message, Encoding.UTF8.GetString(email.HtmlBodyUtf8.Value.Span), email.TextBody);
                _ = email.HtmlBody; // kept as a string from here on
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask<bool> ContainsAsync(string idempotencyKey, CancellationToken cancellationToken = default) => new(false);
    }
}
