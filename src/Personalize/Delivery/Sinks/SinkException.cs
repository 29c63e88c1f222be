namespace Personalize.Delivery.Sinks;

/// <summary>
/// A sink's classified failure for one message: whether trying again can help (<see cref="Kind"/>), a stable
/// <see cref="Code"/> and what the provider answered (<see cref="ProviderResponse"/>). Sinks that talk to a provider
/// (SMTP, HTTP) throw it so that <see cref="SinkWriter"/> retries transient failures only and records permanent ones at once.
/// </summary>
public sealed class SinkException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="kind">Whether trying again can help.</param>
    /// <param name="code">A stable code, for example <c>smtp.550</c>, <c>http.503</c> or <c>http.timeout</c>.</param>
    /// <param name="message">What went wrong, in a sentence.</param>
    /// <param name="providerResponse">What the provider answered, as it answered it (an SMTP reply, an HTTP status line and the start of its body); <see langword="null"/> when it did not answer.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public SinkException(SinkFailureKind kind, string code, string message, string? providerResponse = null, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        Kind = kind;
        Code = code;
        ProviderResponse = providerResponse;
    }

    /// <summary>Whether trying again can help.</summary>
    public SinkFailureKind Kind { get; }

    /// <summary>A stable code, for example <c>smtp.550</c>, <c>http.429</c>, <c>http.timeout</c> or <c>http.circuit_open</c>.</summary>
    public string Code { get; }

    /// <summary>What the provider answered, when it answered.</summary>
    public string? ProviderResponse { get; }

    /// <summary>How long the provider asked to wait before the next attempt (an HTTP <c>Retry-After</c>), when it said.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public TimeSpan? RetryAfter { get; init; }
}
