namespace Personalize.Http;

/// <summary>
/// A provider's send rate on one channel: at most <see cref="Permits"/> requests per <see cref="Period"/>, as a token
/// bucket that refills every period (so a burst of <see cref="Permits"/> is allowed after a quiet spell). Requests over
/// the rate wait in order, up to <see cref="QueueLimit"/> of them; beyond that they fail as transient <c>http.rate_limited</c>.
/// </summary>
public sealed class WebhookRateLimit
{
    /// <summary>Requests allowed per <see cref="Period"/>.</summary>
    /// <value>The default value is 10.</value>
    public int Permits { get; set; } = 10;

    /// <summary>The period the permits refill in.</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan Period { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many requests may wait for a permit.</summary>
    /// <value>The default value is 10,000.</value>
    public int QueueLimit { get; set; } = 10_000;
}
