using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Personalize.Catalog;
using Personalize.Delivery;
using Personalize.Delivery.Sinks;
using Personalize.Sending;
using Personalize.Storage;
using static Personalize.Hosting.Tests.HostKit;

namespace Personalize.Hosting.Tests;

public sealed class WorkerTests
{
    /// <summary>The console's documented run instant: the bundled campaign defers some messages (quiet hours, preferred times).</summary>
    private static readonly DateTimeOffset CampaignAt = new(2026, 3, 15, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Stopping_the_host_mid_pass_finishes_the_page_in_hand_reads_no_further_page_and_leaves_nothing_half_recorded()
    {
        using var folder = new TempFolder();
        var settings = Settings(folder.File("store.db"), ("Personalize:Sending:PageSize", "2"), ("Personalize:Worker:Tick", "false"));
        var clock = new FakeTimeProvider(CampaignAt);
        var sink = new GateSink();
        int scheduled;
        using (var host = Build(settings, sink, clock))
        {
            await SeedAsync(host.Services);
            scheduled = await DeferSomeAsync(host.Services);
            var before = sink.Inner.Count;
            sink.Armed = true;

            // A week and a half-day later (daytime where it was night) the deferred sends are due: the first pass starts on it and the sink holds its first message.
            clock.Advance(TimeSpan.FromDays(7.5));
            await host.StartAsync();
            await WaitUntilAsync(() => sink.FirstWrite.Task.IsCompleted || host.Status().Passes + host.Status().ConsecutiveFailures > 0, "the sink got the pass's first message");
            Assert.True(sink.FirstWrite.Task.IsCompleted, $"The pass ended without sending: {host.Status().LastResult}");
            var stopping = host.StopAsync(TimeSpan.FromSeconds(60));
            await WaitUntilAsync(() => StopRequested(host), "the host asked the worker to stop");
            sink.Release.SetResult();
            await stopping;

            var store = host.Services.GetRequiredService<IPersonalizeStore>();
            var left = await ScheduledAsync(store, ScheduledSendState.Scheduled);
            var done = scheduled - left.Count;

            // The page in hand (2 sends) was finished, and no further page was read.
            Assert.True(left.Count > 0, "The pass went on past the page in hand.");
            Assert.True(done is > 0 and <= 4 && done % 2 == 0, $"{done} scheduled sends completed; expected whole pages of 2.");

            // Nothing half done: every message the sink took is recorded as delivered, none is left pending.
            Assert.Empty(await DeliveriesAsync(store, DeliveryState.Pending));
            var delivered = (await DeliveriesAsync(store, DeliveryState.Delivered)).Select(d => d.IdempotencyKey).ToHashSet(StringComparer.Ordinal);
            Assert.All(sink.Inner.Messages, m => Assert.Contains(m.IdempotencyKey, delivered));
            Assert.InRange(sink.Inner.Count - before, 1, done);
            Assert.Equal(1, host.Status().Passes);
        }

        // Started again, the worker handles the rest (sent, dropped, or deferred again to a later time); nothing goes twice.
        var again = new InMemorySink();
        foreach (var message in sink.Inner.Messages)
        {
            await again.WriteAsync(message);
        }

        using (var host = Build(settings, again, clock))
        {
            await host.StartAsync();
            await WaitUntilAsync(() => host.Status().Passes >= 1, "the second host's first pass finished");
            await host.StopAsync();
            var store = host.Services.GetRequiredService<IPersonalizeStore>();
            Assert.All(await ScheduledAsync(store, ScheduledSendState.Scheduled), s => Assert.True(s.DueAt > clock.GetUtcNow(), $"{s.IdempotencyKey} was due and is still scheduled."));
            Assert.Empty(await DeliveriesAsync(store, DeliveryState.Pending));
            Assert.Equal(again.Messages.Count, again.Messages.Select(m => m.IdempotencyKey).Distinct(StringComparer.Ordinal).Count());
        }
    }

    [Fact]
    public async Task Passes_run_at_every_interval_of_the_injected_clock_and_the_tick_at_its_own()
    {
        using var folder = new TempFolder();
        var settings = Settings(folder.File("store.db"), ("Personalize:Worker:Interval", "00:01:00"), ("Personalize:Worker:TickInterval", "00:10:00"));
        var clock = new FakeTimeProvider(CampaignAt);
        var ticks = new CountingTicks();
        using var host = Build(settings, new InMemorySink(), clock, s => s.AddSingleton<IPersonalizeStore>(sp => new TickCountingStore(sp.GetRequiredService<Personalize.Sqlite.SqlitePersonalizeStore>(), ticks)));
        var worker = host.Services.GetServices<IHostedService>().OfType<PersonalizeWorker>().Single();
        await host.StartAsync();
        await WaitUntilAsync(() => worker.Waits == 1, "the first pass finished");
        Assert.Equal(1, host.Status().Passes);
        Assert.Equal(1, ticks.Count);

        // Nothing happens until the clock moves a whole interval.
        clock.Advance(TimeSpan.FromSeconds(59));
        await Task.Delay(200);
        Assert.Equal(1, host.Status().Passes);
        clock.Advance(TimeSpan.FromSeconds(1));
        await WaitUntilAsync(() => worker.Waits == 2, "the second pass finished");
        for (var minute = 2; minute <= 10; minute++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            await WaitUntilAsync(() => worker.Waits == minute + 1, $"pass {minute + 1} finished");
        }

        Assert.Equal(11, host.Status().Passes);

        await host.StopAsync();
        Assert.Equal(2, ticks.Count);
        Assert.Equal(0, host.Status().ConsecutiveFailures);
    }

    [Fact]
    public async Task The_registered_sweeps_run_in_the_first_pass_and_then_every_sweep_interval()
    {
        using var folder = new TempFolder();
        var settings = Settings(folder.File("store.db"), ("Personalize:Worker:Interval", "00:01:00"), ("Personalize:Worker:SweepInterval", "00:05:00"), ("Personalize:Worker:Tick", "false"));
        var clock = new FakeTimeProvider(CampaignAt);
        var sweep = new CountingSweep();
        using var host = Build(settings, new InMemorySink(), clock, s => s.AddSingleton<IPersonalizeSweep>(sweep));
        var worker = host.Services.GetServices<IHostedService>().OfType<PersonalizeWorker>().Single();
        await host.StartAsync();
        await WaitUntilAsync(() => worker.Waits == 1, "the first pass finished");
        Assert.Equal(1, sweep.Count); // at start: what a crash left half done completes after the restart

        for (var minute = 1; minute <= 5; minute++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            await WaitUntilAsync(() => worker.Waits == minute + 1, $"pass {minute + 1} finished");
            Assert.Equal(minute < 5 ? 1 : 2, sweep.Count);
        }

        await host.StopAsync();
        Assert.Equal(0, host.Status().ConsecutiveFailures);
    }

    [Fact]
    public async Task Health_checks_report_the_store_the_sink_and_a_failing_worker()
    {
        using var folder = new TempFolder();
        var settings = Settings(folder.File("store.db"), ("Personalize:Worker:Tick", "false"));
        var sink = new SwitchableSink();
        var store = new SwitchableStore();
        using var host = Build(settings, sink, new FakeTimeProvider(CampaignAt), s => s.AddSingleton<IPersonalizeStore>(store));
        var health = host.Services.GetRequiredService<HealthCheckService>();

        var report = await health.CheckHealthAsync();
        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Equal(["personalize-sink", "personalize-store", "personalize-worker"], report.Entries.Keys.Order(StringComparer.Ordinal));

        store.Down = true;
        sink.Down = true;
        await host.StartAsync();
        await WaitUntilAsync(() => host.Status().ConsecutiveFailures == 1, "the first pass failed");
        report = await health.CheckHealthAsync();
        Assert.Equal(HealthStatus.Unhealthy, report.Entries["personalize-store"].Status);
        Assert.Equal(HealthStatus.Unhealthy, report.Entries["personalize-sink"].Status);
        Assert.Equal(HealthStatus.Unhealthy, report.Entries["personalize-worker"].Status);
        Assert.Contains("IOException", report.Entries["personalize-worker"].Description, StringComparison.Ordinal);
        await host.StopAsync();
    }

    private static bool StopRequested(IHost host)
        => host.Services.GetServices<IHostedService>().OfType<PersonalizeWorker>().Single().IsStopping;

    /// <summary>Runs the bundled campaign at <see cref="CampaignAt"/>; returns how many sends it deferred.</summary>
    private static async Task<int> DeferSomeAsync(IServiceProvider services)
    {
        var content = PersonalizeContent.Load(Path.Combine(DataDirectory, "catalog.json"), Path.Combine(DataDirectory, "templates"), services.GetRequiredService<Channels.ChannelRegistry>());
        var store = services.GetRequiredService<IPersonalizeStore>();
        var summary = await services.GetRequiredService<SendRunner>().RunAsync(new SendRun(content.Catalog, content.Templates, Trigger.Tick) { At = CampaignAt }, store);
        var scheduled = (await ScheduledAsync(store, ScheduledSendState.Scheduled)).Count;
        Assert.Equal(summary.Totals.Deferred, scheduled);
        Assert.True(scheduled >= 5, $"The bundled campaign deferred {scheduled} sends; the test needs at least 3 pages of 2.");
        return scheduled;
    }

    private sealed class CountingTicks
    {
        public int Count;
    }

    /// <summary>Counts ticks: a tick reads customers without excluding a run's history (the campaign run does).</summary>
    private sealed class TickCountingStore(IPersonalizeStore inner, CountingTicks ticks) : Personalize.Storage.Contract.DelegatingStore(inner)
    {
        public override ValueTask<StorePage<StoredCustomer>> ReadCustomersAsync(CustomerQuery query, CancellationToken cancellationToken = default)
        {
            if (query.ContinueAfter is null)
            {
                Interlocked.Increment(ref ticks.Count);
            }

            return Inner.ReadCustomersAsync(query, cancellationToken);
        }
    }

    private sealed class SwitchableStore() : Personalize.Storage.Contract.DelegatingStore(new InMemoryPersonalizeStore())
    {
        public bool Down { get; set; }

        public override ValueTask<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken = default)
            => Down ? throw new IOException("database is locked") : Inner.GetRunAsync(runId, cancellationToken);

        public override ValueTask<StorePage<DeliveryRecord>> ReadDeliveriesAsync(DeliveryQuery query, CancellationToken cancellationToken = default)
            => Down ? throw new IOException("database is locked") : Inner.ReadDeliveriesAsync(query, cancellationToken);
    }

    private sealed class SwitchableSink : IMessageSink
    {
        public bool Down { get; set; }

        public ValueTask WriteAsync(OutgoingMessage message, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask<bool> ContainsAsync(string idempotencyKey, CancellationToken cancellationToken = default)
            => Down ? throw new IOException("outbox folder is gone") : ValueTask.FromResult(false);
    }

    private sealed class CountingSweep : IPersonalizeSweep
    {
        private int _count;

        public string Name => "counting";

        public int Count => Volatile.Read(ref _count);

        public ValueTask<int> SweepAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(Interlocked.Increment(ref _count));
    }
}
