using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text;
using Personalize.Delivery;

namespace Personalize.Channels.Email;

/// <summary>
/// Writes an email <see cref="OutgoingMessage"/> as an RFC 5322 / MIME message in UTF-8: From, Reply-To, To, Subject,
/// Date (the send instant), Message-ID (the idempotency key at the sender's domain), MIME-Version, the message's extra
/// headers (for example <c>List-Unsubscribe</c>), then <c>multipart/alternative</c> with a text and an HTML part (or a
/// single text part). Non-ASCII header text becomes RFC 2047 encoded-words; header lines are folded to 78 characters;
/// bodies are quoted-printable (or base64 when mostly non-ASCII) with lines of at most 76 characters; line breaks
/// are CRLF. Line breaks in header values are rejected (<see cref="MessageContentCodes.HeaderInjection"/>).
/// </summary>
public static class MimeEmailWriter
{
    /// <summary>Writes the message.</summary>
    /// <param name="message">An email message (its <see cref="OutgoingMessage.Content"/> is <see cref="EmailContent"/>).</param>
    /// <param name="output">Where the UTF-8 bytes go.</param>
    /// <exception cref="MessageContentException">A header is malformed (line breaks, reserved names) or an address is not ASCII.</exception>
    /// <exception cref="ArgumentException">The message is not an email.</exception>
    public static void Write(OutgoingMessage message, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(output);
        if (message.Content is not EmailContent email)
        {
            throw new ArgumentException($"Message {message.IdempotencyKey} is not an email (its content is {message.Content.GetType().Name}).", nameof(message));
        }

        if (email.From is null)
        {
            throw new MessageContentException(MessageContentCodes.Invalid, $"Email {message.IdempotencyKey} has no From address; compose it with MessageComposer.Email or set EmailContent.From.");
        }

        Validate(message, email);
        var headers = new HeaderBuilder();
        headers.Mailbox("From", email.From);
        if (email.ReplyTo is not null)
        {
            headers.Mailbox("Reply-To", email.ReplyTo);
        }

        headers.Mailbox("To", new EmailAddress(message.Recipient));
        headers.Unstructured("Subject", email.Subject);
        headers.Raw("Date", FormatDate(message.SendAt));
        var at = email.From.Address.LastIndexOf('@');
        headers.Raw("Message-ID", "<" + message.IdempotencyKey + "@" + email.From.Address[(at + 1)..] + ">");
        headers.Raw("MIME-Version", "1.0");
        foreach (var header in message.Headers)
        {
            headers.Unstructured(header.Key, header.Value);
        }

        var text = email.TextBodyUtf8 is { } textUtf8
            ? BodyEncoder.RentCrlf(textUtf8.Span, ReadOnlySpan<byte>.Empty, ReadOnlySpan<byte>.Empty, out var textLength)
            : BodyEncoder.RentCrlfUtf8(email.TextBody, out textLength);
        try
        {
            var textBytes = text.AsSpan(0, textLength);
            // The UTF-8 body first: reading HtmlBody of a rendered email would decode (and keep) a string copy of it.
            var htmlUtf8 = email.HtmlBodyUtf8;
            var htmlText = htmlUtf8 is null ? email.HtmlBody : null;
            if (htmlUtf8 is null && htmlText is null)
            {
                WritePartHeaders(headers, "text/plain", textBytes);
                WriteAscii(output, headers.ToString());
                BodyEncoder.Write(output, "\r\n"u8);
                WriteBody(textBytes, output);
                return;
            }

            var boundary = "=_pz_" + message.IdempotencyKey;
            headers.Raw("Content-Type", "multipart/alternative; boundary=\"" + boundary + "\"");
            WriteAscii(output, headers.ToString());
            BodyEncoder.Write(output, "\r\nThis is a multipart message in MIME format.\r\n"u8);

            WriteDelimiter(output, boundary, last: false);
            WritePart("text/plain", textBytes, output);

            WriteDelimiter(output, boundary, last: false);
            var html = htmlUtf8 is not null
                ? RentHtml(htmlUtf8.Value.Span, email.Preheader, out var htmlLength)
                : BodyEncoder.RentCrlfUtf8(WithPreheader(htmlText!, email.Preheader), out htmlLength);
            try
            {
                WritePart("text/html", html.AsSpan(0, htmlLength), output);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(html);
            }

            WriteDelimiter(output, boundary, last: true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(text);
        }
    }

    /// <summary>Writes the message to a byte array.</summary>
    /// <param name="message">An email message.</param>
    /// <returns>The message bytes (UTF-8 / ASCII with CRLF line breaks).</returns>
    public static byte[] ToBytes(OutgoingMessage message)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        Write(message, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the message to a stream.</summary>
    /// <param name="message">An email message.</param>
    /// <param name="stream">Where the bytes go; it is not closed.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the bytes are written.</returns>
    public static async Task WriteAsync(OutgoingMessage message, Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var buffer = new ArrayBufferWriter<byte>(4096);
        Write(message, buffer);
        await stream.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Checks the message's headers without writing it.</summary>
    /// <param name="message">An email message.</param>
    /// <param name="email">Its content.</param>
    /// <exception cref="MessageContentException">A header is malformed.</exception>
    internal static void Validate(OutgoingMessage message, EmailContent email)
    {
        if (email.From is not null)
        {
            HeaderGuard.CheckAddress("From", email.From);
        }

        if (email.ReplyTo is not null)
        {
            HeaderGuard.CheckAddress("Reply-To", email.ReplyTo);
        }

        HeaderGuard.CheckAddress("To", new EmailAddress(message.Recipient));
        HeaderGuard.CheckValue("Subject", email.Subject);
        // The composer's List-Unsubscribe (the configured addresses and a base64url token) is one line by construction:
        // checking it would build it for sinks that never read it.
        var headers = message.Headers;
        for (var i = headers is Delivery.UnsubscribeHeaders ? 1 : 0; i < headers.Count; i++)
        {
            var header = headers[i];
            HeaderGuard.CheckExtra(header.Key, header.Value);
        }
    }

    private static void WritePart(string mediaType, ReadOnlySpan<byte> body, IBufferWriter<byte> output)
    {
        var base64 = BodyEncoder.PreferBase64(body);
        BodyEncoder.Write(output, "Content-Type: "u8);
        WriteAscii(output, mediaType);
        BodyEncoder.Write(output, "; charset=utf-8\r\nContent-Transfer-Encoding: "u8);
        BodyEncoder.Write(output, base64 ? "base64\r\n\r\n"u8 : "quoted-printable\r\n\r\n"u8);
        WriteBody(body, base64, output);
    }

    private static void WritePartHeaders(HeaderBuilder headers, string mediaType, ReadOnlySpan<byte> body)
    {
        headers.Raw("Content-Type", mediaType + "; charset=utf-8");
        headers.Raw("Content-Transfer-Encoding", BodyEncoder.PreferBase64(body) ? "base64" : "quoted-printable");
    }

    private static void WriteBody(ReadOnlySpan<byte> body, IBufferWriter<byte> output) => WriteBody(body, BodyEncoder.PreferBase64(body), output);

    private static void WriteBody(ReadOnlySpan<byte> body, bool base64, IBufferWriter<byte> output)
    {
        if (base64)
        {
            BodyEncoder.WriteBase64(body, output);
        }
        else
        {
            BodyEncoder.WriteQuotedPrintable(body, output);
        }
    }

    private static void WriteDelimiter(IBufferWriter<byte> output, string boundary, bool last)
    {
        BodyEncoder.Write(output, "\r\n--"u8);
        WriteAscii(output, boundary);
        BodyEncoder.Write(output, last ? "--\r\n"u8 : "\r\n"u8);
    }

    private static void WriteAscii(IBufferWriter<byte> output, string ascii)
    {
        var span = output.GetSpan(ascii.Length);
        var written = Encoding.ASCII.GetBytes(ascii, span);
        output.Advance(written);
    }

    /// <summary>The rendered UTF-8 HTML with the preheader block after <c>&lt;body…&gt;</c>, CRLF line breaks, without a string in between.</summary>
    private static byte[] RentHtml(ReadOnlySpan<byte> html, string? preheader, out int length)
    {
        if (string.IsNullOrEmpty(preheader))
        {
            return BodyEncoder.RentCrlf(html, ReadOnlySpan<byte>.Empty, ReadOnlySpan<byte>.Empty, out length);
        }

        var block = Encoding.UTF8.GetBytes(PreheaderBlock(preheader));
        var split = 0;
        var body = IndexOfBodyTag(html);
        if (body >= 0)
        {
            var close = html[body..].IndexOf((byte)'>');
            split = close < 0 ? 0 : body + close + 1;
        }

        return split == 0
            ? BodyEncoder.RentCrlf(block, html, ReadOnlySpan<byte>.Empty, out length)
            : BodyEncoder.RentCrlf(html[..split], block, html[split..], out length);
    }

    private static int IndexOfBodyTag(ReadOnlySpan<byte> html)
    {
        // Case-insensitive "<body" in ASCII, as string.IndexOf(..., OrdinalIgnoreCase) finds it in the string form.
        for (var i = html.IndexOf((byte)'<'); i >= 0 && i + 5 <= html.Length; )
        {
            if (Ascii.EqualsIgnoreCase(html.Slice(i + 1, 4), "body"u8))
            {
                return i;
            }

            var next = html[(i + 1)..].IndexOf((byte)'<');
            i = next < 0 ? -1 : i + 1 + next;
        }

        return -1;
    }

    private static string PreheaderBlock(string preheader)
        => "<div style=\"display:none;max-height:0;overflow:hidden;mso-hide:all\">" + WebUtility.HtmlEncode(preheader) + "</div>";

    private static string WithPreheader(string html, string? preheader)
    {
        if (string.IsNullOrEmpty(preheader))
        {
            return html;
        }

        var block = PreheaderBlock(preheader);
        var body = html.IndexOf("<body", StringComparison.OrdinalIgnoreCase);
        var close = body < 0 ? -1 : html.IndexOf('>', body);
        return close < 0 ? block + html : html.Insert(close + 1, block);
    }

    internal static string FormatDate(DateTimeOffset instant)
    {
        var offset = instant.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var abs = offset.Duration();
        return instant.ToString("ddd, dd MMM yyyy HH:mm:ss ", CultureInfo.InvariantCulture)
            + sign + abs.Hours.ToString("00", CultureInfo.InvariantCulture) + abs.Minutes.ToString("00", CultureInfo.InvariantCulture);
    }
}
