namespace Personalize.Delivery.Email;

/// <summary>
/// An email: sender, reply-to, subject, preheader, text and HTML bodies. Extra headers live on
/// <see cref="OutgoingMessage.Headers"/>. Written as MIME by <see cref="MimeEmailWriter"/>.
/// </summary>
public sealed record EmailContent : MessageContent
{
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
    public required string TextBody { get; init; }

    /// <summary>The HTML body; when null the email is a single <c>text/plain</c> part.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? HtmlBody { get; init; }
}
