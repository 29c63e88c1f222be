using System.Buffers;
using System.Text;

namespace Personalize.Delivery.Email;

/// <summary>Encodes MIME bodies: quoted-printable (lines of at most 76 characters) or base64 (76-character lines).</summary>
internal static class BodyEncoder
{
    private const int MaxLine = 76;
    private static readonly byte[] Hex = "0123456789ABCDEF"u8.ToArray();

    /// <summary>Base64 when more than a third of the UTF-8 bytes are non-ASCII (it is then shorter), else quoted-printable.</summary>
    public static bool PreferBase64(ReadOnlySpan<byte> utf8)
    {
        var high = 0;
        foreach (var b in utf8)
        {
            if (b >= 0x80)
            {
                high++;
            }
        }

        return high * 3 > utf8.Length;
    }

    /// <summary>The text as UTF-8 with every line break (CR, LF or CRLF) made CRLF.</summary>
    public static byte[] ToCrlfUtf8(string text)
    {
        var builder = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\r')
            {
                builder.Append("\r\n");
                if (i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }
            }
            else if (c == '\n')
            {
                builder.Append("\r\n");
            }
            else
            {
                builder.Append(c);
            }
        }

        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    public static void WriteQuotedPrintable(ReadOnlySpan<byte> utf8, IBufferWriter<byte> output)
    {
        Span<byte> encoded = stackalloc byte[3];
        var line = 0;
        for (var i = 0; i < utf8.Length; i++)
        {
            var b = utf8[i];
            if (b == '\r' && i + 1 < utf8.Length && utf8[i + 1] == '\n')
            {
                Write(output, "\r\n"u8);
                line = 0;
                i++;
                continue;
            }

            var atLineEnd = i + 1 == utf8.Length || (utf8[i + 1] == '\r' && i + 2 < utf8.Length && utf8[i + 2] == '\n');
            int length;
            if ((b >= 33 && b <= 126 && b != '=') || ((b == ' ' || b == '\t') && !atLineEnd))
            {
                encoded[0] = b;
                length = 1;
            }
            else
            {
                encoded[0] = (byte)'=';
                encoded[1] = Hex[b >> 4];
                encoded[2] = Hex[b & 15];
                length = 3;
            }

            // Leave room for the soft line break '=' so no line exceeds 76 characters.
            var limit = atLineEnd ? MaxLine : MaxLine - 1;
            if (line + length > limit)
            {
                Write(output, "=\r\n"u8);
                line = 0;
            }

            Write(output, encoded[..length]);
            line += length;
        }
    }

    public static void WriteBase64(ReadOnlySpan<byte> utf8, IBufferWriter<byte> output)
    {
        var text = Convert.ToBase64String(utf8, Base64FormattingOptions.InsertLineBreaks);
        var span = output.GetSpan(text.Length);
        var written = Encoding.ASCII.GetBytes(text, span);
        output.Advance(written);
    }

    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        var span = output.GetSpan(bytes.Length);
        bytes.CopyTo(span);
        output.Advance(bytes.Length);
    }
}
