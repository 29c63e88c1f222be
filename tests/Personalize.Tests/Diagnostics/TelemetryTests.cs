using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Personalize.Catalog;
using Personalize.Customers;
using Personalize.Delivery;
using Personalize.Delivery.Sinks;
using Personalize.Diagnostics;
using Personalize.Sending;
using Personalize.Storage;
using Personalize.Tests.Decisions;
using Personalize.Tests.Sending;

namespace Personalize.Tests.Diagnostics;

/// <summary>Logs, metrics and traces of send runs, read as an operator's tools would read them.</summary>
public sealed class TelemetryTests
{
    private static readonly DateTimeOffset Now = SendingKit.Now;

    [Fact]
    public async Task Logs_above_debug_carry_ids_codes_and_counts_but_never_an_address_a_phone_or_a_name()
    {
        var (logs, services) = Logging(LogLevel.Debug);
        using var _ = services;
        var telemetry = new PersonalizeTelemetry(services.GetRequiredService<ILoggerFactory>());
        var customers = Enumerable.Range(0, 12).Select(Customer).ToList();

        // Every third customer's provider refuses the address (quoting it, as SMTP servers do); every other one fails
        // once (quoting the phone number) and then takes the message.
        var sink = new QuotingSink(refuse: c => c % 3 == 0, failOnce: c => c % 2 == 1);
        var summary = await Runner(sink, telemetry, maxAttempts: 3).RunAsync(Run(), customers);

        Assert.Equal(4, summary.Totals.Errors);
        var records = logs.GetSnapshot();
        var secrets = customers.SelectMany(c => new[] { c.ContactPoints.Email!, c.ContactPoints.Phone!, FirstName(c) }).Append("Lovelace").ToList();

        // The personal data reached the logging path (at debug), so the check below is not vacuous.
        Assert.Contains(records, r => r.Level == LogLevel.Debug && secrets.Any(s => Text(r).Contains(s, StringComparison.Ordinal)));
        var leaks = records.Where(r => r.Level > LogLevel.Debug).SelectMany(r => secrets.Where(s => Text(r).Contains(s, StringComparison.Ordinal)).Select(s => $"{r.Id.Id} {r.Level}: {s}")).ToList();
        Assert.Empty(leaks);

        // What an operator needs is there, with stable event ids.
        Assert.Single(records, r => r.Id.Id == 1000 && r.Level == LogLevel.Information);
        var finished = Assert.Single(records, r => r.Id.Id == 1001);
        Assert.Contains("12 processed", finished.Message, StringComparison.Ordinal);
        Assert.Contains("4 failed", finished.Message, StringComparison.Ordinal);
        Assert.Equal(4, records.Count(r => r.Id.Id == 1010 && r.Level == LogLevel.Warning));
        Assert.Equal(4, records.Count(r => r.Id.Id == 1021 && r.Level == LogLevel.Warning));
        Assert.Equal(4, records.Count(r => r.Id.Id == 1020 && r.Level == LogLevel.Warning));
        Assert.All(records.Where(r => r.Id.Id == 1010), r => Assert.Contains("c-", r.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_message_suppressed_by_a_rule_is_logged_at_debug_with_its_code_and_not_above()
    {
        var (logs, services) = Logging(LogLevel.Debug);
        using var _ = services;
        var telemetry = new PersonalizeTelemetry(services.GetRequiredService<ILoggerFactory>());
        var withdrawn = Customer(1) with { Consents = new Personalize.Consent.ConsentLedger([]) };

        var summary = await Runner(new InMemorySink(), telemetry).RunAsync(Run(), [withdrawn, Customer(2)]);

        var code = summary.Totals.Suppressed.Keys.Single();
        var suppressed = logs.GetSnapshot().Where(r => r.Id.Id is 1012 or 1013).ToList();
        Assert.NotEmpty(suppressed);
        Assert.All(suppressed, r => Assert.Equal(LogLevel.Debug, r.Level));
        Assert.All(suppressed, r => Assert.Contains("c-0001", r.Message, StringComparison.Ordinal));
        Assert.Contains(suppressed, r => r.Id.Id == 1013 && r.Message.Contains(code, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_logger_factory_nothing_is_logged_and_the_run_is_the_same()
    {
        var sink = new InMemorySink();

        var summary = await Runner(sink, new PersonalizeTelemetry()).RunAsync(Run(), Enumerable.Range(0, 6).Select(Customer));

        Assert.Equal(6, summary.Totals.TotalSent);
        Assert.Equal(6, sink.Count);
    }

    [Fact]
    public async Task Metrics_count_decisions_sends_per_channel_suppressions_per_code_sink_failures_and_time_renders_and_decisions()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        using var telemetry = new PersonalizeTelemetry(meterFactory: meters);
        using var decisions = new MetricCollector<long>(meters, PersonalizeTelemetry.MeterName, "personalize.decisions");
        using var decisionTime = new MetricCollector<double>(meters, PersonalizeTelemetry.MeterName, "personalize.decision.duration");
        using var renderTime = new MetricCollector<double>(meters, PersonalizeTelemetry.MeterName, "personalize.render.duration");
        using var sends = new MetricCollector<long>(meters, PersonalizeTelemetry.MeterName, "personalize.sends");
        using var suppressions = new MetricCollector<long>(meters, PersonalizeTelemetry.MeterName, "personalize.suppressions");
        using var failures = new MetricCollector<long>(meters, PersonalizeTelemetry.MeterName, "personalize.sink.failures");
        using var retries = new MetricCollector<long>(meters, PersonalizeTelemetry.MeterName, "personalize.sink.retries");
        using var errors = new MetricCollector<long>(meters, PersonalizeTelemetry.MeterName, "personalize.errors");
        using var runs = new MetricCollector<double>(meters, PersonalizeTelemetry.MeterName, "personalize.run.duration");
        var customers = Enumerable.Range(0, 10).Select(Customer).Append(Customer(10) with { Consents = new Personalize.Consent.ConsentLedger([]) }).ToList();
        var sink = new QuotingSink(refuse: c => c == 4, failOnce: c => c == 5);

        // A clock whose timestamps move 2 ms per reading: every duration is a positive, known multiple of it.
        var summary = await Runner(sink, telemetry, maxAttempts: 3, clock: new SteppingTimeProvider(Now, TimeSpan.FromMilliseconds(2))).RunAsync(Run(), customers);

        Assert.Equal(10, Sum(decisions, TelemetryTags.Outcome, "message"));
        Assert.Equal(1, Sum(decisions, TelemetryTags.Outcome, "none"));
        Assert.Equal(11, decisionTime.GetMeasurementSnapshot().Count);
        Assert.All(decisionTime.GetMeasurementSnapshot(), m => Assert.Equal(0.002, m.Value, 6));
        Assert.Equal(10, renderTime.GetMeasurementSnapshot().Count);
        Assert.Equal(5, renderTime.GetMeasurementSnapshot().Count(m => (string?)m.Tags[TelemetryTags.Channel] == "sms"));
        Assert.Equal(4, Sum(sends, TelemetryTags.Channel, "email")); // customers 0, 2, 6, 8: customer 4's address was refused
        Assert.Equal(5, Sum(sends, TelemetryTags.Channel, "sms"));   // customers 1, 3, 5, 7, 9: customer 5's went at the second attempt
        Assert.Equal(1, Sum(suppressions, TelemetryTags.Reason, summary.Totals.Suppressed.Keys.Single()));
        var failure = Assert.Single(failures.GetMeasurementSnapshot());
        Assert.Equal("permanent", failure.Tags[TelemetryTags.FailureKind]);
        Assert.Equal("email", failure.Tags[TelemetryTags.Channel]);
        Assert.Equal("sms", Assert.Single(retries.GetMeasurementSnapshot()).Tags[TelemetryTags.Channel]);
        Assert.Equal(SendErrorCodes.SinkRejected, Assert.Single(errors.GetMeasurementSnapshot()).Tags[TelemetryTags.ErrorCode]);
        Assert.Equal("campaign", Assert.Single(runs.GetMeasurementSnapshot()).Tags[TelemetryTags.RunKind]);
    }

    [Fact]
    public async Task A_store_run_counts_deferrals_and_a_dry_run_counts_decisions_but_no_sends()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        using var telemetry = new PersonalizeTelemetry(meterFactory: meters);
        using var decisions = new MetricCollector<long>(meters, PersonalizeTelemetry.MeterName, "personalize.decisions");
        using var sends = new MetricCollector<long>(meters, PersonalizeTelemetry.MeterName, "personalize.sends");
        using var deferrals = new MetricCollector<long>(meters, PersonalizeTelemetry.MeterName, "personalize.deferrals");
        var store = new InMemoryPersonalizeStore();

        // Quiet hours from 21:00 to 08:00 in Berlin hold every message of a run at 23:00 UTC.
        var quiet = Enumerable.Range(0, 4).Select(i => Customer(i) with { Preferences = Customer(i).Preferences with { QuietHours = DecisionKit.Window(21, 0, 8, 0) } });
        Assert.True((await store.ImportCustomersAsync(quiet.ToList())).Succeeded);
        var night = new DateTimeOffset(Now.Year, Now.Month, Now.Day, 23, 0, 0, TimeSpan.Zero);
        var runner = Runner(new InMemorySink(), telemetry);

        await runner.RunAsync(Run() with { At = night, DryRun = true }, store);
        Assert.Equal(4, decisions.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Empty(sends.GetMeasurementSnapshot());
        Assert.Empty(deferrals.GetMeasurementSnapshot());

        var summary = await runner.RunAsync(Run() with { At = night }, store);
        Assert.Equal(4, summary.Totals.Deferred);
        Assert.Equal(4, deferrals.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Empty(sends.GetMeasurementSnapshot());
    }

    [Fact]
    public async Task A_store_run_has_one_span_per_run_and_one_per_sink_batch_and_none_per_customer()
    {
        var activities = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == PersonalizeTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                lock (activities)
                {
                    activities.Add(a);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        var store = new InMemoryPersonalizeStore();
        Assert.True((await store.ImportCustomersAsync(Enumerable.Range(0, 6).Select(Customer).ToList())).Succeeded);
        var trigger = "campaign:span_" + Guid.NewGuid().ToString("N")[..8];
        var engine = DecisionKit.Engine();
        var catalog = DecisionKit.Compile(engine, b => b.Add("tips", m => m.Marketing().Topics("gardening").On(Trigger.Parse(trigger)).Channel(Personalize.Channels.Channel.Email, "tips/email").Channel(Personalize.Channels.Channel.Sms, "tips/sms")));
        var run = new SendRun(catalog, SendingKit.Content(catalog), Trigger.Parse(trigger)) { At = Now };

        // Pages of 2 customers: 3 pages, each recorded and handed to the sink as one batch — or together with the pages
        // decided while the recorder was busy (a group commit), so 1 to 3 batches, never one per customer.
        var summary = await SendingKit.Runner(new InMemorySink(), engine, o => o.PageSize = 2).RunAsync(run, store);

        Assert.Equal(6, summary.Totals.TotalSent);
        List<Activity> ours;
        lock (activities)
        {
            var root = activities.Single(a => a.OperationName == "personalize.run campaign" && (string?)a.GetTagItem(TelemetryTags.Trigger) == trigger);
            ours = activities.Where(a => a.TraceId == root.TraceId).ToList();
            Assert.Equal(summary.RunId, root.GetTagItem(TelemetryTags.RunId));
            Assert.Equal(6L, root.GetTagItem("personalize.sent"));
            Assert.Equal(ActivityStatusCode.Unset, root.Status);
        }

        var batches = ours.Where(a => a.OperationName == "personalize.sink batch").ToList();
        Assert.InRange(batches.Count, 1, 3);
        Assert.All(batches, b => Assert.Contains((int)b.GetTagItem("personalize.messages")!, new[] { 2, 4, 6 }));
        Assert.Equal(6, batches.Sum(static b => (int)b.GetTagItem("personalize.messages")!));
        Assert.Equal(batches.Count + 1, ours.Count);
    }

    [Fact]
    public async Task A_cancelled_run_is_logged_as_stopped_and_its_span_is_an_error()
    {
        var (logs, services) = Logging(LogLevel.Information);
        using var _ = services;
        var telemetry = new PersonalizeTelemetry(services.GetRequiredService<ILoggerFactory>());
        using var cancel = new CancellationTokenSource();
        var sink = new CancellingSink(cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Runner(sink, telemetry).RunAsync(Run(), Enumerable.Range(0, 50).Select(Customer), cancellationToken: cancel.Token));

        var records = logs.GetSnapshot();
        Assert.Single(records, r => r.Id.Id == 1000);
        Assert.Single(records, r => r.Id.Id == 1003 && r.Level == LogLevel.Warning);
        Assert.DoesNotContain(records, r => r.Id.Id == 1001);
    }

    [Fact]
    public async Task The_operations_guide_wires_a_runner_to_the_hosts_loggers_and_meters()
    {
        var (logs, services) = Logging(LogLevel.Information);
        using var _ = services;
        using var meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var loggerFactory = services.GetRequiredService<ILoggerFactory>();
        var meterFactory = meters.GetRequiredService<IMeterFactory>();
        using var sends = new MetricCollector<long>(meterFactory, PersonalizeTelemetry.MeterName, "personalize.sends");
        var sink = new InMemorySink();
        var delivery = Personalize.Tests.Delivery.DeliveryFixture.Options();
        var engine = DecisionKit.Engine();
        var renderer = SendingKit.Renderer(delivery);
        var sendingOptions = new SendingOptions();

        // begin-snippet: telemetry
        var telemetry = new PersonalizeTelemetry(loggerFactory, meterFactory);
        var writer = new SinkWriter(sink, SinkRetryPolicy.FromOptions(delivery), TimeProvider.System, telemetry);
        var runner = new SendRunner(engine, renderer, writer, sendingOptions, TimeProvider.System, telemetry);
        // end-snippet

        await runner.RunAsync(Run(), Enumerable.Range(0, 3).Select(Customer));
        Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 1001);
        Assert.Equal(3, sends.GetMeasurementSnapshot().Sum(m => m.Value));
        DocSnippets.AssertShown("tests/Personalize.Tests/Diagnostics/TelemetryTests.cs", "telemetry", "docs/operations.md");
    }

    private static SendRun Run()
    {
        var catalog = SendingKit.Catalog(DecisionKit.Engine());
        return new SendRun(catalog, SendingKit.Content(catalog), Trigger.Tick) { At = Now };
    }

    private static SendRunner Runner(IMessageSink sink, PersonalizeTelemetry telemetry, int maxAttempts = 1, TimeProvider? clock = null)
    {
        var options = new SendingOptions { Brand = new BrandInfo { Name = "Green Thumb" }, MaxDegreeOfParallelism = 1 };
        var writer = new SinkWriter(sink, new SinkRetryPolicy(maxAttempts, TimeSpan.Zero), TimeProvider.System, telemetry);
        return new SendRunner(DecisionKit.Engine(), SendingKit.Renderer(), writer, options, clock ?? new ManualTimeProvider(Now), telemetry);
    }

    /// <summary>Customer i with their own address, phone and first name; even ones prefer email, odd ones SMS.</summary>
    private static CustomerProfile Customer(int i)
    {
        var customer = SendingKit.Customer(i, first: i % 2 == 0 ? Personalize.Channels.Channel.Email : Personalize.Channels.Channel.Sms);
        return customer with
        {
            ContactPoints = customer.ContactPoints with
            {
                Email = $"ada.{i}@lovelace-family.example",
                Phone = "+49151123456" + i.ToString("D2", CultureInfo.InvariantCulture),
            },
        };
    }

    private static string FirstName(CustomerProfile customer) => customer.Attributes["firstName"].GetString()!;

    private static int Index(string customerId) => int.Parse(customerId.AsSpan(2), CultureInfo.InvariantCulture);

    private static string Text(FakeLogRecord record)
        => record.Message + " " + string.Join(" ", record.StructuredState?.Select(p => p.Value) ?? []) + " " + record.Exception;

    private static long Sum(MetricCollector<long> collector, string tag, string? value)
        => collector.GetMeasurementSnapshot().Where(m => (string?)m.Tags[tag] == value).Sum(m => m.Value);

    private static (FakeLogCollector Logs, ServiceProvider Services) Logging(LogLevel level)
    {
        var services = new ServiceCollection().AddLogging(b => b.AddFakeLogging().SetMinimumLevel(level)).BuildServiceProvider();
        return (services.GetRequiredService<FakeLogCollector>(), services);
    }

    /// <summary>A sink whose failures quote the recipient, as real providers' errors do.</summary>
    private sealed class QuotingSink(Func<int, bool> refuse, Func<int, bool> failOnce) : IMessageSink
    {
        private readonly HashSet<string> _failed = [];

        public InMemorySink Inner { get; } = new();

        public ValueTask WriteAsync(OutgoingMessage message, CancellationToken cancellationToken = default)
        {
            var i = Index(message.CustomerId);
            if (refuse(i))
            {
                throw new SinkException(SinkFailureKind.Permanent, "smtp.550", $"550 5.1.1 <{message.Recipient}>: mailbox unknown");
            }

            lock (_failed)
            {
                if (failOnce(i) && _failed.Add(message.IdempotencyKey))
                {
                    throw new SinkException(SinkFailureKind.Transient, "sms.throttled", $"Throttled sending to {message.Recipient}, try again");
                }
            }

            return Inner.WriteAsync(message, cancellationToken);
        }

        public ValueTask<bool> ContainsAsync(string idempotencyKey, CancellationToken cancellationToken = default) => Inner.ContainsAsync(idempotencyKey, cancellationToken);
    }

    /// <summary>Cancels the run at the third message.</summary>
    private sealed class CancellingSink(CancellationTokenSource cancel) : IMessageSink
    {
        private int _count;

        public ValueTask WriteAsync(OutgoingMessage message, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _count) == 3)
            {
                cancel.Cancel();
            }

            return ValueTask.CompletedTask;
        }

        public ValueTask<bool> ContainsAsync(string idempotencyKey, CancellationToken cancellationToken = default) => ValueTask.FromResult(false);
    }

    /// <summary>A fixed wall clock whose timestamp advances by a step at every reading.</summary>
    private sealed class SteppingTimeProvider(DateTimeOffset now, TimeSpan step) : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override DateTimeOffset GetUtcNow() => now;

        public override long GetTimestamp() => Interlocked.Add(ref _ticks, step.Ticks);
    }
}
