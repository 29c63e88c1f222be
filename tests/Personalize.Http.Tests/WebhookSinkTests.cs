using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Personalize.Channels;
using Personalize.Channels.Email;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Delivery;
using Personalize.Delivery.Security;
using Personalize.Delivery.Sinks;

namespace Personalize.Http.Tests;

public sealed class WebhookSinkTests
{
    private static readonly Uri Endpoint = new("https://provider.example/messages");

    [Fact]
    public async Task Posts_the_message_json_with_its_idempotency_key_and_the_configured_headers()
    {
        var provider = new FakeProvider((_, _) => new HttpResponseMessage(HttpStatusCode.Accepted));
        using var sink = Sink(provider, o => o.Headers["Authorization"] = "Bearer t0ken");
        var sms = Sms(1);

        await sink.WriteAsync(sms);

        var request = Assert.Single(provider.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(Endpoint, request.Uri);
        Assert.Equal("application/json; charset=utf-8", request.ContentType);
        Assert.Equal(OutgoingMessageJson.ToUtf8Bytes(sms), request.Body);
        Assert.Equal(sms.IdempotencyKey, request.Headers["Idempotency-Key"]);
        Assert.Equal("Bearer t0ken", request.Headers["Authorization"]);
        Assert.True(await sink.ContainsAsync(sms.IdempotencyKey));
    }

    [Fact]
    public async Task A_transient_status_is_retried_inside_the_sink_until_it_succeeds()
    {
        var provider = new FakeProvider((_, n) => n <= 2 ? new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) : new HttpResponseMessage(HttpStatusCode.OK));
        using var sink = Sink(provider);

        await sink.WriteAsync(Sms(1));

        Assert.Equal(3, provider.Requests.Count);
        Assert.Single(provider.Requests.Select(r => r.Headers["Idempotency-Key"]).Distinct());
    }

    [Fact]
    public async Task A_4xx_is_permanent_and_never_retried_by_the_sink_or_the_writer()
    {
        var provider = new FakeProvider((_, _) => new HttpResponseMessage(HttpStatusCode.UnprocessableEntity) { Content = new StringContent("{\"error\":\"invalid number\"}") });
        using var sink = Sink(provider);

        var report = await new SinkWriter(sink, new SinkRetryPolicy(5, TimeSpan.FromMilliseconds(1)), TimeProvider.System).WriteAsync([Sms(1)]);

        var failure = Assert.Single(report.Failures);
        Assert.Equal(("http.422", SinkFailureKind.Permanent, 1), (failure.Code, failure.Kind, failure.Attempts));
        Assert.Equal("422 Unprocessable Entity: {\"error\":\"invalid number\"}", failure.ProviderResponse);
        Assert.Single(provider.Requests);
    }

