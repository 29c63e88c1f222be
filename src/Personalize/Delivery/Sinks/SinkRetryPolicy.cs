namespace Personalize.Delivery.Sinks;

/// <summary>
/// How <see cref="SinkWriter"/> retries a failed sink write: which failures are retried (<see cref="Classifier"/>:
/// transient ones only), how often (<see cref="MaxAttempts"/>) and how long it waits in between (an exponential backoff
/// from <see cref="FirstDelay"/> with random jitter, so that many senders that failed together do not retry together).
/// </summary>
public sealed record SinkRetryPolicy
{
    /// <summary>The longest delay between attempts.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

    /// <summary>Creates a policy.</summary>
    /// <param name="maxAttempts">Attempts per message, 1 to 10 (1 means no retry).</param>
    /// <param name="firstDelay">The delay before the first retry; it doubles per retry up to <see cref="MaxDelay"/>.</param>
    public SinkRetryPolicy(int maxAttempts, TimeSpan firstDelay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxAttempts, 10);
        ArgumentOutOfRangeException.ThrowIfLessThan(firstDelay, TimeSpan.Zero);
        MaxAttempts = maxAttempts;
        FirstDelay = firstDelay;
    }

    /// <summary>Attempts per message.</summary>
    public int MaxAttempts { get; }

    /// <summary>The delay before the first retry.</summary>
    public TimeSpan FirstDelay { get; }

    /// <summary>Whether delays are spread at random between half and one and a half times the exponential delay.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool UseJitter { get; init; } = true;

    /// <summary>
    /// Classifies a sink's exception as transient (retried) or permanent (recorded at once). Cancellation of the
    /// caller's token is never classified: it stops the batch.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: <see cref="SinkFailureClassifier.Classify"/>.</value>
    public Func<Exception, SinkFailureKind>? Classifier { get; init; }

    /// <summary>The policy of <see cref="DeliveryOptions.SinkMaxAttempts"/> and <see cref="DeliveryOptions.SinkRetryDelay"/>.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The policy.</returns>
    public static SinkRetryPolicy FromOptions(DeliveryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new SinkRetryPolicy(options.SinkMaxAttempts, options.SinkRetryDelay);
    }

    /// <summary>Classifies an exception by <see cref="Classifier"/>, or the default classification when none is set.</summary>
    /// <param name="exception">The exception a sink threw.</param>
    /// <returns>Whether trying again can help.</returns>
    public SinkFailureKind Classify(Exception exception)
        => Classifier is { } classifier ? classifier(exception) : SinkFailureClassifier.Classify(exception);

    /// <summary>
    /// The delay after a failed attempt: <see cref="FirstDelay"/> × 2^(attempt − 1), times a random factor from 0.5 to
    /// 1.5 when <see cref="UseJitter"/> is on, at most <see cref="MaxDelay"/>.
    /// </summary>
    /// <param name="failedAttempt">The attempt that failed, from 1.</param>
    /// <returns>The delay before the next attempt.</returns>
    public TimeSpan GetDelay(int failedAttempt) => GetDelay(failedAttempt, UseJitter ? Random.Shared.NextDouble() : 0.5);

    /// <summary>The delay for a given random sample in [0, 1): the factor is 0.5 + <paramref name="sample"/>.</summary>
    internal TimeSpan GetDelay(int failedAttempt, double sample)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failedAttempt, 1);
        var factor = Math.Pow(2, Math.Min(failedAttempt - 1, 20)) * (0.5 + sample);
        var ticks = FirstDelay.Ticks * factor;
        return ticks >= MaxDelay.Ticks ? MaxDelay : TimeSpan.FromTicks((long)ticks);
    }
}
