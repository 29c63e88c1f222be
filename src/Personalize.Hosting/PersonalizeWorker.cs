using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Personalize.Events;
using Personalize.Sending;
using Personalize.Storage;

namespace Personalize.Hosting;

/// <summary>
/// The hosted worker: every <see cref="PersonalizeWorkerOptions.Interval"/> (on the injected <see cref="TimeProvider"/>)
/// it sends what became due (<see cref="SendRunner.SendDueAsync"/>) and, every <see cref="PersonalizeWorkerOptions.TickInterval"/>,
/// ticks (<see cref="SendRunner.TickAsync"/>); with <see cref="PersonalizeContent.Journeys"/> both advance the journeys due and
/// the tick enters its occasions' journeys. The registered sweeps (<see cref="IPersonalizeSweep"/>, for example the
/// preference center's unsent double opt-in confirmations) run in the first pass and every
/// <see cref="PersonalizeWorkerOptions.SweepInterval"/>, so what a crash left half done completes after the restart. A pass that fails as a whole (the store is down) is logged and counted in
/// <see cref="PersonalizeWorkerStatus"/>, and the next pass tries again.
/// </summary>
/// <remarks>
/// Shutdown is graceful: when the host stops, the page in hand is finished — re-checked, recorded, handed to the sink and
/// marked delivered — and no further page is read, so nothing is left half done. Only when the host's shutdown timeout
/// runs out is the page in hand cancelled too; what it recorded stays recorded and the next start hands it over (a
/// store's page is one transaction, so nothing is half recorded either way).
/// </remarks>
public sealed partial class PersonalizeWorker : BackgroundService
{
    private readonly IServiceProvider _services;
    private readonly SendRunner _runner;
    private readonly IPersonalizeStore _store;
    private readonly PersonalizeWorkerOptions _options;
    private readonly LikeAFriendOptions _occasions;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _abort = new();
    private PersonalizeContent? _content;
    private DateTimeOffset? _nextTick;
    private IPersonalizeSweep[] _sweeps = [];
    private DateTimeOffset _nextSweep;
    private CancellationToken _stopping;
    private int _waits;

