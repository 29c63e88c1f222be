using Personalize.Delivery;

namespace Personalize.Http;

/// <summary>Where and how <see cref="WebhookSink"/> posts messages: the provider, its endpoint, headers, time-outs, retries, the circuit breaker and the send rates.</summary>
public sealed class WebhookSinkOptions
{
    /// <summary>The provider's name, for example <c>acme-sms</c>: it names the rate limits and appears in every failure.</summary>
    /// <value>The default value is an empty string (required).</value>
    public string Provider { get; set; } = string.Empty;

    /// <summary>The absolute URL messages are posted to (https, or http on a loopback address).</summary>
    /// <value>The default value is <see langword="null"/> (required unless <see cref="CreateRequest"/> sets each request's URL).</value>
    public Uri? Endpoint { get; set; }

    /// <summary>Headers added to every request, for example <c>Authorization</c>.</summary>
    /// <value>The default value is empty.</value>
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Builds the request for a message, to adapt the sink to a provider's API. The default posts
    /// <see cref="OutgoingMessageJson"/> as <c>application/json</c> to <see cref="Endpoint"/>. The sink adds
    /// <see cref="Headers"/> and an <c>Idempotency-Key</c> header (the message's key) to whatever it returns.
    /// </summary>
    /// <value>The default value is <see langword="null"/> (the generic JSON webhook).</value>
    public Func<OutgoingMessage, HttpRequestMessage>? CreateRequest { get; set; }

    /// <summary>How long one attempt may take.</summary>
    /// <value>The default value is 10 seconds.</value>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one message may take, its retries and waits included (the rate limiter's wait is not counted).</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries of a transient failure (408, 429, 5xx, a connection error, a time-out) inside one write, with jittered exponential delays from <see cref="RetryDelay"/>, or the provider's <c>Retry-After</c>.</summary>
    /// <value>The default value is 2.</value>
    public int MaxRetries { get; set; } = 2;

    /// <summary>The median delay before the first retry.</summary>
    /// <value>The default value is 200 milliseconds.</value>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The share of failed attempts within <see cref="BreakerSamplingDuration"/> that opens the circuit.</summary>
    /// <value>The default value is 0.5.</value>
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>The attempts needed within <see cref="BreakerSamplingDuration"/> before the ratio counts.</summary>
    /// <value>The default value is 10.</value>
    public int BreakerMinimumThroughput { get; set; } = 10;

    /// <summary>The window the failure ratio is measured over.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the circuit stays open (every write fails at once as transient <c>http.circuit_open</c>) before one trial request.</summary>
    /// <value>The default value is 15 seconds.</value>
    public TimeSpan BreakerDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The send rate per channel name (for example <c>sms</c>); channels not listed use <see cref="DefaultRateLimit"/>.</summary>
    /// <value>The default value is empty.</value>
    public IDictionary<string, WebhookRateLimit> RateLimits { get; } = new Dictionary<string, WebhookRateLimit>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The send rate of channels not in <see cref="RateLimits"/>; <see langword="null"/> leaves them unlimited.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public WebhookRateLimit? DefaultRateLimit { get; set; }

    /// <summary>The one message of every problem <see cref="Validate"/> found.</summary>
    internal string DescribeErrors(IReadOnlyList<string> errors)
        => $"The webhook sink options{(string.IsNullOrWhiteSpace(Provider) ? string.Empty : " of " + Provider)} are invalid: " + string.Join(" ", errors);

    /// <summary>Checks the options (<c>AddPersonalizeWebhook</c> does at start).</summary>
    /// <returns>Every problem, each a sentence; empty when valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Provider))
        {
            errors.Add("Provider is required (a name such as acme-sms).");
        }

        if (Endpoint is null && CreateRequest is null)
        {
            errors.Add("Endpoint is required (the URL messages are posted to), unless CreateRequest builds each request.");
        }
        else if (Endpoint is { } endpoint && (!endpoint.IsAbsoluteUri || !(endpoint.Scheme == Uri.UriSchemeHttps || (endpoint.Scheme == Uri.UriSchemeHttp && endpoint.IsLoopback))))
        {
            errors.Add($"Endpoint {endpoint} must be an absolute https URL (http only on a loopback address).");
        }

        Positive(errors, nameof(AttemptTimeout), AttemptTimeout);
        Positive(errors, nameof(TotalTimeout), TotalTimeout);
        if (TotalTimeout < AttemptTimeout)
        {
            errors.Add($"TotalTimeout ({TotalTimeout}) must be at least AttemptTimeout ({AttemptTimeout}).");
        }

        if (MaxRetries is < 0 or > 10)
        {
            errors.Add($"MaxRetries must be from 0 to 10; it is {MaxRetries}.");
        }

        Positive(errors, nameof(RetryDelay), RetryDelay);
        if (BreakerFailureRatio is <= 0 or > 1)
        {
            errors.Add($"BreakerFailureRatio must be more than 0 and at most 1; it is {BreakerFailureRatio}.");
        }

        if (BreakerMinimumThroughput < 2)
        {
            errors.Add($"BreakerMinimumThroughput must be at least 2; it is {BreakerMinimumThroughput}.");
        }

        if (BreakerSamplingDuration < TimeSpan.FromMilliseconds(500))
        {
            errors.Add($"BreakerSamplingDuration must be at least 500 ms; it is {BreakerSamplingDuration}.");
        }

        if (BreakerDuration < TimeSpan.FromMilliseconds(500))
        {
            errors.Add($"BreakerDuration must be at least 500 ms; it is {BreakerDuration}.");
        }

        foreach (var (channel, limit) in RateLimits)
        {
            CheckLimit(errors, $"RateLimits[{channel}]", limit);
        }

        if (DefaultRateLimit is { } defaultLimit)
        {
            CheckLimit(errors, nameof(DefaultRateLimit), defaultLimit);
        }

        return errors;
    }

    private static void Positive(List<string> errors, string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{name} must be more than zero; it is {value}.");
        }
    }

    private static void CheckLimit(List<string> errors, string name, WebhookRateLimit? limit)
    {
        if (limit is null)
        {
            errors.Add($"{name} is null.");
            return;
        }

        if (limit.Permits < 1)
        {
            errors.Add($"{name}.Permits must be at least 1; it is {limit.Permits}.");
        }

        if (limit.Period <= TimeSpan.Zero)
        {
            errors.Add($"{name}.Period must be more than zero; it is {limit.Period}.");
        }

        if (limit.QueueLimit < 0)
        {
            errors.Add($"{name}.QueueLimit cannot be negative; it is {limit.QueueLimit}.");
        }
    }
}
