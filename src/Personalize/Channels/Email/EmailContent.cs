using System.Runtime.InteropServices;
using System.Text;
using Personalize.Delivery;
using Personalize.Sending;

namespace Personalize.Channels.Email;

/// <summary>
/// An email: sender, reply-to, subject, preheader, text and HTML bodies. Extra headers live on
/// <see cref="OutgoingMessage.Headers"/>. Written as MIME by <see cref="MimeEmailWriter"/>.
/// </summary>
public sealed record EmailContent : MessageContent
{
    private string? _html;
    private ReadOnlyMemory<byte>? _htmlUtf8;
    private string? _text;
    private ReadOnlyMemory<byte>? _textUtf8;
    private BodyBufferPool? _pool;
    private bool _released;

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
            if (_text is null && TextBodyUtf8 is { } utf8)
            {
                _text = Encoding.UTF8.GetString(utf8.Span);
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
    /// initializer; the bytes are owned by this content and never changed (an array of the run's <see cref="BodyPool"/>
    /// until <see cref="ReleaseBodies"/>).
    /// </summary>
    internal ReadOnlyMemory<byte>? TextBodyUtf8
    {
        get
        {
            ThrowIfReleased();
            return _textUtf8;
        }

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
            if (_html is null && HtmlBodyUtf8 is { } utf8)
            {
                _html = Encoding.UTF8.GetString(utf8.Span);
            }

            return _html;
        }

        init
        {
            _html = value;
            _htmlUtf8 = null;
        }
    }

    /// <summary>
    /// The HTML body as UTF-8, set by the renderer instead of <see cref="HtmlBody"/> (the bytes are owned by this content
    /// and never changed; an array of the run's <see cref="BodyPool"/> until <see cref="ReleaseBodies"/>).
    /// </summary>
    internal ReadOnlyMemory<byte>? HtmlBodyUtf8
    {
        get
        {
            ThrowIfReleased();
            return _htmlUtf8;
        }

        init
        {
            _htmlUtf8 = value;
            _html = null;
        }
    }

    /// <summary>
    /// The send run's pool the UTF-8 bodies were rendered into, or <see langword="null"/> (arrays of their own): set by
    /// the renderer only for a run whose sink declares <see cref="Delivery.Sinks.IMessageSink.ReleasesMessageAfterWrite"/>.
    /// </summary>
    internal BodyBufferPool? BodyPool
    {
        get => _pool;
        init => _pool = value;
    }

    /// <summary>
    /// Gives the pooled body arrays back to <see cref="BodyPool"/> (the runner calls it once the sink's write completed);
    /// the bodies cannot be read afterwards (<see cref="InvalidOperationException"/>: a sink that declared it keeps
    /// nothing kept the message). Does nothing for bodies that are not pooled or were given back already.
    /// </summary>
    internal void ReleaseBodies()
    {
        if (_pool is not { } pool || _released)
        {
            return;
        }

        _released = true;
        Give(pool, _htmlUtf8);
        Give(pool, _textUtf8);
        _htmlUtf8 = null;
        _textUtf8 = null;

        static void Give(BodyBufferPool pool, ReadOnlyMemory<byte>? bytes)
        {
            if (bytes is { } memory && MemoryMarshal.TryGetArray(memory, out var segment) && segment.Array is { } array)
            {
                pool.Return(array);
            }
        }
    }

    private void ThrowIfReleased()
    {
        if (_released)
        {
            throw new InvalidOperationException(
                "The email's bodies were rendered into a send run's reusable buffers and given back after the sink's WriteAsync completed, so they cannot be read now. "
                + "A sink that keeps or queues messages after WriteAsync completes must not declare IMessageSink.ReleasesMessageAfterWrite.");
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
