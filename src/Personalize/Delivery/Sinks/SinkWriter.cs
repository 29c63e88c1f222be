using Personalize.Diagnostics;

namespace Personalize.Delivery.Sinks;

/// <summary>
/// Writes batches of messages to a sink: skips keys the sink already holds, retries a transient failure by the
/// <see cref="SinkRetryPolicy"/> (jittered exponential delays through the injected <see cref="TimeProvider"/>, at least
/// a provider's <see cref="SinkException.RetryAfter"/>, at most <see cref="SinkRetryPolicy.MaxDelay"/>), records a
/// permanent failure at once and a transient one after the last attempt in <see cref="SinkReport.Failures"/>, and goes
/// on with the rest — one failure never loses or duplicates other messages. Cancellation stops the batch; what was written stays written and a resumed run skips it.
/// </summary>
public sealed class SinkWriter
{
    private readonly TimeProvider _timeProvider;
    private readonly PersonalizeTelemetry _telemetry;

    /// <summary>Creates the writer, reporting metrics and traces through <see cref="PersonalizeTelemetry.Default"/> (no logs).</summary>
    /// <param name="sink">The sink.</param>
    /// <param name="policy">The retry policy.</param>
    /// <param name="timeProvider">The clock for retry delays.</param>
    public SinkWriter(IMessageSink sink, SinkRetryPolicy policy, TimeProvider timeProvider)
        : this(sink, policy, timeProvider, PersonalizeTelemetry.Default)
    {
    }

    /// <summary>Creates the writer with its telemetry: retries and failures are logged (<c>personalize.sink.*</c> event ids 1020-1022) and counted (<c>personalize.sink.retries</c>, <c>personalize.sink.failures</c>).</summary>
    /// <param name="sink">The sink.</param>
    /// <param name="policy">The retry policy.</param>
    /// <param name="timeProvider">The clock for retry delays.</param>
    /// <param name="telemetry">Where retries and failures are logged and counted.</param>
    public SinkWriter(IMessageSink sink, SinkRetryPolicy policy, TimeProvider timeProvider, PersonalizeTelemetry telemetry)
    {
        ArgumentNullException.ThrowIfNull(telemetry);
        _telemetry = telemetry;
        ArgumentNullException.ThrowIfNull(sink);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(timeProvider);
        Sink = sink;
        Policy = policy;
        _timeProvider = timeProvider;
    }

    /// <summary>The sink.</summary>
    public IMessageSink Sink { get; }

    /// <summary>The retry policy.</summary>
    public SinkRetryPolicy Policy { get; }

    /// <summary>Writes a batch.</summary>
    /// <param name="messages">The messages, in order.</param>
    /// <param name="cancellationToken">Stops the batch between messages or during a retry delay.</param>
    /// <returns>Counts and the failures.</returns>
    /// <exception cref="OperationCanceledException">Cancelled; messages before it are written.</exception>
    public async Task<SinkReport> WriteAsync(IEnumerable<OutgoingMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var written = 0;
        var skipped = 0;
        var retries = 0;
        List<SinkFailure>? failures = null;
        using var batch = SinkBatch.Start(messages.TryGetNonEnumeratedCount(out var count) ? count : 1);
        foreach (var message in messages)
        {
            ArgumentNullException.ThrowIfNull(message, nameof(messages));
            var outcome = await WriteOneAsync(message, cancellationToken).ConfigureAwait(false);
            retries += outcome.Retries;
            if (outcome.Failure is not null)
            {
                (failures ??= []).Add(outcome.Failure);
            }
            else if (outcome.Skipped)
            {
                skipped++;
            }
            else
            {
                written++;
            }
        }

        return new SinkReport { Written = written, Skipped = skipped, Retries = retries, Failures = failures ?? [] };
    }

    /// <summary>
    /// Writes one message with retries: what <see cref="WriteAsync"/> does per message, without the report (no
    /// allocation when the sink completes synchronously). The send runner calls it once per message.
    /// </summary>
    internal async ValueTask<SinkOutcome> WriteOneAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (await Sink.ContainsAsync(message.IdempotencyKey, cancellationToken).ConfigureAwait(false))
                {
                    return new SinkOutcome(true, attempt - 1, null);
                }

                await Sink.WriteAsync(message, cancellationToken).ConfigureAwait(false);
                return new SinkOutcome(false, attempt - 1, null);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var kind = Policy.Classify(exception);
                var logger = _telemetry.SinkLogger;
                var channel = message.Channel.Name;
                Log.SinkFailureDetail(logger, message.MessageId, message.CustomerId, attempt, exception);
                if (kind == SinkFailureKind.Permanent || attempt >= Policy.MaxAttempts)
                {
                    var failure = new SinkFailure(message, attempt, exception) { Kind = kind };
                    var kindText = kind == SinkFailureKind.Permanent ? "permanent" : "transient";
                    _telemetry.SinkFailures.Add(1, new KeyValuePair<string, object?>(TelemetryTags.Channel, channel), new KeyValuePair<string, object?>(TelemetryTags.FailureKind, kindText));
                    Log.SinkFailed(logger, message.MessageId, message.CustomerId, channel, kindText, attempt, exception.GetType().Name, failure.Code);
                    return new SinkOutcome(false, attempt - 1, failure);
                }

                var delay = Policy.GetDelay(attempt);
                if (exception is SinkException { RetryAfter: { } retryAfter } && retryAfter > delay)
                {
                    delay = retryAfter < SinkRetryPolicy.MaxDelay ? retryAfter : SinkRetryPolicy.MaxDelay;
                }

                _telemetry.SinkRetries.Add(1, new KeyValuePair<string, object?>(TelemetryTags.Channel, channel));
                Log.SinkRetrying(logger, message.MessageId, message.CustomerId, channel, attempt, Policy.MaxAttempts, exception.GetType().Name, delay.TotalMilliseconds);

                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }
}
