using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Http.Resilience;
using Personalize.Delivery;
using Personalize.Delivery.Sinks;
using Polly;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace Personalize.Http;

/// <summary>
/// Posts each message to a provider's HTTP endpoint — by default <see cref="OutgoingMessageJson"/> as
/// <c>application/json</c>, or the request <see cref="WebhookSinkOptions.CreateRequest"/> builds — through a resilience
/// pipeline made of Microsoft.Extensions.Http.Resilience's strategy options: a total time-out, jittered exponential
/// retries of transient failures only (408, 429, 5xx, connection errors, attempt time-outs; the provider's
/// <c>Retry-After</c> honoured), a send-rate limit per channel (each attempt takes a permit), a circuit breaker and an
/// attempt time-out, all timed by the injected <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// <para>
/// What is left after the pipeline becomes a <see cref="SinkException"/>: another 4xx is permanent
/// (<c>http.400</c>, …); a transient status after the last retry (<c>http.503</c>, …), <c>http.timeout</c>,
/// <c>http.connection</c>, <c>http.circuit_open</c> and <c>http.rate_limited</c> are transient, so
/// <see cref="SinkWriter"/> may try again later (set <c>DeliveryOptions.SinkMaxAttempts</c> to 1 to keep only the sink's
/// own retries). Every request carries an <c>Idempotency-Key</c> header with the message's key, so a provider that
/// honours it never sends a retried message twice.
/// </para>
/// <para>One sink is one provider: its rate limits are shared by every write through it, whatever the caller's parallelism.</para>
/// </remarks>
public sealed class WebhookSink : IMessageSink, IDisposable
{
    private static readonly ResiliencePropertyKey<string> ChannelKey = new("personalize.channel");
    private readonly WebhookSinkOptions _options;
    private readonly HttpClient _client;
    private readonly bool _ownsClient;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly ConcurrentDictionary<string, byte> _sent = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RateLimiter?> _limiters = new(StringComparer.OrdinalIgnoreCase);
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the sink with its own <see cref="HttpClient"/> (connections recycled every 2 minutes).</summary>
    /// <param name="options">The provider, endpoint and policies.</param>
    /// <param name="timeProvider">The clock of the time-outs, retry delays, circuit breaker and rate limits.</param>
    /// <exception cref="ArgumentException">The options are invalid (every problem is listed).</exception>
    public WebhookSink(WebhookSinkOptions options, TimeProvider timeProvider)
        : this(options, timeProvider, new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) }, ownsHandler: true)
    {
    }

    /// <summary>Creates the sink over a given handler (for example one from <c>IHttpClientFactory</c>, or a test's).</summary>
    /// <param name="options">The provider, endpoint and policies.</param>
    /// <param name="timeProvider">The clock of the time-outs, retry delays, circuit breaker and rate limits.</param>
    /// <param name="handler">The handler requests go through.</param>
    /// <param name="ownsHandler">Whether disposing the sink disposes the handler.</param>
    /// <exception cref="ArgumentException">The options are invalid (every problem is listed).</exception>
    public WebhookSink(WebhookSinkOptions options, TimeProvider timeProvider, HttpMessageHandler handler, bool ownsHandler)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(handler);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(options.DescribeErrors(errors), nameof(options));
        }

        _options = options;
        _timeProvider = timeProvider;
        _client = new HttpClient(handler, ownsHandler) { Timeout = Timeout.InfiniteTimeSpan };
        _ownsClient = true;
        _pipeline = BuildPipeline(options, timeProvider);
    }

    /// <summary>The options.</summary>
    public WebhookSinkOptions Options => _options;

    /// <summary>
    /// Gets whether a send run may reuse the arrays of the email bodies it renders for this sink: <see langword="true"/>
    /// when the sink makes the request body itself (JSON bytes made and sent before the write completes);
    /// <see langword="false"/> with <see cref="WebhookSinkOptions.CreateRequest"/>, whose request is the host's to build.
    /// </summary>
    public bool ReleasesMessageAfterWrite => _options.CreateRequest is null;

    /// <inheritdoc/>
    public ValueTask<bool> ContainsAsync(string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(idempotencyKey);
        return ValueTask.FromResult(_sent.ContainsKey(idempotencyKey));
    }

    /// <inheritdoc/>
    /// <exception cref="SinkException">The provider refused the message, or it could not be delivered (see the remarks of <see cref="WebhookSink"/>).</exception>
    public async ValueTask WriteAsync(OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_sent.ContainsKey(message.IdempotencyKey))
        {
            return;
        }

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(ChannelKey, message.Channel.Name ?? string.Empty);
        Outcome<HttpResponseMessage> outcome;
        try
        {
            outcome = await _pipeline.ExecuteOutcomeAsync(
                static async (context, state) =>
                {
                    try
                    {
                        using var request = state.Sink.CreateRequest(state.Message);
                        var response = await state.Sink._client.SendAsync(request, HttpCompletionOption.ResponseContentRead, context.CancellationToken).ConfigureAwait(false);
                        return Outcome.FromResult(response);
                    }
                    catch (Exception exception) when (exception is not OperationCanceledException || !state.Cancellation.IsCancellationRequested)
                    {
                        return Outcome.FromException<HttpResponseMessage>(exception);
                    }
                },
                context,
                (Sink: this, Message: message, Cancellation: cancellationToken)).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        if (outcome.Exception is { } exception)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw Failure(exception, message);
        }

        using var response = outcome.Result!;
        if (response.IsSuccessStatusCode)
        {
            _sent.TryAdd(message.IdempotencyKey, 0);
            return;
        }

        throw await Refused(response, message, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Disposes the client and the rate limiters.</summary>
    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }

        foreach (var limiter in _limiters.Values)
        {
            limiter?.Dispose();
        }
    }

    private HttpRequestMessage CreateRequest(OutgoingMessage message)
    {
        HttpRequestMessage request;
        if (_options.CreateRequest is { } create)
        {
            request = create(message) ?? throw new SinkException(SinkFailureKind.Permanent, "http.no_request", $"CreateRequest of {_options.Provider} returned no request for {message.IdempotencyKey}.");
            request.RequestUri ??= _options.Endpoint;
        }
        else
        {
            request = new HttpRequestMessage(HttpMethod.Post, _options.Endpoint)
            {
                Content = new ByteArrayContent(OutgoingMessageJson.ToUtf8Bytes(message)),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }

        foreach (var (name, value) in _options.Headers)
        {
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
        }

        request.Headers.Remove("Idempotency-Key");
        request.Headers.TryAddWithoutValidation("Idempotency-Key", message.IdempotencyKey);
        return request;
    }

    private ResiliencePipeline<HttpResponseMessage> BuildPipeline(WebhookSinkOptions options, TimeProvider timeProvider)
    {
        // Outer to inner: the total time-out, the retries, then per attempt a send-rate permit, the circuit breaker and the attempt's time-out.
        return new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider, Name = "personalize-webhook-" + options.Provider }
            .AddTimeout(new HttpTimeoutStrategyOptions { Timeout = options.TotalTimeout, Name = "total" })
            .AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(1, options.MaxRetries),
                ShouldHandle = options.MaxRetries == 0 ? static _ => PredicateResult.False() : new HttpRetryStrategyOptions().ShouldHandle,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldRetryAfterHeader = true,
                MaxDelay = TimeSpan.FromSeconds(30),
            })
            .AddRateLimiter(new RateLimiterStrategyOptions
            {
                RateLimiter = args => Limiter(args.Context.Properties.GetValue(ChannelKey, string.Empty)) is { } limiter
                    ? limiter.AcquireAsync(1, args.Context.CancellationToken)
                    : new ValueTask<RateLimitLease>(Unlimited.Lease),
            })
            .AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                FailureRatio = options.BreakerFailureRatio,
                MinimumThroughput = options.BreakerMinimumThroughput,
                SamplingDuration = options.BreakerSamplingDuration,
                BreakDuration = options.BreakerDuration,
            })
            .AddTimeout(new HttpTimeoutStrategyOptions { Timeout = options.AttemptTimeout, Name = "attempt" })
            .Build();
    }

    private RateLimiter? Limiter(string channel)
        => _limiters.GetOrAdd(channel, static (name, sink) =>
        {
            var limit = sink._options.RateLimits.TryGetValue(name, out var own) ? own : sink._options.DefaultRateLimit;
            return limit is null ? null : new TokenBucket(limit, sink._timeProvider);
        }, this);

    private SinkException Failure(Exception exception, OutgoingMessage message)
    {
        var provider = _options.Provider;
        var key = message.IdempotencyKey;
        return exception switch
        {
            SinkException sink => sink,
            BrokenCircuitException open => new SinkException(SinkFailureKind.Transient, "http.circuit_open", $"{provider}: the circuit is open after repeated failures; {key} was not sent.", null, open) { RetryAfter = _options.BreakerDuration },
            RateLimiterRejectedException limited => new SinkException(SinkFailureKind.Transient, "http.rate_limited", $"{provider}: more than {QueueLimit(message)} messages waited for the {message.Channel} send rate; {key} was not sent.", null, limited) { RetryAfter = limited.RetryAfter },
            TimeoutRejectedException timeout => new SinkException(SinkFailureKind.Transient, "http.timeout", $"{provider} did not answer {key} within {timeout.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.", null, timeout),
            HttpRequestException request => new SinkException(SinkFailureKind.Transient, "http.connection", $"{provider}: the request for {key} failed: {request.Message}", null, request),
            ArgumentException or InvalidOperationException or NotSupportedException or FormatException => new SinkException(SinkFailureKind.Permanent, "http.invalid_request", $"{provider}: the request for {key} cannot be sent: {exception.Message}", null, exception),
            _ => new SinkException(SinkFailureKind.Transient, "http.error", $"{provider}: sending {key} failed: {exception.GetType().Name}: {exception.Message}", null, exception),
        };
    }

    private int QueueLimit(OutgoingMessage message)
        => (_options.RateLimits.TryGetValue(message.Channel.Name ?? string.Empty, out var own) ? own : _options.DefaultRateLimit)?.QueueLimit ?? 0;

    private async Task<SinkException> Refused(HttpResponseMessage response, OutgoingMessage message, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var transient = status is 408 or 429 || status >= 500;
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (body.Length > 500)
        {
            body = body[..500] + "…";
        }

        var answer = $"{status} {response.ReasonPhrase}{(body.Length > 0 ? ": " + body : string.Empty)}";
        return new SinkException(
            transient ? SinkFailureKind.Transient : SinkFailureKind.Permanent,
            "http." + status.ToString(CultureInfo.InvariantCulture),
            $"{_options.Provider} answered {status} {response.ReasonPhrase} for {message.IdempotencyKey}{(transient ? " after the sink's retries" : string.Empty)}.",
            answer)
        {
            RetryAfter = RetryAfter(response),
        };
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is not { } header)
        {
            return null;
        }

        if (header.Delta is { } delta)
        {
            return delta;
        }

        return header.Date is { } date && date > _timeProvider.GetUtcNow() ? date - _timeProvider.GetUtcNow() : null;
    }

    private static class Unlimited
    {
        public static readonly RateLimitLease Lease = new NoLimit().AttemptAcquire();

        private sealed class NoLimit : RateLimiter
        {
            public override TimeSpan? IdleDuration => null;

            public override RateLimiterStatistics? GetStatistics() => null;

            protected override RateLimitLease AttemptAcquireCore(int permitCount) => new Always();

            protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) => new(new Always());
        }

        private sealed class Always : RateLimitLease
        {
            public override bool IsAcquired => true;

            public override IEnumerable<string> MetadataNames => [];

            public override bool TryGetMetadata(string metadataName, out object? metadata)
            {
                metadata = null;
                return false;
            }
        }
    }
}
