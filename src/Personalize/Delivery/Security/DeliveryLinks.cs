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
    private readonly byte[] _preferenceCenterUtf8;
    private readonly byte[] _unsubscribeUtf8;

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
        _preferenceCenterUtf8 = System.Text.Encoding.UTF8.GetBytes(_preferenceCenter);
        _unsubscribeUtf8 = System.Text.Encoding.UTF8.GetBytes(_unsubscribe);
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

    /// <summary><see cref="PreferenceCenter"/>'s link written as UTF-8 (see <see cref="WriteLink"/>).</summary>
    internal int WritePreferenceCenter(string customerId, DateTimeOffset issuedAt, Span<byte> destination)
        => WriteLink(_preferenceCenterUtf8, customerId, TokenScopes.Preferences, issuedAt, destination);

    /// <summary><see cref="Unsubscribe"/>'s link written as UTF-8 (see <see cref="WriteLink"/>).</summary>
    internal int WriteUnsubscribe(string customerId, Channel channel, ContactPurpose purpose, DateTimeOffset issuedAt, Span<byte> destination)
        => WriteLink(_unsubscribeUtf8, customerId, TokenScopes.Unsubscribe(channel, purpose), issuedAt, destination);

    /// <summary><see cref="TopicUnsubscribe"/>'s link written as UTF-8 (see <see cref="WriteLink"/>).</summary>
    internal int WriteTopicUnsubscribe(string customerId, string topic, DateTimeOffset issuedAt, Span<byte> destination)
        => WriteLink(_unsubscribeUtf8, customerId, TokenScopes.UnsubscribeTopic(topic), issuedAt, destination);

    /// <summary>
    /// Writes an address and its signed token (the characters of the string the link methods return) as UTF-8, signed
    /// on the stack. Returns the length in bytes (written only when it fits), or -1 when the token cannot be made
    /// (the string method throws the error).
    /// </summary>
    private int WriteLink(byte[] address, string customerId, string scope, DateTimeOffset issuedAt, Span<byte> destination)
    {
        var token = address.Length <= destination.Length
            ? Tokens.WriteUtf8(customerId, scope, issuedAt, destination[address.Length..])
            : Tokens.WriteUtf8(customerId, scope, issuedAt, []);
        if (token < 0)
        {
            return -1;
        }

        if (address.Length + token <= destination.Length)
        {
            address.CopyTo(destination);
        }

        return address.Length + token;
    }

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
        // The token signed on the stack (or taken from the thread's last ones: the render wrote it into the email's
        // bodies), the value made as one string.
        var scope = TokenScopes.Unsubscribe(channel, purpose);
        Span<byte> token = stackalloc byte[512];
        var length = Tokens.WriteUtf8(customerId, scope, issuedAt, token);
        const string Between = ">, <mailto:";
        const string Subject = "?subject=unsubscribe%20";
        var total = 1 + _unsubscribe.Length + length + Between.Length + _mailbox.Length + Subject.Length + length + 1;
        if (length < 0 || length > token.Length || total > 2048)
        {
            // A long customer id (or an invalid one: Create throws the error).
            var text = Tokens.Create(customerId, scope, issuedAt);
            return string.Concat(["<", _unsubscribe, text, Between, _mailbox, Subject, text, ">"]);
        }

        Span<char> chars = stackalloc char[total];
        var at = 0;
        chars[at++] = '<';
        Append(chars, ref at, _unsubscribe);
        at += System.Text.Encoding.ASCII.GetChars(token[..length], chars[at..]);
        Append(chars, ref at, Between);
        Append(chars, ref at, _mailbox);
        Append(chars, ref at, Subject);
        at += System.Text.Encoding.ASCII.GetChars(token[..length], chars[at..]);
        chars[at++] = '>';
        return new string(chars[..at]);
    }

    private static void Append(Span<char> chars, ref int at, string text)
    {
        text.CopyTo(chars[at..]);
        at += text.Length;
    }

    private static string WithQuery(Uri uri)
    {
        var text = uri.AbsoluteUri;
        return text + (uri.Query.Length > 1 ? "&token=" : text.EndsWith('?') ? "token=" : "?token=");
    }
}
