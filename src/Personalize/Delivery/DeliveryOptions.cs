using Personalize.Customers;

namespace Personalize.Delivery;

/// <summary>
/// Options for composing and delivering messages: the brand's sender, the list identity and unsubscribe
/// addresses of marketing email, the key that signs preference-center and unsubscribe tokens, SMS limits,
/// the "why you get this" wording and the sink retry policy. Validated once (<see cref="Validate"/>);
/// every problem is reported in one message.
/// </summary>
public sealed class DeliveryOptions
{
    /// <summary>The shortest accepted <see cref="TokenSigningKey"/>, in characters.</summary>
    public const int MinTokenKeyLength = 32;

    /// <summary>The most segments <see cref="SmsMaxSegments"/> may be set to.</summary>
    public const int MaxSmsSegmentsLimit = 10;

    /// <summary>The brand's sender address for email (ASCII), for example <c>news@example.com</c>. Required.</summary>
    /// <value>The default value is <see langword="null"/> (must be set).</value>
    public string? FromAddress { get; set; }

    /// <summary>The sender's display name, for example <c>Example Garden Co.</c>; may be non-ASCII.</summary>
    /// <value>The default value is <see langword="null"/> (the address alone).</value>
    public string? FromName { get; set; }

    /// <summary>The reply-to address, when replies should go elsewhere than <see cref="FromAddress"/>.</summary>
    /// <value>The default value is <see langword="null"/> (no Reply-To header).</value>
    public string? ReplyTo { get; set; }

    /// <summary>The list identifier of marketing email (RFC 2919), a dotted name such as <c>news.example.com</c>. Required.</summary>
    /// <value>The default value is <see langword="null"/> (must be set).</value>
    public string? ListId { get; set; }

    /// <summary>The list's name shown in front of <see cref="ListId"/>, for example <c>Example News</c> (ASCII).</summary>
    /// <value>The default value is <see langword="null"/> (the identifier alone).</value>
    public string? ListName { get; set; }

    /// <summary>The https address of the one-click unsubscribe endpoint; a signed <c>token</c> query parameter is appended. Required.</summary>
    /// <value>The default value is <see langword="null"/> (must be set).</value>
    public Uri? UnsubscribeUrl { get; set; }

    /// <summary>The mailbox for mailto unsubscribes (the <c>mailto:</c> entry of <c>List-Unsubscribe</c>), for example <c>unsubscribe@example.com</c>. Required.</summary>
    /// <value>The default value is <see langword="null"/> (must be set).</value>
    public string? UnsubscribeMailbox { get; set; }

    /// <summary>The https address of the preference center; a signed <c>token</c> query parameter is appended. Required.</summary>
    /// <value>The default value is <see langword="null"/> (must be set).</value>
    public Uri? PreferenceCenterUrl { get; set; }

    /// <summary>
    /// The secret that signs tokens (HMAC-SHA256 over its UTF-8 bytes), at least <see cref="MinTokenKeyLength"/>
    /// characters. Keep it out of source control. Required.
    /// </summary>
    /// <value>The default value is <see langword="null"/> (must be set).</value>
    public string? TokenSigningKey { get; set; }

    /// <summary>
    /// Earlier signing keys that still verify tokens, for key rotation: put a new key in <see cref="TokenSigningKey"/> (it
    /// signs from then on) and keep the old one here until the tokens it signed have expired (<see cref="TokenLifetime"/>).
    /// Tokens carry the id of the key that signed them, so verification needs one signature check whatever the number of keys.
    /// </summary>
    /// <value>The default value is empty.</value>
    public IList<string> PreviousTokenSigningKeys { get; } = new List<string>();

    /// <summary>How long a signed token stays valid after the message's send instant.</summary>
    /// <value>The default value is 60 days (unsubscribe links must keep working well after the send).</value>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromDays(60);

    /// <summary>The opt-out instruction that ends every marketing and relationship SMS; it counts toward the segments.</summary>
    /// <value>The default value is <c>Reply STOP to opt out</c>.</value>
    public string SmsOptOutText { get; set; } = "Reply STOP to opt out";

    /// <summary>The most segments one SMS may take (1 to <see cref="MaxSmsSegmentsLimit"/>); a longer one is a content error, never truncated.</summary>
    /// <value>The default value is 4.</value>
    public int SmsMaxSegments { get; set; } = 4;