    [Fact]
    public async Task A_transient_status_after_the_last_retry_is_a_transient_failure_with_the_providers_retry_after()
    {
        var provider = new FakeProvider((_, _) =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromMilliseconds(5));
            return response;
        });
        using var sink = Sink(provider, o => o.MaxRetries = 2);

        var error = await Assert.ThrowsAsync<SinkException>(() => sink.WriteAsync(Sms(1)).AsTask());

        Assert.Equal(("http.429", SinkFailureKind.Transient), (error.Code, error.Kind));
        Assert.Equal(TimeSpan.FromMilliseconds(5), error.RetryAfter);
        Assert.Equal(3, provider.Requests.Count);
    }

    [Fact]
    public async Task A_connection_error_is_retried_then_transient()
    {
        var provider = new FakeProvider((_, _) => throw new HttpRequestException("Connection refused"));
        using var sink = Sink(provider, o => o.MaxRetries = 1);

        var error = await Assert.ThrowsAsync<SinkException>(() => sink.WriteAsync(Sms(1)).AsTask());

        Assert.Equal(("http.connection", SinkFailureKind.Transient), (error.Code, error.Kind));
        Assert.Equal(2, provider.Requests.Count);
    }

    [Fact]
    public async Task An_attempt_that_takes_too_long_times_out_as_transient()
    {
        var provider = new FakeProvider(async (_, _, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return new HttpResponseMessage(HttpStatusCode.OK);
        });
        using var sink = Sink(provider, o => (o.MaxRetries, o.AttemptTimeout) = (0, TimeSpan.FromMilliseconds(100)));

        var error = await Assert.ThrowsAsync<SinkException>(() => sink.WriteAsync(Sms(1)).AsTask());

        Assert.Equal(("http.timeout", SinkFailureKind.Transient), (error.Code, error.Kind));
    }

    [Fact]
    public async Task Repeated_failures_open_the_circuit_and_later_writes_fail_fast_without_a_request()
    {
        var provider = new FakeProvider((_, _) => new HttpResponseMessage(HttpStatusCode.InternalServerError));
        using var sink = Sink(provider, o => (o.MaxRetries, o.BreakerMinimumThroughput, o.BreakerFailureRatio) = (0, 2, 0.5));

        await Assert.ThrowsAsync<SinkException>(() => sink.WriteAsync(Sms(1)).AsTask());
        await Assert.ThrowsAsync<SinkException>(() => sink.WriteAsync(Sms(2)).AsTask());
        var open = await Assert.ThrowsAsync<SinkException>(() => sink.WriteAsync(Sms(3)).AsTask());

        Assert.Equal(("http.circuit_open", SinkFailureKind.Transient), (open.Code, open.Kind));
        Assert.Equal(TimeSpan.FromSeconds(15), open.RetryAfter);
        Assert.Equal(2, provider.Requests.Count);
    }

    [Fact]
    public async Task The_send_rate_is_limited_per_channel_and_waiting_messages_go_out_as_the_bucket_refills()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 15, 9, 0, 0, TimeSpan.Zero));
        var provider = new FakeProvider((_, _) => new HttpResponseMessage(HttpStatusCode.OK));
        using var sink = Sink(provider, o => o.RateLimits["sms"] = new WebhookRateLimit { Permits = 2, Period = TimeSpan.FromSeconds(1) }, time);

        var sms = Enumerable.Range(1, 5).Select(n => sink.WriteAsync(Sms(n)).AsTask()).ToList();
        var emails = Enumerable.Range(11, 3).Select(n => sink.WriteAsync(Email(n)).AsTask()).ToList();
        await Task.WhenAll(emails);
        await Eventually(() => provider.Count("sms") == 2);

        Assert.Equal(3, provider.Count("email"));
        Assert.Equal(3, sms.Count(t => !t.IsCompleted));
        time.Advance(TimeSpan.FromSeconds(1));
        await Eventually(() => provider.Count("sms") == 4);
        Assert.Equal(1, sms.Count(t => !t.IsCompleted));
        time.Advance(TimeSpan.FromSeconds(1));
        await Task.WhenAll(sms);
        Assert.Equal(5, provider.Count("sms"));
    }

    [Fact]
    public async Task More_messages_than_the_queue_holds_fail_as_transient_rate_limited()
    {
        var time = new FakeTimeProvider();
        var provider = new FakeProvider((_, _) => new HttpResponseMessage(HttpStatusCode.OK));
        using var sink = Sink(provider, o => o.DefaultRateLimit = new WebhookRateLimit { Permits = 1, Period = TimeSpan.FromSeconds(1), QueueLimit = 1 }, time);

        await sink.WriteAsync(Sms(1));
        var waiting = sink.WriteAsync(Sms(2)).AsTask();
        var error = await Assert.ThrowsAsync<SinkException>(() => sink.WriteAsync(Sms(3)).AsTask());

        Assert.Equal(("http.rate_limited", SinkFailureKind.Transient), (error.Code, error.Kind));
        time.Advance(TimeSpan.FromSeconds(1));
        await waiting;
        Assert.Equal(2, provider.Requests.Count);
    }

    [Fact]
    public async Task Posts_over_real_sockets_to_a_loopback_server()
    {
        using var listener = new HttpListener();
        var port = FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/hook/");
        listener.Start();
        var received = Task.Run(async () =>
        {
            var context = await listener.GetContextAsync();
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var key = context.Request.Headers["Idempotency-Key"];
            context.Response.StatusCode = 202;
            context.Response.Close();
            return (body.ToArray(), key);
        });
        using var sink = new WebhookSink(new WebhookSinkOptions { Provider = "loopback", Endpoint = new Uri($"http://127.0.0.1:{port}/hook/") }, TimeProvider.System);
        var email = Email(1);

        await sink.WriteAsync(email);

        var (bytes, key) = await received;
        Assert.Equal(OutgoingMessageJson.ToUtf8Bytes(email), bytes);
        Assert.Equal(email.IdempotencyKey, key);
    }

    [Fact]
    public void Invalid_options_are_all_named_at_once()
    {
        var options = new WebhookSinkOptions { Provider = "acme", Endpoint = new Uri("http://provider.example/"), MaxRetries = 11, BreakerFailureRatio = 0 };
        options.RateLimits["sms"] = new WebhookRateLimit { Permits = 0 };

        var error = Assert.Throws<ArgumentException>(() => new WebhookSink(options, TimeProvider.System));

        Assert.StartsWith("The webhook sink options of acme are invalid: Endpoint http://provider.example/ must be an absolute https URL (http only on a loopback address).", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxRetries must be from 0 to 10; it is 11.", error.Message, StringComparison.Ordinal);
        Assert.Contains("BreakerFailureRatio must be more than 0 and at most 1; it is 0.", error.Message, StringComparison.Ordinal);
        Assert.Contains("RateLimits[sms].Permits must be at least 1; it is 0.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_registration_checks_the_options_at_start_with_the_same_named_problems_and_exposes_them_as_ioptions()
    {
        var services = new ServiceCollection()
            .AddPersonalizeWebhook(o => (o.Provider, o.Endpoint, o.MaxRetries) = ("acme", new Uri("http://provider.example/"), 11));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.StartsWith("The webhook sink options of acme are invalid: Endpoint http://provider.example/ must be an absolute https URL", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxRetries must be from 0 to 10; it is 11.", error.Message, StringComparison.Ordinal);
    }

    private static WebhookSink Sink(FakeProvider provider, Action<WebhookSinkOptions>? change = null, TimeProvider? time = null)
    {
        var options = new WebhookSinkOptions { Provider = "acme", Endpoint = Endpoint, RetryDelay = TimeSpan.FromMilliseconds(1) };
        change?.Invoke(options);
        return new WebhookSink(options, time ?? TimeProvider.System, provider, ownsHandler: true);
    }

    private static async Task Eventually(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static OutgoingMessage Sms(int n) => Composer().Sms(Request(n), $"Your order {n} has shipped.");

    private static OutgoingMessage Email(int n) => Composer().Email(Request(n), new EmailContent { Subject = $"Order {n}", TextBody = "Shipped.", HtmlBody = "<p>Shipped.</p>" });

    private static DeliveryRequest Request(int n) => new(
        new CustomerProfile
        {
            Id = "c-" + n,
            TimeZone = TimeZoneInfo.FindSystemTimeZoneById("Pacific/Auckland"),
            ContactPoints = new ContactPoints { Email = $"c{n}@example.com", Phone = "+64211234567" },
            Consents = ConsentLedger.Empty,
        },
        "order-shipped",
        "event:order_shipped",
        ContactPurpose.Service,
        new DateTimeOffset(2026, 3, 15, 9, 30, 0, TimeSpan.Zero));

    private static MessageComposer Composer()
    {
        var options = new DeliveryOptions
        {
            FromAddress = "news@example.com",
            ListId = "news.example.com",
            UnsubscribeUrl = new Uri("https://example.com/unsubscribe"),
            UnsubscribeMailbox = "unsubscribe@example.com",
            PreferenceCenterUrl = new Uri("https://example.com/preferences"),
            TokenSigningKey = "test-signing-key-0123456789abcdef-XYZ",
        };
        return new MessageComposer(options, new DeliveryLinks(options, new SignedTokenService(options, TimeProvider.System)));
    }

    /// <summary>A provider behind a fake handler: answers each request by a script and records what it received.</summary>
    private sealed class FakeProvider : HttpMessageHandler
    {
        private readonly Func<RecordedRequest, int, CancellationToken, Task<HttpResponseMessage>> _answer;
        private int _count;

        public FakeProvider(Func<RecordedRequest, int, HttpResponseMessage> answer)
            => _answer = (r, n, _) => Task.FromResult(answer(r, n));

        public FakeProvider(Func<RecordedRequest, int, CancellationToken, Task<HttpResponseMessage>> answer) => _answer = answer;

        public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

        public int Count(string channel) => Requests.Count(r => System.Text.Encoding.UTF8.GetString(r.Body).Contains($"\"channel\":\"{channel}\"", StringComparison.Ordinal));

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
            var recorded = new RecordedRequest(
                request.Method,
                request.RequestUri!,
                request.Content?.Headers.ContentType?.ToString(),
                body,
                request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase));
            Requests.Enqueue(recorded);
            var response = await _answer(recorded, Interlocked.Increment(ref _count), cancellationToken);
            response.RequestMessage = request;
            return response;
        }
    }

    private sealed record RecordedRequest(HttpMethod Method, Uri Uri, string? ContentType, byte[] Body, Dictionary<string, string> Headers);
}
