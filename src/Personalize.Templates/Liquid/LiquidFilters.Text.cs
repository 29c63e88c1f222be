using System.Text;
using Personalize.Templates.Runtime;

namespace Personalize.Templates.Liquid;

/// <summary>
/// Text filters added for Shopify parity: <c>base64_*</c>, <c>replace</c>/<c>remove</c> and their <c>_first</c>/<c>_last</c>
/// forms with Ruby's rules for an empty or missing search text (an empty text matches before every character). Every
/// result is checked against <see cref="TemplateLimits.MaxStringLength"/> before it is built.
/// </summary>
internal static partial class LiquidFilters
{
    private static void AddTextFilters(Action<string, int, int, string, Func<TemplateContext, ScriptArguments, object?>> add)
    {
        add("replace", 1, 2, "replace: \"old\", \"new\"", static (c, a) => ReplaceAll(c, Text(c, a, 0), Text(c, a, 1), Text(c, a, 2)));
        add("replace_first", 1, 2, "replace_first: \"old\", \"new\"", static (c, a) => ReplaceOne(c, Text(c, a, 0), Text(c, a, 1), Text(c, a, 2), last: false));
        add("replace_last", 2, 2, "replace_last: \"old\", \"new\"", static (c, a) => ReplaceOne(c, Text(c, a, 0), Text(c, a, 1), Text(c, a, 2), last: true));
        add("remove", 1, 1, "remove: \"text\"", static (c, a) => ReplaceAll(c, Text(c, a, 0), Text(c, a, 1), string.Empty));
        add("remove_first", 1, 1, "remove_first: \"text\"", static (c, a) => ReplaceOne(c, Text(c, a, 0), Text(c, a, 1), string.Empty, last: false));
        add("remove_last", 1, 1, "remove_last: \"text\"", static (c, a) => ReplaceOne(c, Text(c, a, 0), Text(c, a, 1), string.Empty, last: true));
        add("base64_encode", 0, 0, "base64_encode", static (c, a) => Base64Encode(c, Text(c, a, 0), urlSafe: false));
        add("base64_decode", 0, 0, "base64_decode", static (c, a) => Base64Decode(c, Text(c, a, 0), urlSafe: false));
        add("base64_url_safe_encode", 0, 0, "base64_url_safe_encode", static (c, a) => Base64Encode(c, Text(c, a, 0), urlSafe: true));
        add("base64_url_safe_decode", 0, 0, "base64_url_safe_decode", static (c, a) => Base64Decode(c, Text(c, a, 0), urlSafe: true));
    }

    private static string ReplaceAll(TemplateContext c, string text, string search, string replacement)
    {
        if (search.Length == 0)
        {
            // Ruby's gsub with an empty pattern: the replacement before every character and at the end.
            if (replacement.Length == 0)
            {
                return text;
            }

            c.CheckStringLength(text.Length + ((long)text.Length + 1) * replacement.Length);
            var builder = new StringBuilder(text.Length * (replacement.Length + 1) + replacement.Length);
            foreach (var ch in text)
            {
                builder.Append(replacement).Append(ch);
            }

            return builder.Append(replacement).ToString();
        }

        var count = 0L;
        for (var at = text.IndexOf(search, StringComparison.Ordinal); at >= 0; at = text.IndexOf(search, at + search.Length, StringComparison.Ordinal))
        {
            count++;
        }

        if (count == 0)
        {
            return text;
        }

        c.CheckStringLength(text.Length + count * (replacement.Length - search.Length));
        return text.Replace(search, replacement, StringComparison.Ordinal);
    }

    private static string ReplaceOne(TemplateContext c, string text, string search, string replacement, bool last)
    {
        var at = last ? text.LastIndexOf(search, StringComparison.Ordinal) : text.IndexOf(search, StringComparison.Ordinal);
        if (search.Length == 0)
        {
            at = last ? text.Length : 0;
        }

        if (at < 0)
        {
            return text;
        }

        c.CheckStringLength((long)text.Length - search.Length + replacement.Length);
        return string.Concat(text.AsSpan(0, at), replacement, text.AsSpan(at + search.Length));
    }

    private static string Base64Encode(TemplateContext c, string text, bool urlSafe)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        c.CheckStringLength(((long)bytes.Length + 2) / 3 * 4);
        var encoded = Convert.ToBase64String(bytes);
        return urlSafe ? encoded.Replace('+', '-').Replace('/', '_') : encoded;
    }

    private static string Base64Decode(TemplateContext c, string text, bool urlSafe)
    {
        var name = urlSafe ? "base64_url_safe_decode" : "base64_decode";
        if (urlSafe)
        {
            if (text.Contains('+', StringComparison.Ordinal) || text.Contains('/', StringComparison.Ordinal))
            {
                throw InvalidBase64(c, name);
            }

            text = text.Replace('-', '+').Replace('_', '/');
            if (text.Length % 4 != 0 && !text.Contains('=', StringComparison.Ordinal))
            {
                text = text.PadRight(text.Length + (4 - (text.Length % 4)), '=');
            }
        }
        else if (text.Contains('-', StringComparison.Ordinal) || text.Contains('_', StringComparison.Ordinal))
        {
            throw InvalidBase64(c, name);
        }

        var buffer = new byte[text.Length * 3 / 4 + 3];
        if (text.Length % 4 != 0 || !Convert.TryFromBase64String(text, buffer, out var written) || text.AsSpan().IndexOfAny(" \t\r\n") >= 0)
        {
            throw InvalidBase64(c, name);
        }

        c.CheckStringLength(Encoding.UTF8.GetCharCount(buffer, 0, written));
        return Encoding.UTF8.GetString(buffer, 0, written);
    }

    private static TemplateRuntimeException InvalidBase64(TemplateContext c, string filter) =>
        c.Error($"invalid base64 provided to `{filter}`: the text must be Base64{(filter.Contains("url_safe", StringComparison.Ordinal) ? " with `-` and `_` (URL-safe alphabet)" : " with `+` and `/` and `=` padding")}. Check where the value comes from, or encode it with `{filter.Replace("decode", "encode", StringComparison.Ordinal)}`.");
}
