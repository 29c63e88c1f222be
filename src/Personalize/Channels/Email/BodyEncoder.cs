using System.Buffers;
using System.Text;

namespace Personalize.Channels.Email;

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

    /// <summary>
    /// The text as UTF-8 with every line break (CR, LF or CRLF) made CRLF, in a buffer rented from
    /// <see cref="ArrayPool{T}.Shared"/>; return it with <see cref="ArrayPool{T}.Return"/>.
    /// </summary>
    public static byte[] RentCrlfUtf8(string text, out int length)
    {
        var raw = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            var count = Encoding.UTF8.GetBytes(text, raw);
            return RentCrlf(raw.AsSpan(0, count), ReadOnlySpan<byte>.Empty, ReadOnlySpan<byte>.Empty, out length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(raw);
        }
    }

    /// <summary>
    /// The concatenation of <paramref name="first"/>, <paramref name="second"/> and <paramref name="third"/> (UTF-8)
    /// with every line break made CRLF, in a rented buffer; return it with <see cref="ArrayPool{T}.Return"/>.
    /// </summary>
    public static byte[] RentCrlf(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, ReadOnlySpan<byte> third, out int length)
    {
        var result = ArrayPool<byte>.Shared.Rent(((first.Length + second.Length + third.Length) * 2) + 1);
        var j = Crlf(first, result, 0);
        j = Crlf(second, result, j);
        length = Crlf(third, result, j);
        return result;
    }

    private static int Crlf(ReadOnlySpan<byte> raw, byte[] result, int j)
    {
        // Each piece is converted on its own: callers split only after a '>' (never between a CR and its LF).
        for (var i = 0; i < raw.Length; i++)
        {
            var b = raw[i];
            if (b == '\r')
            {
                result[j++] = (byte)'\r';
                result[j++] = (byte)'\n';
                if (i + 1 < raw.Length && raw[i + 1] == '\n')
                {
                    i++;
                }
            }
            else if (b == '\n')
            {
                result[j++] = (byte)'\r';
                result[j++] = (byte)'\n';
            }
            else
            {
                result[j++] = b;
            }
        }

        return j;
    }

    public static void WriteQuotedPrintable(ReadOnlySpan<byte> utf8, IBufferWriter<byte> output)
    {
        // Worst case: every byte as =XX plus a soft break (3 bytes) per 25 encoded bytes.
        var span = output.GetSpan((utf8.Length * 3) + ((utf8.Length / 25) + 1) * 3);
        var written = 0;
        var line = 0;
        for (var i = 0; i < utf8.Length; i++)
        {
            var b = utf8[i];
            if (b == '\r' && i + 1 < utf8.Length && utf8[i + 1] == '\n')
            {
                span[written++] = (byte)'\r';
                span[written++] = (byte)'\n';
                line = 0;
                i++;
                continue;
            }

            var atLineEnd = i + 1 == utf8.Length || (utf8[i + 1] == '\r' && i + 2 < utf8.Length && utf8[i + 2] == '\n');
            var literal = (b >= 33 && b <= 126 && b != '=') || ((b == ' ' || b == '\t') && !atLineEnd);
            var length = literal ? 1 : 3;

            // Leave room for the soft line break '=' so no line exceeds 76 characters.
            var limit = atLineEnd ? MaxLine : MaxLine - 1;
            if (line + length > limit)
            {
                span[written++] = (byte)'=';
                span[written++] = (byte)'\r';
                span[written++] = (byte)'\n';
                line = 0;
            }

            if (literal)
            {
                span[written++] = b;
            }
            else
            {
                span[written++] = (byte)'=';
                span[written++] = Hex[b >> 4];
                span[written++] = Hex[b & 15];
            }

            line += length;
        }

        output.Advance(written);
    }

    public static void WriteBase64(ReadOnlySpan<byte> utf8, IBufferWriter<byte> output)
    {
        // 57 bytes make one 76-character line.
        var lines = (utf8.Length + 56) / 57;
        var span = output.GetSpan((lines * 78) + 4);
        var written = 0;
        for (var offset = 0; offset < utf8.Length; offset += 57)
        {
            if (offset > 0)
            {
                span[written++] = (byte)'\r';
                span[written++] = (byte)'\n';
            }

            var chunk = utf8.Slice(offset, Math.Min(57, utf8.Length - offset));
            System.Buffers.Text.Base64.EncodeToUtf8(chunk, span[written..], out _, out var count);
            written += count;
        }

        output.Advance(written);
    }

    public static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        var span = output.GetSpan(bytes.Length);
        bytes.CopyTo(span);
        output.Advance(bytes.Length);
    }
}
