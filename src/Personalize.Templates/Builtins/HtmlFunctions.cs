using System.Text;
using Personalize.Templates.Runtime;

namespace Personalize.Templates.Builtins;

/// <summary>The <c>html</c> builtin object: escaping, tag stripping and URL encoding. Null text gives <c>""</c>.</summary>
internal static class HtmlFunctions
{
    /// <summary>
    /// <c>html.escape</c>: replaces <c>&amp; &lt; &gt; " '</c> with HTML entities, and, as Scriban does, writes the characters
    /// U+00A0 to U+00FF and those beyond U+FFFF as decimal character references (<c>ß</c> is <c>&amp;#223;</c>); a lone
    /// surrogate becomes U+FFFD.
    /// </summary>
    public static string Escape(TemplateContext context, string? text) => Escape(context, text, numeric: true);

    /// <summary>
    /// Replaces only <c>&amp; &lt; &gt; " '</c> with HTML entities (Liquid's <c>escape</c>: Shopify leaves every other character
    /// as it is).
    /// </summary>
    internal static string EscapeMarkup(TemplateContext context, string? text) => Escape(context, text, numeric: false);

    private static string Escape(TemplateContext context, string? text, bool numeric)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var first = 0;
        while (first < text.Length && !NeedsEscape(text[first], numeric))
        {
            first++;
        }

        if (first == text.Length)
        {
            return text;
        }

        // The escaped text is at least as long as the input: refuse an input already over the limit before building.
        context.EnsureStringLength(text.Length);
        var builder = new StringBuilder(text.Length + 16);
        builder.Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '&': builder.Append("&amp;"); break;
                case '<': builder.Append("&lt;"); break;
                case '>': builder.Append("&gt;"); break;
                case '"': builder.Append("&quot;"); break;
                case '\'': builder.Append("&#39;"); break;
                case >= '\u00A0' and <= '\u00FF' when numeric:
                    builder.Append("&#").Append((int)c).Append(';');
                    break;
                case >= '\uD800' and <= '\uDFFF' when numeric:
                    if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    {
                        builder.Append("&#").Append(char.ConvertToUtf32(c, text[i + 1])).Append(';');
                        i++;
                    }
                    else
                    {
                        builder.Append('\uFFFD');
                    }

                    break;
                default: builder.Append(c); break;
            }
        }

        context.CheckStringLength(builder.Length);
        return builder.ToString();
    }

    private static bool NeedsEscape(char c, bool numeric) => c is '&' or '<' or '>' or '"' or '\'' || (numeric && c is (>= '\u00A0' and <= '\u00FF') or (>= '\uD800' and <= '\uDFFF'));

    /// <summary><c>html.newline_to_br</c>: inserts <c>&lt;br /&gt;</c> before each line break (<c>\r\n</c>, <c>\n</c>, <c>\r</c>).</summary>
    public static string NewlineToBr(TemplateContext context, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                builder.Append("<br />\r\n");
                i++;
            }
            else if (c is '\n' or '\r')
            {
                builder.Append("<br />").Append(c);
            }
            else
            {
                builder.Append(c);
            }
        }

        context.CheckStringLength(builder.Length);
        return builder.ToString();
    }

    /// <summary>
    /// <c>html.strip</c>: removes HTML tags, comments and the content of <c>script</c> and <c>style</c> elements (a linear scan,
    /// no regex: malformed HTML cannot make it slow). A <c>&lt;</c> that does not start a tag is kept.
    /// </summary>
    public static string Strip(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        if (!text.Contains('<', StringComparison.Ordinal))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c != '<' || i + 1 >= text.Length || !StartsTag(text[i + 1]))
            {
                builder.Append(c);
                i++;
                continue;
            }

            int end;
            if (string.CompareOrdinal(text, i, "<!--", 0, 4) == 0)
            {
                var close = text.IndexOf("-->", i + 4, StringComparison.Ordinal);
                end = close < 0 ? -1 : close + 3;
            }
            else
            {
                end = TagEnd(text, i);
                if (end > 0 && IsElement(text, i, "script") is var script && (script || IsElement(text, i, "style")))
                {
                    var name = script ? "</script" : "</style";
                    var close = text.IndexOf(name, end, StringComparison.OrdinalIgnoreCase);
                    end = close < 0 ? text.Length : TagEnd(text, close);
                    if (end < 0)
                    {
                        end = text.Length;
                    }
                }
            }

            if (end < 0)
            {
                // Unterminated tag: keep the rest as text.
                builder.Append(text, i, text.Length - i);
                break;
            }

            i = end;
        }

        return builder.ToString();
    }

    /// <summary><c>html.url_encode</c>: percent-encodes everything except letters, digits and <c>- _ . ~</c> (a space is <c>%20</c>).</summary>
    public static string UrlEncode(TemplateContext context, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var result = Uri.EscapeDataString(text);
        context.CheckStringLength(result.Length);
        return result;
    }

    /// <summary><c>html.url_escape</c>: percent-encodes the characters not allowed in a URL, keeping URL syntax (<c>: / ? # &amp; =</c>…).</summary>
    public static string UrlEscape(TemplateContext context, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(text.Length + 16);
        Span<byte> bytes = stackalloc byte[4];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c < 128 && (char.IsAsciiLetterOrDigit(c) || "-._~:/?#[]@!$&'()*+,;=".Contains(c, StringComparison.Ordinal)))
            {
                builder.Append(c);
                continue;
            }

            var length = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])
                ? Encoding.UTF8.GetBytes(text.AsSpan(i++, 2), bytes)
                : Encoding.UTF8.GetBytes(text.AsSpan(i, 1), bytes);
            for (var b = 0; b < length; b++)
            {
                builder.Append('%').Append(bytes[b].ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        context.CheckStringLength(builder.Length);
        return builder.ToString();
    }

    private static bool StartsTag(char c) => char.IsAsciiLetter(c) || c is '/' or '!' or '?';

    private static bool IsElement(string text, int start, string name) =>
        start + 1 + name.Length <= text.Length
        && string.Compare(text, start + 1, name, 0, name.Length, StringComparison.OrdinalIgnoreCase) == 0
        && (start + 1 + name.Length == text.Length || !char.IsAsciiLetterOrDigit(text[start + 1 + name.Length]));

    /// <summary>The index just after the <c>&gt;</c> closing the tag at <paramref name="start"/>, skipping quoted attribute values; -1 when unterminated.</summary>
    private static int TagEnd(string text, int start)
    {
        var quote = '\0';
        for (var i = start + 1; i < text.Length; i++)
        {
            var c = text[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '>')
            {
                return i + 1;
            }
        }

        return -1;
    }
}
