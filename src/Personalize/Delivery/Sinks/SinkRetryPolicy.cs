namespace Personalize.Delivery.Sinks;

/// <summary>How <see cref="SinkWriter"/> retries a failed sink write: attempts and an exponential backoff.</summary>
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

    /// <summary>The policy of <see cref="DeliveryOptions.SinkMaxAttempts"/> and <see cref="DeliveryOptions.SinkRetryDelay"/>.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The policy.</returns>
    public static SinkRetryPolicy FromOptions(DeliveryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new SinkRetryPolicy(options.SinkMaxAttempts, options.SinkRetryDelay);
    }

    /// <summary>The delay after a failed attempt: <see cref="FirstDelay"/> × 2^(attempt − 1), at most <see cref="MaxDelay"/>.</summary>
    /// <param name="failedAttempt">The attempt that failed, from 1.</param>
    /// <returns>The delay before the next attempt.</returns>
    public TimeSpan GetDelay(int failedAttempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failedAttempt, 1);
        var factor = Math.Pow(2, Math.Min(failedAttempt - 1, 20));
        var ticks = FirstDelay.Ticks * factor;
        return ticks >= MaxDelay.Ticks ? MaxDelay : TimeSpan.FromTicks((long)ticks);
    }
}