    /// <summary>
    /// How topics are named in "why you get this" sentences, by topic, for example
    /// <c>["gardening"] = "weekly gardening tips"</c>. Topics without an entry use their name.
    /// </summary>
    /// <value>The default value is empty.</value>
    public IDictionary<string, string> TopicDescriptions { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The "why you get this" sentence when no consent record explains the message.</summary>
    /// <value>The default value is <c>You get this because you are a customer of ours.</c></value>
    public string NeutralReason { get; set; } = "You get this because you are a customer of ours.";

    /// <summary>The "why you get this" sentence of service messages sent without an explicit opt-in.</summary>
    /// <value>The default value is <c>You get this because it is about your account or an order with us.</c></value>
    public string ServiceReason { get; set; } = "You get this because it is about your account or an order with us.";

    /// <summary>How often a sink write that fails with a transient failure is tried before the message is recorded as failed (1 to 10); a permanent failure is never retried.</summary>
    /// <value>The default value is 3.</value>
    public int SinkMaxAttempts { get; set; } = 3;

    /// <summary>The delay before the first retry of a failed sink write; it doubles per retry, is spread by a random factor from 0.5 to 1.5, and stays at most 30 seconds.</summary>
    /// <value>The default value is 200 milliseconds.</value>
    public TimeSpan SinkRetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Checks the options.</summary>
    /// <returns>Every problem found, each a sentence that says how to fix it; empty when valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!IsAsciiEmail(FromAddress))
        {
            errors.Add("FromAddress must be an ASCII email address such as news@example.com.");
        }

        if (HasLineBreak(FromName))
        {
            errors.Add("FromName must be one line (no CR or LF).");
        }

        if (ReplyTo is not null && !IsAsciiEmail(ReplyTo))
        {
            errors.Add("ReplyTo must be an ASCII email address or null.");
        }

        if (!IsDotAtom(ListId))
        {
            errors.Add("ListId must be a dotted name such as news.example.com (RFC 2919).");
        }

        if (ListName is not null && (ListName.Length == 0 || !IsPrintableAscii(ListName) || ListName.Contains('<', StringComparison.Ordinal)))
        {
            errors.Add("ListName must be printable ASCII without '<' or null.");
        }

        CheckHttps(errors, nameof(UnsubscribeUrl), UnsubscribeUrl);
        CheckHttps(errors, nameof(PreferenceCenterUrl), PreferenceCenterUrl);
        if (!IsAsciiEmail(UnsubscribeMailbox))
        {
            errors.Add("UnsubscribeMailbox must be an ASCII email address such as unsubscribe@example.com.");
        }

        if (TokenSigningKey is null || TokenSigningKey.Length < MinTokenKeyLength)
        {
            errors.Add($"TokenSigningKey must have at least {MinTokenKeyLength} characters (for example 32 random bytes as base64); it was {(TokenSigningKey is null ? "not set" : TokenSigningKey.Length + " characters")}.");
        }

        for (var i = 0; i < PreviousTokenSigningKeys.Count; i++)
        {
            var previous = PreviousTokenSigningKeys[i];
            if (previous is null || previous.Length < MinTokenKeyLength)
            {
                errors.Add($"PreviousTokenSigningKeys[{i}] must have at least {MinTokenKeyLength} characters.");
            }
            else if (previous == TokenSigningKey)
            {
                errors.Add($"PreviousTokenSigningKeys[{i}] is the current TokenSigningKey; list only the keys it replaced.");
            }
        }

        if (TokenLifetime <= TimeSpan.Zero)
        {
            errors.Add("TokenLifetime must be positive (for example 60 days).");
        }

        if (string.IsNullOrWhiteSpace(SmsOptOutText))
        {
            errors.Add("SmsOptOutText must not be blank (for example \"Reply STOP to opt out\").");
        }

        if (SmsMaxSegments is < 1 or > MaxSmsSegmentsLimit)
        {
            errors.Add($"SmsMaxSegments is {SmsMaxSegments}; use 1 to {MaxSmsSegmentsLimit}.");
        }

        foreach (var pair in TopicDescriptions)
        {
            if (string.IsNullOrWhiteSpace(pair.Value))
            {
                errors.Add($"TopicDescriptions['{pair.Key}'] is blank.");
            }
        }

        if (string.IsNullOrWhiteSpace(NeutralReason))
        {
            errors.Add("NeutralReason must not be blank.");
        }

        if (string.IsNullOrWhiteSpace(ServiceReason))
        {
            errors.Add("ServiceReason must not be blank.");
        }

        if (SinkMaxAttempts is < 1 or > 10)
        {
            errors.Add($"SinkMaxAttempts is {SinkMaxAttempts}; use 1 to 10.");
        }

        if (SinkRetryDelay < TimeSpan.Zero || SinkRetryDelay > TimeSpan.FromSeconds(30))
        {
            errors.Add("SinkRetryDelay must be between 0 and 30 seconds.");
        }

        return errors;
    }

    internal void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(DescribeErrors(errors));
        }
    }

    internal static string DescribeErrors(IReadOnlyList<string> errors)
        => "Personalize delivery options are invalid: " + string.Join(" ", errors);

    private static void CheckHttps(List<string> errors, string name, Uri? uri)
    {
        if (uri is null || !uri.IsAbsoluteUri || uri.Scheme != Uri.UriSchemeHttps || !string.IsNullOrEmpty(uri.Fragment))
        {
            errors.Add($"{name} must be an absolute https address without a fragment, such as https://example.com/{(name == nameof(UnsubscribeUrl) ? "unsubscribe" : "preferences")}.");
        }
    }

    internal static bool IsAsciiEmail(string? address)
        => ContactPointValidation.IsValidEmail(address);

    private static bool HasLineBreak(string? value) => value is not null && value.AsSpan().IndexOfAny('\r', '\n') >= 0;

    private static bool IsPrintableAscii(string value)
    {
        foreach (var c in value)
        {
            if (c is < ' ' or > '~')
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsDotAtom(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 255 || value[0] == '.' || value[^1] == '.' || !value.Contains('.', StringComparison.Ordinal))
        {
            return false;
        }

        var previousDot = false;
        foreach (var c in value)
        {
            if (c == '.')
            {
                if (previousDot)
                {
                    return false;
                }

                previousDot = true;
                continue;
            }

            previousDot = false;
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }
}
