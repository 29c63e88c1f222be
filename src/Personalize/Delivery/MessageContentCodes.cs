namespace Personalize.Delivery;

/// <summary>The stable codes of <see cref="MessageContentException.Code"/>.</summary>
public static class MessageContentCodes
{
    /// <summary>Some content is invalid (the message says what).</summary>
    public const string Invalid = "content.invalid";

    /// <summary>A header name or value has a line break (CR or LF) or another forbidden character: header injection.</summary>
    public const string HeaderInjection = "content.header_injection";

    /// <summary>An SMS needs more segments than <see cref="DeliveryOptions.SmsMaxSegments"/> allows.</summary>
    public const string SmsTooLong = "content.sms_too_long";

    /// <summary>The customer has no contact point for the channel.</summary>
    public const string ContactPointMissing = "content.contact_point_missing";
}
