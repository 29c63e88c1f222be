using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Personalize.Events;
using Personalize.Storage;

namespace Personalize.AspNetCore;

/// <summary>
/// The handler behind <c>app.MapPersonalizeDeliveryWebhooks()</c>: checks the rate limit, the body size, the signature
/// and its timestamp, reads the events, and ingests them (replays are harmless: an event id already applied is left out).
/// </summary>
internal sealed class DeliveryWebhookEndpoint : IDisposable
{
    private static readonly Dictionary<string, string> Types = new(StringComparer.Ordinal)
    {
        ["delivered"] = DeliveryEvents.Delivered,
        ["deferred"] = DeliveryEvents.Deferred,
        ["bounced"] = DeliveryEvents.Bounced,
        ["complained"] = DeliveryEvents.Complained,
        ["unsubscribed"] = DeliveryEvents.Unsubscribed,
        [DeliveryEvents.Delivered] = DeliveryEvents.Delivered,
        [DeliveryEvents.Deferred] = DeliveryEvents.Deferred,
        [DeliveryEvents.Bounced] = DeliveryEvents.Bounced,
        [DeliveryEvents.Complained] = DeliveryEvents.Complained,
        [DeliveryEvents.Unsubscribed] = DeliveryEvents.Unsubscribed,
    };

    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false };

    private readonly DeliveryWebhookOptions _options;
    private readonly IPersonalizeStore _store;
    private readonly EventIngestor _ingestor;
    private readonly TimeProvider _time;
    private readonly PartitionedRateLimiter<HttpContext> _limiter;

    public DeliveryWebhookEndpoint(DeliveryWebhookOptions options, IPersonalizeStore store, EventIngestor ingestor, TimeProvider time)
    {
        _options = options;
        _store = store;
        _ingestor = ingestor;
        _time = time;
        _limiter = PartitionedRateLimiter.Create<HttpContext, string>(context => RateLimitPartition.GetFixedWindowLimiter(
            context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = options.RequestsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
    }

    public void Dispose() => _limiter.Dispose();

    public async Task Post(HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        using var lease = _limiter.AttemptAcquire(context);
        if (!lease.IsAcquired)
        {
            context.Response.Headers.RetryAfter = "60";
            await Fail(context, StatusCodes.Status429TooManyRequests, DeliveryWebhookCodes.RateLimited, $"More than {_options.RequestsPerMinute} requests in a minute from this client; retry after 60 seconds.").ConfigureAwait(false);
            return;
        }

        if (context.Request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
        {
            await Fail(context, StatusCodes.Status415UnsupportedMediaType, DeliveryWebhookCodes.UnsupportedMediaType, "Send the events as Content-Type: application/json.").ConfigureAwait(false);
            return;
        }

        var body = await ReadBody(context).ConfigureAwait(false);
        if (body is null)
        {
            await Fail(context, StatusCodes.Status413PayloadTooLarge, DeliveryWebhookCodes.BodyTooLarge, $"The body is larger than {_options.MaxBodyBytes} bytes; send fewer events per request.").ConfigureAwait(false);
            return;
        }

        if (Verify(context.Request.Headers[DeliveryWebhookSignature.HeaderName].ToString(), body) is { } problem)
        {
            await Fail(context, StatusCodes.Status401Unauthorized, problem.Code, problem.Message).ConfigureAwait(false);
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException ex)
        {
            await Fail(context, StatusCodes.Status400BadRequest, DeliveryWebhookCodes.InvalidJson, $"The body is not valid JSON (line {(ex.LineNumber ?? 0) + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}).").ConfigureAwait(false);
            return;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("events", out var array) || array.ValueKind != JsonValueKind.Array)
            {
                await Fail(context, StatusCodes.Status400BadRequest, DeliveryWebhookCodes.InvalidJson, "The body must be a JSON object with an array 'events': {\"events\": [{\"id\": …, \"type\": \"bounced\", …}]}.").ConfigureAwait(false);
                return;
            }

            if (array.GetArrayLength() > _options.MaxEventsPerRequest)
            {
                await Fail(context, StatusCodes.Status413PayloadTooLarge, DeliveryWebhookCodes.BatchTooLarge, $"'events' has {array.GetArrayLength()} events; at most {_options.MaxEventsPerRequest} are accepted per request.").ConfigureAwait(false);
                return;
            }

            var (events, problems, rejected) = await ReadEvents(array, context.RequestAborted).ConfigureAwait(false);
            if (problems.Count > 0)
            {
                await Fail(context, StatusCodes.Status400BadRequest, DeliveryWebhookCodes.InvalidEvent, string.Join(" ", problems.Take(20)) + " Nothing of the request was applied.").ConfigureAwait(false);
                return;
            }

            var summary = await _ingestor.IngestAsync(ToAsync(events), _store, _time.GetUtcNow(), context.RequestAborted).ConfigureAwait(false);
            foreach (var rejection in summary.Rejected)
            {
                rejected.Add((rejection.EventId, rejection.Code, rejection.Message));
            }

            await Answer(context, array.GetArrayLength(), summary, rejected).ConfigureAwait(false);
        }
    }

    /// <summary>Reads the body, at most <see cref="DeliveryWebhookOptions.MaxBodyBytes"/>; <see langword="null"/> when it is larger.</summary>
    private async Task<byte[]?> ReadBody(HttpContext context)
    {
        var max = _options.MaxBodyBytes;
        if (context.Request.ContentLength > max)
        {
            return null;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = max + 1L;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > max)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }

        return buffer.ToArray();
    }

    /// <summary>Checks the signature header against the body; <see langword="null"/> when it is good.</summary>
    private (string Code, string Message)? Verify(string header, byte[] body)
    {
        if (!DeliveryWebhookSignature.TryParse(header, out var seconds, out var keyId, out var mac))
        {
            return (DeliveryWebhookCodes.SignatureMissing, $"The request needs the header {DeliveryWebhookSignature.HeaderName}: t=UNIX_SECONDS,k=KEY_ID,v1=HMAC_SHA256_HEX (see docs/delivery.md).");
        }

        var now = _time.GetUtcNow().ToUnixTimeSeconds();
        if (Math.Abs(now - seconds) > (long)_options.TimestampTolerance.TotalSeconds)
        {
            return (DeliveryWebhookCodes.TimestampOutOfRange, $"The signed timestamp is more than {_options.TimestampTolerance.TotalSeconds.ToString(CultureInfo.InvariantCulture)} seconds from the server's clock; sign each request when it is sent.");
        }

        // An unknown key id and a wrong MAC answer alike: the caller learns nothing about the configured keys.
        if (!_options.SigningKeys.TryGetValue(keyId, out var key)
            || !CryptographicOperations.FixedTimeEquals(DeliveryWebhookSignature.Compute(key, seconds, body), mac))
        {
            return (DeliveryWebhookCodes.SignatureInvalid, "The signature does not match the body.");
        }

        return null;
    }

    /// <summary>
    /// Turns the request's events into <see cref="CustomerEvent"/>s: <c>id</c>, <c>type</c>, <c>occurredAt</c>, the
    /// customer by <c>customerId</c> or by <c>messageKey</c> (the delivery log's idempotency key), and every other field
    /// into the event's data.
    /// </summary>
    private async Task<(List<CustomerEvent> Events, List<string> Problems, List<(string? Id, string Code, string Message)> Rejected)> ReadEvents(JsonElement array, CancellationToken token)
    {
        var events = new List<CustomerEvent>();
        var problems = new List<string>();
        var rejected = new List<(string? Id, string Code, string Message)>();
        var index = -1;
        foreach (var item in array.EnumerateArray())
        {
            index++;
            var path = string.Create(CultureInfo.InvariantCulture, $"events[{index}]");
            if (item.ValueKind != JsonValueKind.Object)
            {
                problems.Add(path + " is not a JSON object.");
                continue;
            }

            var line = new JsonObject();
            var data = new JsonObject();
            string? messageKey = null;
            var badType = false;
            foreach (var property in item.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "id" or "customerId" or "occurredAt":
                        line[property.Name] = JsonNode.Parse(property.Value.GetRawText());
                        break;
                    case "type":
                        var name = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : string.Empty;
                        if (!Types.TryGetValue(name, out var type))
                        {
                            problems.Add($"{path}.type is {property.Value.GetRawText()}; use delivered, deferred, bounced, complained or unsubscribed.");
                            badType = true;
                            break;
                        }

                        line["type"] = type;
                        break;
                    case "messageKey":
                        messageKey = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
                        break;
                    default:
                        data[property.Name] = JsonNode.Parse(property.Value.GetRawText());
                        break;
                }
            }

            if (badType)
            {
                continue;
            }

            if (!line.ContainsKey("customerId") && messageKey is not null)
            {
                var delivery = await _store.FindDeliveryAsync(messageKey, token).ConfigureAwait(false);
                if (delivery?.CustomerId is null)
                {
                    rejected.Add((item.TryGetProperty("id", out var id) ? id.ToString() : null, DeliveryWebhookCodes.UnknownMessage, $"{path}: the delivery log holds no message with key '{messageKey}' (or its customer was erased)."));
                    continue;
                }

                line["customerId"] = delivery.CustomerId;
                if (!data.ContainsKey("channel") && delivery.Channel.Name is { } channel)
                {
                    data["channel"] = channel;
                }
            }

            line["data"] = data;
            var parsed = EventJsonLines.Parse(index + 1, line.ToJsonString());
            if (parsed.Event is null)
            {
                problems.Add($"{path}: {parsed.Error}".Replace("'customerId' is missing", "'customerId' (or 'messageKey') is missing", StringComparison.Ordinal));
                continue;
            }

            events.Add(parsed.Event);
        }

        return (events, problems, rejected);
    }

    private static async Task Answer(HttpContext context, int received, EventIngestionSummary summary, List<(string? Id, string Code, string Message)> rejected)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteNumber("received", received);
            json.WriteNumber("applied", summary.Applied);
            json.WriteNumber("duplicates", summary.Duplicates);
            json.WriteStartArray("rejected");
            foreach (var (id, code, message) in rejected)
            {
                json.WriteStartObject();
                json.WriteString("id", id);
                json.WriteString("code", code);
                json.WriteString("message", message);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.Body.WriteAsync(stream.ToArray(), context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task Fail(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.Headers["X-Personalize-Error"] = code;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.Body.WriteAsync(PreferenceJson.Error(code, message), context.RequestAborted).ConfigureAwait(false);
    }

    private static async IAsyncEnumerable<CustomerEvent> ToAsync(List<CustomerEvent> events)
    {
        foreach (var e in events)
        {
            yield return e;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }
}