    /// <summary>Creates the worker (the dependency injection container does, through <c>AddPersonalizeWorker</c>).</summary>
    /// <param name="services">Resolves the <see cref="PersonalizeContent"/> at start.</param>
    /// <param name="runner">The send runner.</param>
    /// <param name="store">The store.</param>
    /// <param name="options">The worker's options.</param>
    /// <param name="occasions">The like-a-friend occasions the tick looks for.</param>
    /// <param name="time">The clock of the schedule.</param>
    /// <param name="status">Where each pass's result goes.</param>
    /// <param name="logger">The worker's logger.</param>
    public PersonalizeWorker(IServiceProvider services, SendRunner runner, IPersonalizeStore store, IOptions<PersonalizeWorkerOptions> options, IOptions<LikeAFriendOptions> occasions, TimeProvider time, PersonalizeWorkerStatus status, ILogger<PersonalizeWorker> logger)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(occasions);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(logger);
        _services = services;
        _runner = runner;
        _store = store;
        _options = options.Value;
        _occasions = occasions.Value;
        _time = time;
        Status = status;
        _logger = logger;
    }

    /// <summary>Gets what the worker did last.</summary>
    public PersonalizeWorkerStatus Status { get; }

    /// <summary>Loads the catalog and templates (a registered <see cref="PersonalizeContent"/>, or the files of the options), then starts the schedule.</summary>
    /// <param name="cancellationToken">Stops the start.</param>
    /// <returns>The start.</returns>
    /// <exception cref="InvalidOperationException">No content is registered and the files are not configured or do not compile; the message says which.</exception>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _content = _services.GetService<PersonalizeContent>() ?? LoadContent(_options, _services.GetService<Channels.ChannelRegistry>());
        if (_options.Tick)
        {
            _nextTick = _time.GetUtcNow();
        }

        _sweeps = [.. _services.GetServices<IPersonalizeSweep>()];
        _nextSweep = _time.GetUtcNow();

        LogStarted(_logger, _options.Interval, _options.SendDue, _options.Tick, _options.TickInterval);
        return base.StartAsync(cancellationToken);
    }

    /// <summary>Stops after the page in hand; when <paramref name="cancellationToken"/> (the host's shutdown timeout) fires first, cancels that page too.</summary>
    /// <param name="cancellationToken">The host's shutdown timeout.</param>
    /// <returns>The stop.</returns>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        LogStopping(_logger);
        using var registration = cancellationToken.Register(static state => ((CancellationTokenSource)state!).Cancel(), _abort);
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _abort.Dispose();
        base.Dispose();
    }

    /// <summary>Gets whether the host asked the worker to stop (the pass in hand finishes its page).</summary>
    internal bool IsStopping => _stopping.IsCancellationRequested;

    /// <summary>Gets how many times the worker started waiting for its next pass (its timer is set by then).</summary>
    internal int Waits => Volatile.Read(ref _waits);

    /// <summary>One pass: the due sends, then the sweeps and the tick when it is time. <paramref name="stopAfterPage"/> ends it after the page in hand.</summary>
    internal async Task RunPassAsync(CancellationToken stopAfterPage)
    {
        var content = _content ?? throw new InvalidOperationException("The worker has not started.");
        var abort = _abort.Token;
        try
        {
            SendRunSummary? due = null;
            if (_options.SendDue)
            {
                due = await _runner.SendDueAsync(new DueRun(content.Catalog, content.Templates) { StopAfterPage = stopAfterPage, Journeys = content.Journeys }, _store, null, abort).ConfigureAwait(false);
            }

            var now = _time.GetUtcNow();
            if (_sweeps.Length > 0 && now >= _nextSweep && !stopAfterPage.IsCancellationRequested)
            {
                foreach (var sweep in _sweeps)
                {
                    var completed = await sweep.SweepAsync(abort).ConfigureAwait(false);
                    LogSwept(_logger, sweep.Name, completed);
                }

                _nextSweep = now + _options.SweepInterval;
            }

            TickSummary? tick = null;
            if (_nextTick is { } next && now >= next && !stopAfterPage.IsCancellationRequested)
            {
                tick = await _runner.TickAsync(new TickRun(content.Catalog, content.Templates) { Occasions = _occasions, StopAfterPage = stopAfterPage, Journeys = content.Journeys }, _store, abort).ConfigureAwait(false);
                _nextTick = now + _options.TickInterval;
            }

            var sent = (due?.Totals.TotalSent ?? 0) + (tick?.Sends.TotalSent ?? 0);
            var errors = (due?.Totals.Errors ?? 0) + (tick?.Sends.Errors ?? 0);
            var fired = tick?.Fired.Values.Sum() ?? 0;
            Status.Succeeded(_time.GetUtcNow(), $"{sent} sent, {due?.Totals.Deferred ?? 0} deferred again, {due?.Totals.TotalSuppressed ?? 0} dropped, {fired} occasions, {errors} failed");
            LogPassFinished(_logger, due?.Totals.Processed ?? 0, sent, due?.Totals.Deferred ?? 0, due?.Totals.TotalSuppressed ?? 0, tick is not null, fired, errors, stopAfterPage.IsCancellationRequested);
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            LogAborted(_logger);
        }
        catch (Exception ex)
        {
            Status.Failed(_time.GetUtcNow(), ex.GetType().Name + ": " + ex.Message);
            LogPassFailed(_logger, ex.GetType().Name, Status.ConsecutiveFailures, _options.Interval, ex);
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _stopping = stoppingToken;
        while (!stoppingToken.IsCancellationRequested)
        {
            await RunPassAsync(stoppingToken).ConfigureAwait(false);
            try
            {
                var wait = Task.Delay(_options.Interval, _time, stoppingToken);
                Interlocked.Increment(ref _waits);
                await wait.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        LogStopped(_logger, Status.Passes);
    }

    private static PersonalizeContent LoadContent(PersonalizeWorkerOptions options, Channels.ChannelRegistry? channels)
    {
        if (options.CatalogFile is null || options.TemplatesDirectory is null)
        {
            throw new InvalidOperationException(
                "The Personalize worker has no catalog: set Personalize:Worker:CatalogFile and Personalize:Worker:TemplatesDirectory " +
                "(PersonalizeWorkerOptions.CatalogFile and TemplatesDirectory), or register a PersonalizeContent.");
        }

        return PersonalizeContent.Load(options.CatalogFile, options.TemplatesDirectory, channels);
    }

    [LoggerMessage(2006, LogLevel.Information, "Personalize sweep {Sweep} completed {Completed} items a crash had left half done")]
    private static partial void LogSwept(ILogger logger, string sweep, int completed);

    [LoggerMessage(2000, LogLevel.Information, "Personalize worker started: a pass every {Interval} (due sends: {SendDue}; tick: {Tick}, every {TickInterval})")]
    private static partial void LogStarted(ILogger logger, TimeSpan interval, bool sendDue, bool tick, TimeSpan tickInterval);

    [LoggerMessage(2001, LogLevel.Information, "Personalize pass finished: {Due} due sends looked at, {Sent} sent, {Deferred} deferred again, {Dropped} dropped, ticked: {Ticked} ({Fired} occasions), {Errors} failed; stopped early for shutdown: {Stopping}")]
    private static partial void LogPassFinished(ILogger logger, long due, long sent, long deferred, long dropped, bool ticked, long fired, long errors, bool stopping);

    [LoggerMessage(2002, LogLevel.Error, "Personalize pass failed ({ErrorType}; {Failures} in a row); the next pass in {Interval} tries again")]
    private static partial void LogPassFailed(ILogger logger, string errorType, int failures, TimeSpan interval, Exception exception);

    [LoggerMessage(2003, LogLevel.Information, "Personalize worker stopping: the page in hand finishes, no further page is read")]
    private static partial void LogStopping(ILogger logger);

    [LoggerMessage(2004, LogLevel.Warning, "Personalize pass cancelled by the host's shutdown timeout; what it recorded is handed over at the next start")]
    private static partial void LogAborted(ILogger logger);

    [LoggerMessage(2005, LogLevel.Information, "Personalize worker stopped after {Passes} passes")]
    private static partial void LogStopped(ILogger logger, long passes);
}
