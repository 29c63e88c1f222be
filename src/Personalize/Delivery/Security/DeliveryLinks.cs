using Personalize.Channels;

namespace Personalize.Delivery.Security;

/// <summary>
/// Builds the links a message carries: the preference center and one-click unsubscribe (https, with a signed
/// <c>token</c> query parameter) and the mailto unsubscribe address. Thread-safe.
/// </summary>
public sealed class DeliveryLinks
{
    private readonly string _preferenceCenter;
    private readonly string _unsubscribe;
    private readonly string _mailbox;
    private readonly string _answer;

    /// <summary>Creates the builder.</summary>
    /// <param name="options">The options; the addresses are read once, here.</param>
    /// <param name="tokens">The token service.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public DeliveryLinks(DeliveryOptions options, SignedTokenService tokens)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(tokens);
        options.ThrowIfInvalid();
        Tokens = tokens;
        _preferenceCenter = WithQuery(options.PreferenceCenterUrl!);
        _unsubscribe = WithQuery(options.UnsubscribeUrl!);
        _mailbox = options.UnsubscribeMailbox!;
        _answer = WithQuery(AnswerAddress(options.PreferenceCenterUrl!));
    }

    /// <summary>The token service that signs the links.</summary>
    public SignedTokenService Tokens { get; }

    /// <summary>The preference-center link, valid for the token lifetime from <paramref name="issuedAt"/>.</summary>
    /// <param name="customerId">The customer id.</param>
    /// <param name="issuedAt">The instant the token lifetime counts from (usually the send instant).</param>
    /// <returns>For example <c>https://example.com/preferences?token=…</c>.</returns>
    public string PreferenceCenter(string customerId, DateTimeOffset issuedAt)
        => _preferenceCenter + Tokens.Create(customerId, TokenScopes.Preferences, issuedAt);

    /// <summary>The one-click unsubscribe link for a purpose on a channel (RFC 8058).</summary>
    /// <param name="customerId">The customer id.</param>
    /// <param name="channel">The channel.</param>
    /// <param name="purpose">The purpose.</param>
    /// <param name="issuedAt">The instant the token lifetime counts from.</param>
    /// <returns>For example <c>https://example.com/unsubscribe?token=…</c>.</returns>
    public string Unsubscribe(string customerId, Channel channel, ContactPurpose purpose, DateTimeOffset issuedAt)
        => _unsubscribe + Tokens.Create(customerId, TokenScopes.Unsubscribe(channel, purpose), issuedAt);

    /// <summary>
    /// The unsubscribe link for one topic (every channel): the same address as <see cref="Unsubscribe"/> with a token of
    /// scope <c>unsubscribe-topic:TOPIC</c>, which the preference center (<c>Personalize.AspNetCore</c>) turns into a
    /// withdrawal of the topic (one-click by POST, a confirmation page by GET).
    /// </summary>
    /// <param name="customerId">The customer id.</param>
    /// <param name="topic">The topic.</param>
    /// <param name="issuedAt">The instant the token lifetime counts from.</param>
    /// <returns>For example <c>https://example.com/unsubscribe?token=…</c>.</returns>
    /// <exception cref="ArgumentException">The text is not a topic name.</exception>
    public string TopicUnsubscribe(string customerId, string topic, DateTimeOffset issuedAt)
        => _unsubscribe + Tokens.Create(customerId, TokenScopes.UnsubscribeTopic(topic), issuedAt);

    /// <summary>
    /// The one-tap answer link of a progressive-profiling question: the preference center's address with <c>/answer</c>
    /// appended to its path (<c>https://example.com/preferences/answer?token=…</c>, served by <c>Personalize.AspNetCore</c>),
    /// with a token of scope <c>answer:QUESTION:VALUE</c>.
    /// </summary>
    /// <param name="customerId">The customer id.</param>
    /// <param name="questionId">The question's id.</param>
    /// <param name="value">The answer's value, or <see langword="null"/> for a link to the page where the customer types the answer.</param>
    /// <param name="issuedAt">The instant the token lifetime counts from.</param>
    /// <returns>The link.</returns>
    public string Answer(string customerId, string questionId, string? value, DateTimeOffset issuedAt)
        => _answer + Tokens.Create(customerId, TokenScopes.Answer(questionId, value), issuedAt);

    /// <summary>The address of the answer endpoint: the preference center's path plus <c>/answer</c>, its query kept.</summary>
    /// <param name="preferenceCenter">The preference center's address.</param>
    /// <returns>The answer endpoint's address.</returns>
    public static Uri AnswerAddress(Uri preferenceCenter)
    {
        ArgumentNullException.ThrowIfNull(preferenceCenter);
        var builder = new UriBuilder(preferenceCenter);
        builder.Path = builder.Path.TrimEnd('/') + "/answer";
        return builder.Uri;
    }

    /// <summary>The mailto unsubscribe address with the signed token in the subject.</summary>
    /// <param name="customerId">The customer id.</param>
    /// <param name="channel">The channel.</param>
    /// <param name="purpose">The purpose.</param>
    /// <param name="issuedAt">The instant the token lifetime counts from.</param>
    /// <returns>For example <c>mailto:unsubscribe@example.com?subject=unsubscribe%20…</c>.</returns>
    public string UnsubscribeMailto(string customerId, Channel channel, ContactPurpose purpose, DateTimeOffset issuedAt)
        => "mailto:" + _mailbox + "?subject=unsubscribe%20" + Tokens.Create(customerId, TokenScopes.Unsubscribe(channel, purpose), issuedAt);

    /// <summary>
    /// The value of the <c>List-Unsubscribe</c> header, <c>&lt;https…&gt;, &lt;mailto…&gt;</c>, built with one signature
    /// (both addresses carry the same token) and one string.
    /// </summary>
    internal string ListUnsubscribeHeader(string customerId, Channel channel, ContactPurpose purpose, DateTimeOffset issuedAt)
    {
        var token = Tokens.Create(customerId, TokenScopes.Unsubscribe(channel, purpose), issuedAt);
        return string.Concat(["<", _unsubscribe, token, ">, <mailto:", _mailbox, "?subject=unsubscribe%20", token, ">"]);
    }

    private static string WithQuery(Uri uri)
    {
        var text = uri.AbsoluteUri;
        return text + (uri.Query.Length > 1 ? "&token=" : text.EndsWith('?') ? "token=" : "?token=");
    }
}
