namespace Personalize.AspNetCore;

/// <summary>
/// The named errors of the inbound delivery webhook, answered as <c>{"error": code, "message": …}</c> with the status
/// code given here (and in the <c>X-Personalize-Error</c> header). A provider retries on 429 and 5xx; the 4xx below
/// other than 429 mean the request itself must change.
/// </summary>
public static class DeliveryWebhookCodes
{
    /// <summary>401: no <see cref="DeliveryWebhookSignature.HeaderName"/> header, or one without <c>t=</c>, <c>k=</c> and <c>v1=</c>.</summary>
    public const string SignatureMissing = "webhook.signature_missing";

    /// <summary>401: the signature does not match the body under the named key (or the key id is not configured).</summary>
    public const string SignatureInvalid = "webhook.signature_invalid";

    /// <summary>401: the signed timestamp is further from the server's clock than <see cref="DeliveryWebhookOptions.TimestampTolerance"/> (a replayed or delayed request).</summary>
    public const string TimestampOutOfRange = "webhook.timestamp_out_of_range";

    /// <summary>413: the body is larger than <see cref="DeliveryWebhookOptions.MaxBodyBytes"/>.</summary>
    public const string BodyTooLarge = "webhook.body_too_large";

    /// <summary>413: the body carries more events than <see cref="DeliveryWebhookOptions.MaxEventsPerRequest"/>; split it.</summary>
    public const string BatchTooLarge = "webhook.batch_too_large";

    /// <summary>415: the body is not <c>application/json</c>.</summary>
    public const string UnsupportedMediaType = "webhook.unsupported_media_type";

    /// <summary>400: the body is not JSON of the documented shape (<c>{"events": [ … ]}</c>); the message names the path.</summary>
    public const string InvalidJson = "webhook.invalid_json";

    /// <summary>400: an event lacks a field or has one of the wrong kind, or has a type other than delivered, deferred, bounced, complained or unsubscribed; the message names each (nothing of the request is applied).</summary>
    public const string InvalidEvent = "webhook.invalid_event";

    /// <summary>429: too many requests from one client; the response carries <c>Retry-After</c>.</summary>
    public const string RateLimited = "webhook.rate_limited";

    /// <summary>In the 200 answer's <c>rejected</c> list: the event names a message key the delivery log does not hold (and no customer id).</summary>
    public const string UnknownMessage = "webhook.unknown_message";
}
