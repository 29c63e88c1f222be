using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Personalize.Diagnostics;

/// <summary>
/// Where Personalize reports what it does: logs (<see cref="ILogger"/>, source-generated messages with stable event
/// ids, no personal data above <see cref="LogLevel.Debug"/>), metrics on the <see cref="Meter"/> named
/// <see cref="MeterName"/> and traces on the <see cref="ActivitySource"/> named <see cref="ActivitySourceName"/>.
/// Pass one to <see cref="Sending.SendRunner"/> and <see cref="Delivery.Sinks.SinkWriter"/>; the dependency injection
/// extensions register one from the host's <see cref="ILoggerFactory"/> and <see cref="IMeterFactory"/> when it has them.
/// Every instrument is created once, here; the instrument names, units and tags are listed in docs/operations.md.
/// </summary>
public sealed class PersonalizeTelemetry : IDisposable
{
    /// <summary>The name of the meter (<c>Personalize</c>): subscribe to it, for example <c>.AddMeter("Personalize")</c> in OpenTelemetry.</summary>
    public const string MeterName = "Personalize";

    /// <summary>The name of the activity source (<c>Personalize</c>): subscribe to it, for example <c>.AddSource("Personalize")</c> in OpenTelemetry.</summary>
    public const string ActivitySourceName = "Personalize";

    private static readonly string? Version = typeof(PersonalizeTelemetry).Assembly.GetName().Version?.ToString();
    private readonly Meter _meter;
    private readonly bool _ownsMeter;

    /// <summary>Creates the telemetry.</summary>
    /// <param name="loggerFactory">Creates the loggers; null logs nothing.</param>
    /// <param name="meterFactory">Creates the meter (a host's <c>services.AddMetrics()</c>); null creates a meter this instance owns and disposes.</param>
    public PersonalizeTelemetry(ILoggerFactory? loggerFactory = null, IMeterFactory? meterFactory = null)
    {
        var loggers = loggerFactory ?? NullLoggerFactory.Instance;
        SendLogger = loggers.CreateLogger("Personalize.Sending.SendRunner");
        SinkLogger = loggers.CreateLogger("Personalize.Delivery.Sinks.SinkWriter");
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(new MeterOptions(MeterName) { Version = Version }) ?? new Meter(MeterName, Version);
        Decisions = _meter.CreateCounter<long>("personalize.decisions", "{decision}", "Decisions made (one per customer and trigger), by outcome.");
        DecisionDuration = _meter.CreateHistogram<double>("personalize.decision.duration", "s", "Time to decide for one customer.");
        RenderDuration = _meter.CreateHistogram<double>("personalize.render.duration", "s", "Time to render and compose one message.");
        Sends = _meter.CreateCounter<long>("personalize.sends", "{message}", "Messages handed to the sink, by channel.");
        Suppressions = _meter.CreateCounter<long>("personalize.suppressions", "{customer}", "Customers (or due sends) that got no message, by reason code.");
        Deferrals = _meter.CreateCounter<long>("personalize.deferrals", "{message}", "Messages held for a later send time (quiet hours, preferred times, caps).");
        Errors = _meter.CreateCounter<long>("personalize.errors", "{error}", "Per-customer failures of a run, by error code.");
        SinkRetries = _meter.CreateCounter<long>("personalize.sink.retries", "{attempt}", "Sink writes that failed transiently and were tried again, by channel.");
        SinkFailures = _meter.CreateCounter<long>("personalize.sink.failures", "{message}", "Messages the sink did not take, by channel and failure kind (permanent, or transient after the last attempt).");
        RunDuration = _meter.CreateHistogram<double>("personalize.run.duration", "s", "Time of a whole run, by run kind.");
    }

    /// <summary>Gets the shared telemetry of components created without one: metrics and traces, no logs.</summary>
    public static PersonalizeTelemetry Default { get; } = new();

    internal static ActivitySource Source { get; } = new(ActivitySourceName, Version);

    internal ILogger SendLogger { get; }

    internal ILogger SinkLogger { get; }

    internal Counter<long> Decisions { get; }

    internal Histogram<double> DecisionDuration { get; }

    internal Histogram<double> RenderDuration { get; }

    internal Counter<long> Sends { get; }

    internal Counter<long> Suppressions { get; }

    internal Counter<long> Deferrals { get; }

    internal Counter<long> Errors { get; }

    internal Counter<long> SinkRetries { get; }

    internal Counter<long> SinkFailures { get; }

    internal Histogram<double> RunDuration { get; }

    /// <summary>Disposes the meter when this instance created it (a factory's meters are the factory's to dispose).</summary>
    public void Dispose()
    {
        if (_ownsMeter && !ReferenceEquals(this, Default))
        {
            _meter.Dispose();
        }
    }
}
