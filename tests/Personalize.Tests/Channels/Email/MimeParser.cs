using System.Text;
using System.Text.RegularExpressions;

namespace Personalize.Tests.Channels.Email;

/// <summary>
/// A small, independent MIME reader used to prove that written email parses back: unfolds headers, decodes
/// RFC 2047 encoded-words (B and Q), splits multipart bodies and decodes quoted-printable and base64.
/// </summary>
internal sealed partial class MimeParser
{
    private MimeParser(List<KeyValuePair<string, string>> rawHeaders, string rawBody, List<string> rawHeaderLines)
    {
        RawHeaders = rawHeaders;
        RawBody = rawBody;
        RawHeaderLines = rawHeaderLines;
    }

    public List<KeyValuePair<string, string>> RawHeaders { get; }

    public List<string> RawHeaderLines { get; }

    public string RawBody { get; }

    public List<MimeParser> Parts { get; } = [];

    public static MimeParser Parse(byte[] bytes)
    {
        foreach (var b in bytes)
        {
            Assert.True(b < 0x80, "A MIME message on the wire is 7-bit ASCII here; found byte " + b);
        }

        return Parse(Encoding.ASCII.GetString(bytes));
    }

    public static MimeParser Parse(string text)
    {
        Assert.DoesNotMatch("(?<!\r)\n", text); // every line break is CRLF
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var headerText = split < 0 ? text : text[..split];
        var body = split < 0 ? string.Empty : text[(split + 4)..];
        var lines = headerText.Split("\r\n");
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var line in lines)
        {
            if (line.Length > 0 && (line[0] == ' ' || line[0] == '\t'))
            {
                var last = headers[^1];
                headers[^1] = new(last.Key, last.Value + line); // unfold: drop CRLF, keep the white space
            }
            else
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                Assert.True(colon > 0, "Header line without a colon: " + line);
                headers.Add(new(line[..colon], line[(colon + 1)..].TrimStart()));
            }
        }

        var parser = new MimeParser(headers, body, [.. lines]);
        var contentType = parser.Header("Content-Type") ?? "text/plain";
        if (contentType.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase))
        {
            var boundary = BoundaryRegex().Match(contentType).Groups[1].Value;
            Assert.False(string.IsNullOrEmpty(boundary));
            var delimiter = "\r\n--" + boundary;
            var start = ("\r\n" + body).IndexOf(delimiter + "\r\n", StringComparison.Ordinal);
            Assert.True(start >= 0, "No first boundary.");
            var rest = ("\r\n" + body)[(start + delimiter.Length + 2)..];
            while (true)
            {
                var next = rest.IndexOf(delimiter, StringComparison.Ordinal);
                Assert.True(next >= 0, "Unterminated multipart.");
                parser.Parts.Add(Parse(rest[..next]));
                rest = rest[(next + delimiter.Length)..];
                if (rest.StartsWith("--", StringComparison.Ordinal))
                {
                    break;
                }

                Assert.StartsWith("\r\n", rest);
                rest = rest[2..];
            }
        }

        return parser;
    }

    /// <summary>The raw (unfolded, not decoded) value of the first header with the name.</summary>
    public string? Header(string name)
        => RawHeaders.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>The value with encoded-words decoded.</summary>
    public string? Decoded(string name) => Header(name) is { } raw ? DecodeWords(raw) : null;

    public int Count(string name) => RawHeaders.Count(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The decoded body text with CRLF turned into LF.</summary>
    public string DecodedText()
    {
        var encoding = Header("Content-Transfer-Encoding")?.Trim().ToLowerInvariant() ?? "7bit";
        var bytes = encoding switch
        {
            "quoted-printable" => DecodeQuotedPrintable(RawBody),
            "base64" => Convert.FromBase64String(RawBody.Replace("\r\n", string.Empty, StringComparison.Ordinal)),
            _ => Encoding.ASCII.GetBytes(RawBody),
        };
        return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes).Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    public static string DecodeWords(string value)
    {
        // Remove white space between adjacent encoded-words (RFC 2047 section 6.2), then decode each.
        var joined = AdjacentRegex().Replace(value, "?==?");
        return WordRegex().Replace(joined, m =>
        {
            var charset = m.Groups[1].Value;
            Assert.Equal("utf-8", charset, ignoreCase: true);
            Assert.True(m.Value.Length <= 75, "An encoded-word is longer than 75 characters: " + m.Value);
            var bytes = m.Groups[2].Value.ToUpperInvariant() == "B"
                ? Convert.FromBase64String(m.Groups[3].Value)
                : DecodeQuotedPrintable(m.Groups[3].Value.Replace('_', ' '));
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        });
    }

    private static byte[] DecodeQuotedPrintable(string text)
    {
        var output = new List<byte>(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '=')
            {
                if (i + 2 < text.Length && text[i + 1] == '\r' && text[i + 2] == '\n')
                {
                    i += 2; // soft line break
                    continue;
                }

                output.Add(Convert.ToByte(text.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                Assert.True(c < 0x80, "Raw non-ASCII in quoted-printable.");
                output.Add((byte)c);
            }
        }

        return [.. output];
    }

    [GeneratedRegex("boundary=\"([^\"]+)\"", RegexOptions.IgnoreCase)]
    private static partial Regex BoundaryRegex();

    [GeneratedRegex(@"\?=\s+=\?")]
    private static partial Regex AdjacentRegex();

    [GeneratedRegex(@"=\?([^?]+)\?([BbQq])\?([^?]*)\?=")]
    private static partial Regex WordRegex();
}
