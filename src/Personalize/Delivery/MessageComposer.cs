using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using Personalize.Channels;
using Personalize.Channels.DirectMail;
using Personalize.Channels.Email;
using Personalize.Channels.InApp;
using Personalize.Channels.Phone;
using Personalize.Channels.Push;
using Personalize.Channels.Sms;
using Personalize.Customers;
using Personalize.Delivery.Security;

namespace Personalize.Delivery;

/// <summary>
/// Turns rendered content into <see cref="OutgoingMessage"/>s: fills the recipient from the customer's contact
/// points, computes the idempotency key, adds the unsubscribe headers of marketing and relationship email
/// (<c>List-Unsubscribe</c> with https and mailto, <c>List-Unsubscribe-Post</c>, <c>List-Id</c>), appends the opt-out
/// instruction to marketing and relationship SMS and enforces the SMS segment limit. Content errors throw
/// <see cref="MessageContentException"/> with a stable code (or use <see cref="TrySms"/>). Thread-safe.
/// </summary>
public sealed class MessageComposer
{
    private readonly EmailAddress _from;
    private readonly EmailAddress? _replyTo;
    private readonly string _listId;
    private readonly string _optOut;
    private readonly int _maxSegments;

    /// <summary>Creates the composer.</summary>
    /// <param name="options">The options; read once, here.</param>
    /// <param name="links">Builds the signed unsubscribe links.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public MessageComposer(DeliveryOptions options, DeliveryLinks links)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(links);
        options.ThrowIfInvalid();
        Links = links;
        _from = new EmailAddress(options.FromAddress!, options.FromName);
        _replyTo = options.ReplyTo is null ? null : new EmailAddress(options.ReplyTo);
        _listId = options.ListName is null ? "<" + options.ListId + ">" : options.ListName + " <" + options.ListId + ">";
        _optOut = options.SmsOptOutText.Trim();
        _maxSegments = options.SmsMaxSegments;
    }

    /// <summary>The link builder (preference center, unsubscribe).</summary>
    public DeliveryLinks Links { get; }

    /// <summary>The most segments an SMS may take.</summary>
    public int SmsMaxSegments => _maxSegments;

    /// <summary>The sender an email without one gets (the renderer fills it in, so composing copies no content).</summary>
    internal EmailAddress DefaultFrom => _from;

    /// <summary>The reply-to address an email without one gets, or <see langword="null"/>.</summary>
    internal EmailAddress? DefaultReplyTo => _replyTo;

    /// <summary>Whether messages of a purpose carry unsubscribe headers and opt-out text: all but service messages.</summary>
    /// <param name="purpose">The purpose.</param>
    /// <returns><see langword="true"/> for marketing and relationship.</returns>
    public static bool NeedsOptOut(ContactPurpose purpose) => purpose != ContactPurpose.Service;

    /// <summary>Composes an email to the customer's address.</summary>
    /// <param name="request">Who, which message, why and when.</param>
    /// <param name="content">The rendered email; a null sender or reply-to is filled from the options.</param>
    /// <param name="headers">Extra headers (for example <c>X-Campaign</c>); the writer's own headers are refused.</param>
    /// <returns>The message.</returns>
    /// <exception cref="MessageContentException">No email address, a line break in a header, or a non-ASCII address.</exception>
    public OutgoingMessage Email(DeliveryRequest request, EmailContent content, IReadOnlyList<KeyValuePair<string, string>>? headers = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(content);
        var address = Require(request, Channel.Email, request.Customer.ContactPoints.Email, "email address");
        if (content.From is null || (content.ReplyTo is null && _replyTo is not null))
        {
            content = content with { From = content.From ?? _from, ReplyTo = content.ReplyTo ?? _replyTo };
        }
        // Marketing and relationship email: List-Unsubscribe (built when a sink reads it), List-Unsubscribe-Post, List-Id.
        IReadOnlyList<KeyValuePair<string, string>> all = NeedsOptOut(request.Purpose)
            ? new UnsubscribeHeaders(Links, request.Customer.Id, request.Purpose, request.SendAt, _listId, headers)
            : headers is null ? [] : [.. headers];
        var message = Create(request, Channel.Email, address, content, all);
        MimeEmailWriter.Validate(message, content);
        return message;
    }

    /// <summary>Composes an SMS to the customer's phone; marketing and relationship SMS end with the opt-out instruction.</summary>
    /// <param name="request">Who, which message, why and when.</param>
    /// <param name="body">The rendered body.</param>
    /// <returns>The message.</returns>
    /// <exception cref="MessageContentException">No phone number, an empty body, or more segments than allowed (never truncated).</exception>
    public OutgoingMessage Sms(DeliveryRequest request, string body)
    {
        if (!TryComposeSms(request, body, out var message, out var code, out var error))
        {
            throw new MessageContentException(code, error);
        }

        return message;
    }

    /// <summary>Composes an SMS without throwing on content errors.</summary>
    /// <param name="request">Who, which message, why and when.</param>
    /// <param name="body">The rendered body.</param>
    /// <param name="message">The message when valid.</param>
    /// <param name="error">What is wrong and how to fix it, when invalid.</param>
    /// <returns><see langword="true"/> when the SMS is valid.</returns>
    public bool TrySms(DeliveryRequest request, string body, [NotNullWhen(true)] out OutgoingMessage? message, [NotNullWhen(false)] out string? error)
        => TryComposeSms(request, body, out message, out _, out error);

    /// <summary>The final SMS body for a purpose: the body, plus a line with the opt-out instruction for marketing and relationship unless the body already ends with it.</summary>
    /// <param name="body">The rendered body.</param>
    /// <param name="purpose">The purpose.</param>
    /// <returns>The body as it will be sent.</returns>
    public string FinalSmsBody(string body, ContactPurpose purpose)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (!NeedsOptOut(purpose))
        {
            return body;
        }

        var trimmed = body.TrimEnd();
        return EndsWithOptOut(trimmed) ? trimmed : WithOptOut(trimmed);
    }

    /// <summary>Whether a trimmed body already ends with the opt-out instruction (in any case).</summary>
    private bool EndsWithOptOut(ReadOnlySpan<char> trimmed) => trimmed.EndsWith(_optOut, StringComparison.OrdinalIgnoreCase);

    /// <summary>A trimmed body with the opt-out instruction on a line of its own after it.</summary>
    private string WithOptOut(ReadOnlySpan<char> trimmed) => string.Concat(trimmed, "\n", _optOut);

    /// <summary>
    /// <see cref="FinalSmsBody(string, ContactPurpose)"/> of a rendered body given as trimmed UTF-8, made as one string
    /// (not the body and then the body with the opt-out line). An empty body stays empty so composing reports it.
    /// </summary>
    internal string FinalSmsBody(ReadOnlySpan<byte> trimmedUtf8, ContactPurpose purpose)
    {
        if (trimmedUtf8.IsEmpty || !NeedsOptOut(purpose))
        {
            return Encoding.UTF8.GetString(trimmedUtf8);
        }

        const int StackChars = 256;
        var count = Encoding.UTF8.GetCharCount(trimmedUtf8);
        char[]? rented = null;
        var chars = count <= StackChars ? stackalloc char[StackChars] : (rented = ArrayPool<char>.Shared.Rent(count));
        try
        {
            var body = chars[..Encoding.UTF8.GetChars(trimmedUtf8, chars)];
            return EndsWithOptOut(body) ? new string(body) : WithOptOut(body);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Composes a push notification to the customer's device tokens.</summary>
    /// <param name="request">Who, which message, why and when.</param>
    /// <param name="content">The rendered push; its device tokens are replaced by the customer's.</param>
    /// <returns>The message; its recipient is the customer id.</returns>
    /// <exception cref="MessageContentException">The customer has no device token.</exception>
    public OutgoingMessage Push(DeliveryRequest request, PushContent content)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(content);
        var tokens = request.Customer.ContactPoints.DeviceTokens;
        if (tokens.Count == 0)
        {
            throw Missing(request, Channel.Push, "push device token");
        }

        return Create(request, Channel.Push, request.Customer.Id, content with { DeviceTokens = tokens }, []);
    }

    /// <summary>Composes an in-app message for the customer.</summary>
    /// <param name="request">Who, which message, why and when.</param>
    /// <param name="content">The rendered message.</param>
    /// <returns>The message; its recipient is the customer id.</returns>
    public OutgoingMessage InApp(DeliveryRequest request, InAppContent content)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(content);
        return Create(request, Channel.InApp, request.Customer.Id, content, []);
    }

    /// <summary>Composes a letter to the customer's postal address.</summary>
    /// <param name="request">Who, which message, why and when.</param>
    /// <param name="body">The rendered body.</param>
    /// <param name="recipientName">The name on the first line of the recipient block, if known.</param>
    /// <returns>The message; its recipient is the recipient block joined with line feeds.</returns>
    /// <exception cref="MessageContentException">The customer has no postal address.</exception>
    public OutgoingMessage Letter(DeliveryRequest request, string body, string? recipientName = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(body);
        var address = request.Customer.ContactPoints.PostalAddress ?? throw Missing(request, Channel.DirectMail, "postal address");
        var block = RecipientBlock(address, recipientName);
        return Create(request, Channel.DirectMail, string.Join('\n', block), new LetterContent { RecipientBlock = block, Body = body }, []);
    }

    /// <summary>Composes a call script for an agent calling the customer's phone.</summary>
    /// <param name="request">Who, which message, why and when.</param>
    /// <param name="content">The rendered script.</param>
    /// <returns>The message; its recipient is the phone number.</returns>
    /// <exception cref="MessageContentException">The customer has no phone number.</exception>
    public OutgoingMessage Call(DeliveryRequest request, CallScriptContent content)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(content);
        var phone = Require(request, Channel.Phone, request.Customer.ContactPoints.Phone, "phone number");
        return Create(request, Channel.Phone, phone, content, []);
    }

    /// <summary>Composes a plain-text message for a host channel (for example WhatsApp) addressed by its contact point.</summary>
    /// <param name="request">Who, which message, why and when.</param>
    /// <param name="channel">The host channel.</param>
    /// <param name="contactPoint">What the channel addresses (from its <see cref="ChannelDefinition"/>).</param>
    /// <param name="body">The rendered body.</param>
    /// <returns>The message with <see cref="TextContent"/>; its recipient is the contact point (the customer id for device tokens and in-product channels).</returns>
    /// <exception cref="MessageContentException">The customer has no such contact point.</exception>
    public OutgoingMessage Text(DeliveryRequest request, Channel channel, ContactPointKind contactPoint, string body)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(body);
        var points = request.Customer.ContactPoints;
        var recipient = contactPoint switch
        {
            ContactPointKind.Phone => Require(request, channel, points.Phone, "phone number"),
            ContactPointKind.MobilePhone => Require(request, channel, points.PhoneCanReceiveText ? points.Phone : null, "mobile phone number"),
            ContactPointKind.Email => Require(request, channel, points.Email, "email address"),
            ContactPointKind.PostalAddress => string.Join('\n', RecipientBlock(points.PostalAddress ?? throw Missing(request, channel, "postal address"))),
            ContactPointKind.DeviceToken => points.DeviceTokens.Count > 0 ? request.Customer.Id : throw Missing(request, channel, "device token"),
            _ => request.Customer.Id,
        };
        return Create(request, channel, recipient, new TextContent { Body = body }, []);
    }

    /// <summary>The recipient block of a letter: the name (when given), the street lines, "City Region PostalCode" and the country code.</summary>
    /// <param name="address">The postal address.</param>
    /// <param name="recipientName">The name, if known.</param>
    /// <returns>The lines.</returns>
    public static IReadOnlyList<string> RecipientBlock(PostalAddress address, string? recipientName = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        var lines = new List<string>(address.Lines.Count + 3);
        if (!string.IsNullOrWhiteSpace(recipientName))
        {
            lines.Add(recipientName.Trim());
        }

        foreach (var line in address.Lines)
        {
            if (!string.IsNullOrWhiteSpace(line))
            {
                lines.Add(line.Trim());
            }
        }

        var locality = address.City.Trim();
        if (!string.IsNullOrWhiteSpace(address.Region))
        {
            locality += " " + address.Region.Trim();
        }

        if (!string.IsNullOrWhiteSpace(address.PostalCode))
        {
            locality += " " + address.PostalCode.Trim();
        }

        lines.Add(locality);
        lines.Add(address.Country.Trim().ToUpperInvariant());
        return lines;
    }

    private bool TryComposeSms(DeliveryRequest request, string body, [NotNullWhen(true)] out OutgoingMessage? message, out string code, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(body);
        message = null;
        var phone = request.Customer.ContactPoints.Phone;
        if (string.IsNullOrEmpty(phone))
        {
            code = MessageContentCodes.ContactPointMissing;
            error = MissingText(request, Channel.Sms, "phone number");
            return false;
        }

        if (string.IsNullOrWhiteSpace(body))
        {
            code = MessageContentCodes.Invalid;
            error = $"SMS '{request.MessageId}' for customer '{request.Customer.Id}' rendered an empty body; an SMS needs text.";
            return false;
        }

        var final = FinalSmsBody(body, request.Purpose);
        var analysis = SmsAnalyzer.Analyze(final);
        if (analysis.Segments > _maxSegments)
        {
            code = MessageContentCodes.SmsTooLong;
            var why = analysis.Encoding == SmsEncoding.Ucs2
                ? $" It is UCS-2 because of '{CharacterAt(final, analysis.FirstNonGsmIndex)}' at position {analysis.FirstNonGsmIndex} (UCS-2 segments hold 67 units, GSM-7 153)."
                : string.Empty;
            error = $"SMS '{request.MessageId}' for customer '{request.Customer.Id}' needs {analysis.Segments} segments ({analysis.Units} {(analysis.Encoding == SmsEncoding.Gsm7 ? "GSM-7 septets" : "UCS-2 units")}{(NeedsOptOut(request.Purpose) ? ", opt-out text included" : string.Empty)}); at most {_maxSegments} are allowed.{why} Shorten the text or raise DeliveryOptions.SmsMaxSegments; it is never truncated.";
            return false;
        }

        code = string.Empty;
        error = null;
        message = Create(request, Channel.Sms, phone, new SmsContent { Body = final, Analysis = analysis }, []);
        return true;
    }

    private static string CharacterAt(string text, int index)
        => char.IsHighSurrogate(text[index]) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1])
            ? text.Substring(index, 2)
            : text.Substring(index, 1);

    private static OutgoingMessage Create(DeliveryRequest request, Channel channel, string recipient, MessageContent content, IReadOnlyList<KeyValuePair<string, string>> headers)
        => new()
        {
            Channel = channel,
            Recipient = recipient,
            Purpose = request.Purpose,
            MessageId = request.MessageId,
            CustomerId = request.Customer.Id,
            Trigger = request.Trigger,
            SendAt = request.SendAt,
            IdempotencyKey = IdempotencyKey.Create(request.Trigger, request.Customer.Id, request.MessageId, request.SendAt, request.KeyFormat, request.KeyTag),
            Content = content,
            Headers = headers,
        };

    private static string Require(DeliveryRequest request, Channel channel, string? value, string what)
        => string.IsNullOrEmpty(value) ? throw Missing(request, channel, what) : value;

    private static MessageContentException Missing(DeliveryRequest request, Channel channel, string what)
        => new(MessageContentCodes.ContactPointMissing, MissingText(request, channel, what));

    private static string MissingText(DeliveryRequest request, Channel channel, string what)
        => $"Customer '{request.Customer.Id}' has no {what}, so message '{request.MessageId}' cannot go out on {channel}; check eligibility before composing.";
}
