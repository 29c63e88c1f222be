using System.Text;
using Personalize.Delivery;

namespace Personalize.Channels.Email;

/// <summary>
/// An email: sender, reply-to, subject, preheader, text and HTML bodies. Extra headers live on
/// <see cref="OutgoingMessage.Headers"/>. Written as MIME by <see cref="MimeEmailWriter"/>.
/// </summary>
public sealed record EmailContent : MessageContent
{
    private string? _html;
    private byte[]? _htmlUtf8;
    private string? _text;
    private byte[]? _textUtf8;

    /// <summary>The sender; <see cref="MessageComposer.Email"/> fills it from <see cref="DeliveryOptions.FromAddress"/> when null.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public EmailAddress? From { get; init; }

    /// <summary>Where replies go; <see cref="MessageComposer.Email"/> fills it from <see cref="DeliveryOptions.ReplyTo"/> when null.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public EmailAddress? ReplyTo { get; init; }

    /// <summary>The subject (one line; non-ASCII is fine).</summary>
    public required string Subject { get; init; }

    /// <summary>The preview text shown after the subject in inboxes; written as a hidden block at the top of the HTML body.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Preheader { get; init; }

    /// <summary>The plain-text body.</summary>
    /// <remarks>Rendered emails carry the text as UTF-8 bytes, like <see cref="HtmlBody"/>; the string is decoded on first read and kept.</remarks>
    public required string TextBody
    {
        get
        {
            if (_text is null && _textUtf8 is not null)
            {
                _text = Encoding.UTF8.GetString(_textUtf8);
            }

            return _text!;
        }

        init
        {
            _text = value;
            _textUtf8 = null;
        }
    }

    /// <summary>
    /// The text body as UTF-8, set by the renderer after <see cref="TextBody"/> (which <c>required</c> asks for) in the same
    /// initializer; the array is owned by this content and never changed.
    /// </summary>
    internal byte[]? TextBodyUtf8
    {
        get => _textUtf8;
        init
        {
            _textUtf8 = value;
            _text = null;
        }
    }

    /// <summary>The HTML body; when null the email is a single <c>text/plain</c> part.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    /// <remarks>
    /// Rendered emails carry the HTML as the UTF-8 bytes the template wrote (half the memory of a string, and no
    /// conversion when nobody reads it, as in a run into a null or byte-oriented sink); the string is decoded on first
    /// read and kept.
    /// </remarks>
    public string? HtmlBody
    {
        get
        {
            if (_html is null && _htmlUtf8 is not null)
            {
                _html = Encoding.UTF8.GetString(_htmlUtf8);
            }

            return _html;
        }

        init
        {
            _html = value;
            _htmlUtf8 = null;
        }
    }

    /// <summary>The HTML body as UTF-8, set by the renderer instead of <see cref="HtmlBody"/> (the array is owned by this content and never changed).</summary>
    internal byte[]? HtmlBodyUtf8
    {
        get => _htmlUtf8;
        init
        {
            _htmlUtf8 = value;
            _html = null;
        }
    }

    /// <summary>Whether two emails have the same parts (the HTML body compared as text, however it is held).</summary>
    /// <param name="other">The other email.</param>
    /// <returns><see langword="true"/> when every part is equal.</returns>
    public bool Equals(EmailContent? other)
        => ReferenceEquals(this, other)
            || (other is not null && base.Equals(other)
                && Equals(From, other.From) && Equals(ReplyTo, other.ReplyTo)
                && string.Equals(Subject, other.Subject, StringComparison.Ordinal)
                && string.Equals(Preheader, other.Preheader, StringComparison.Ordinal)
                && string.Equals(TextBody, other.TextBody, StringComparison.Ordinal)
                && string.Equals(HtmlBody, other.HtmlBody, StringComparison.Ordinal));

    /// <inheritdoc />
    public override int GetHashCode()
        => HashCode.Combine(base.GetHashCode(), From, ReplyTo, Subject, Preheader, TextBody, HtmlBody);
}
