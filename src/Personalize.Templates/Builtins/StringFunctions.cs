using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Personalize.Templates.Runtime;

namespace Personalize.Templates.Builtins;

/// <summary>
/// The <c>string</c> builtin object. The piped value is the text; null text counts as <c>""</c> (functions that return
/// text return <c>""</c>, predicates return <see langword="false"/>). Strings a function builds are checked against
/// <see cref="TemplateLimits.MaxStringLength"/> before they are allocated.
/// </summary>
internal static class StringFunctions
{
    /// <summary><c>string.escape</c>: escapes control characters, quotes and backslashes like a string literal (<c>\n</c>, <c>\"</c>…).</summary>
    public static string? Escape(TemplateContext context, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text; // null stays null, as in Scriban
        }

        var builder = new StringBuilder(text.Length + 8);
        AppendEscaped(context, builder, text);
        return builder.ToString();
    }

    /// <summary><c>string.append</c>: <paramref name="text"/> followed by <paramref name="with"/>.</summary>
    public static string Append(TemplateContext context, string? text, string? with)
    {
        context.CheckStringLength((long)(text?.Length ?? 0) + (with?.Length ?? 0));
        return (text ?? string.Empty) + with;
    }

    /// <summary><c>string.capitalize</c>: the first character upper case.</summary>
    public static string Capitalize(TemplateContext context, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        return char.ToUpper(text[0], context.Culture) + text[1..];
    }

    /// <summary><c>string.capitalizewords</c>: the first letter of each word upper case.</summary>
    public static string Capitalizewords(TemplateContext context, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(text.Length);
        var atWordStart = true;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                atWordStart = true;
                builder.Append(c);
            }
            else if (atWordStart && char.IsLetter(c))
            {
                // The first letter of each word, as Scriban: leading punctuation or digits are kept (`"vip"` is `"Vip"`).
                atWordStart = false;
                builder.Append(char.ToUpper(c, context.Culture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary><c>string.contains</c>: whether <paramref name="value"/> occurs in <paramref name="text"/> (ordinal; an empty <paramref name="value"/> never does, as in Scriban — also for <c>starts_with</c>/<c>ends_with</c>).</summary>
    public static bool Contains(string? text, string? value) => text is not null && !string.IsNullOrEmpty(value) && text.Contains(value, StringComparison.Ordinal);

    /// <summary><c>string.empty</c>: whether the text is null or <c>""</c>.</summary>
    public static bool Empty(string? text) => string.IsNullOrEmpty(text);

    /// <summary><c>string.whitespace</c>: whether the text is null, empty or only white space.</summary>
    public static bool Whitespace(string? text) => string.IsNullOrWhiteSpace(text);

    /// <summary><c>string.downcase</c>: lower case in the render's culture.</summary>
    public static string? Downcase(TemplateContext context, string? text) => text?.ToLower(context.Culture);

    /// <summary><c>string.ends_with</c>: whether <paramref name="text"/> ends with <paramref name="value"/> (ordinal).</summary>
    public static bool EndsWith(string? text, string? value) => text is not null && !string.IsNullOrEmpty(value) && text.EndsWith(value, StringComparison.Ordinal);

    /// <summary><c>string.equals_ignore_case</c>: whether the two texts are equal ignoring case (ordinal).</summary>
    public static bool EqualsIgnoreCase(string? text, string? value) => text is not null && string.Equals(text, value, StringComparison.OrdinalIgnoreCase);

    /// <summary><c>string.handleize</c>: lower-case letters and digits joined by single dashes (<c>"100% M &amp; Ms!!!"</c> → <c>"100-m-ms"</c>).</summary>
    public static string Handleize(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(text.Length);
        var pendingDash = false;
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                // As Scriban: a run of other characters becomes one dash, also at the start (`!!a` is `-a`); a trailing run is dropped.
                if (pendingDash)
                {
                    builder.Append('-');
                }

                pendingDash = false;
                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                pendingDash = true;
            }
        }

        return builder.ToString();
    }

    /// <summary><c>string.literal</c>: the text as a double-quoted string literal with escapes (<c>"a\n\"b\""</c>).</summary>
    public static string? Literal(TemplateContext context, string? text)
    {
        if (text is null)
        {
            // Scriban gives nil for nil (it writes nothing, not `""`).
            return null;
        }

        var builder = new StringBuilder((text?.Length ?? 0) + 2);
        builder.Append('"');
        if (text is not null)
        {
            AppendEscaped(context, builder, text);
        }

        builder.Append('"');
        return builder.ToString();
    }

    /// <summary><c>string.lstrip</c>: removes leading white space.</summary>
    public static string? Lstrip(string? text) => text?.TrimStart();

    /// <summary><c>string.pluralize</c>: <paramref name="singular"/> when <paramref name="number"/> is 1, else <paramref name="plural"/>.</summary>
    public static string? Pluralize(long number, string? singular, string? plural) => number == 1 ? singular : plural;

    /// <summary><c>string.prepend</c>: <paramref name="by"/> followed by <paramref name="text"/>.</summary>
    public static string Prepend(TemplateContext context, string? text, string? by)
    {
        context.CheckStringLength((long)(text?.Length ?? 0) + (by?.Length ?? 0));
        return by + text;
    }

    /// <summary><c>string.remove</c>: removes every occurrence of <paramref name="remove"/>.</summary>
    public static string? Remove(string? text, string? remove)
    {
        if (string.IsNullOrEmpty(text) || string.IsNullOrEmpty(remove))
        {
            return text; // null stays null, as in Scriban
        }

        return text.Replace(remove, string.Empty, StringComparison.Ordinal);
    }

    /// <summary><c>string.remove_first</c>: removes the first occurrence of <paramref name="remove"/>.</summary>
    public static string? RemoveFirst(TemplateContext context, string? text, string? remove) => text is null ? null : ReplaceFirst(context, text, remove, string.Empty);

    /// <summary><c>string.remove_last</c>: removes the last occurrence of <paramref name="remove"/>.</summary>
    public static string? RemoveLast(TemplateContext context, string? text, string? remove) => text is null ? null : ReplaceFirst(context, text, remove, string.Empty, fromEnd: true);

    /// <summary><c>string.replace</c>: replaces every occurrence of <paramref name="match"/> (ordinal).</summary>
    public static string Replace(TemplateContext context, string? text, string? match, string? replace)
    {
        if (string.IsNullOrEmpty(text) || string.IsNullOrEmpty(match))
        {
            return text ?? string.Empty;
        }

        replace ??= string.Empty;
        if (replace.Length > match.Length)
        {
            // Bound the result before building it: at most text.Length / match.Length replacements.
            context.CheckStringLength(text.Length + (long)(text.Length / match.Length) * (replace.Length - match.Length));
        }

        return text.Replace(match, replace, StringComparison.Ordinal);
    }

    /// <summary><c>string.replace_first</c>: replaces the first (or, with <paramref name="fromEnd"/>, the last) occurrence of <paramref name="match"/>.</summary>
    public static string ReplaceFirst(TemplateContext context, string? text, string? match, string? replace, bool fromEnd = false)
    {
        if (string.IsNullOrEmpty(text) || string.IsNullOrEmpty(match))
        {
            return text ?? string.Empty;
        }

        var index = fromEnd ? text.LastIndexOf(match, StringComparison.Ordinal) : text.IndexOf(match, StringComparison.Ordinal);
        if (index < 0)
        {
            return text;
        }

        replace ??= string.Empty;
        context.CheckStringLength((long)text.Length - match.Length + replace.Length);
        return string.Concat(text.AsSpan(0, index), replace, text.AsSpan(index + match.Length));
    }

    /// <summary><c>string.rstrip</c>: removes trailing white space.</summary>
    public static string? Rstrip(string? text) => text?.TrimEnd();

    /// <summary><c>string.size</c>: the number of characters (0 for null).</summary>
    public static int Size(string? text) => text?.Length ?? 0;

    /// <summary>
    /// <c>string.slice</c>: the substring from <paramref name="start"/> (negative counts from the end) of
    /// <paramref name="length"/> characters (without a length: the rest of the text; 0: empty; a negative length is an error, as
    /// in Scriban).
    /// </summary>
    public static string Slice(TemplateContext context, string? text, int start, int? length = null) => length switch
    {
        null => SliceCore(text, start, text?.Length ?? 0),
        < 0 => throw context.Error($"`string.slice` takes a length of 0 or more, not {length}."),
        _ => SliceCore(text, start, length.Value),
    };

    /// <summary><c>string.slice1</c>: like <c>string.slice</c> but <paramref name="length"/> defaults to 1 character.</summary>
    public static string Slice1(string? text, int start, int length = 1) => length <= 0 ? string.Empty : SliceCore(text, start, length);

    /// <summary>
    /// <c>string.split</c>: the parts of <paramref name="text"/> between occurrences of <paramref name="match"/>, without empty
    /// parts; with no or empty separator the whole text is the one part, as in Scriban.
    /// </summary>
    public static ScriptArray Split(TemplateContext context, string? text, string? match)
    {
        var result = new ScriptArray();
        if (string.IsNullOrEmpty(text))
        {
            return result;
        }

        if (string.IsNullOrEmpty(match))
        {
            result.Add(text);
            return result;
        }

        var position = 0;
        while (position <= text.Length)
        {
            var next = text.IndexOf(match, position, StringComparison.Ordinal);
            var end = next < 0 ? text.Length : next;
            if (end > position)
            {
                context.ChargeLoopIterations();
                result.Add(text[position..end]);
            }

            if (next < 0)
            {
                break;
            }

            position = next + match.Length;
        }

        return result;
    }

    /// <summary><c>string.starts_with</c>: whether <paramref name="text"/> starts with <paramref name="value"/> (ordinal).</summary>
    public static bool StartsWith(string? text, string? value) => text is not null && !string.IsNullOrEmpty(value) && text.StartsWith(value, StringComparison.Ordinal);

    /// <summary><c>string.strip</c>: removes leading and trailing white space.</summary>
    public static string? Strip(string? text) => text?.Trim();

    /// <summary><c>string.strip_newlines</c>: removes every <c>\r\n</c>, <c>\n</c> and <c>\r</c>.</summary>
    public static string StripNewlines(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        if (text.AsSpan().IndexOfAny('\r', '\n') < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is not '\r' and not '\n')
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary><c>string.to_int</c>: the text as a 32-bit integer, or null when it is not one.</summary>
    public static object? ToInt(string? text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary><c>string.to_long</c>: the text as a 64-bit integer, or null when it is not one.</summary>
    public static object? ToLong(string? text) =>
        long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>
    /// <c>string.to_float</c>: the text as a single-precision number, or null. The value is returned as a
    /// <see cref="double"/> holding the float's shortest decimal form (<c>"123.2"</c> stays 123.2, not 123.19999694…).
    /// </summary>
    public static object? ToFloat(string? text)
    {
        if (!float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return null;
        }

        return double.Parse(value.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary><c>string.to_double</c>: the text as a double-precision number, or null.</summary>
    public static object? ToDouble(string? text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>
    /// <c>string.truncate</c>: cuts <paramref name="text"/> to <paramref name="length"/> characters including the
    /// <paramref name="ellipsis"/> (<c>"..."</c> by default).
    /// </summary>
    public static string? Truncate(string? text, int length, string? ellipsis = null)
    {
        ellipsis ??= "...";
        if (text is null)
        {
            return string.Empty; // as Scriban: text, not nil
        }

        var keep = TruncateKeep(text, length, ellipsis);
        if (keep < 0)
        {
            return text;
        }

        if (keep == 0)
        {
            return ellipsis;
        }

        return string.Concat(text.AsSpan(0, keep), ellipsis);
    }

    /// <summary>
    /// How many characters of <paramref name="text"/> <see cref="Truncate"/> keeps before <paramref name="ellipsis"/>
    /// (possibly 0), or -1 when the text fits and is kept whole without ellipsis. Shared with the render path
    /// that writes a truncated value straight to the output.
    /// </summary>
    internal static int TruncateKeep(string text, int length, string ellipsis)
    {
        if (text.Length <= length)
        {
            return -1;
        }

        return Math.Max(0, length - ellipsis.Length);
    }

    /// <summary>
    /// Writes what <see cref="Truncate"/> (default <c>"..."</c> ellipsis) would return for <paramref name="text"/> straight to
    /// the output, without building the truncated string. Used by the Scriban and Liquid output statements.
    /// </summary>
    internal static void WriteTruncated(TemplateContext context, string text, int length)
    {
        const string Ellipsis = "...";
        var keep = TruncateKeep(text, length, Ellipsis);
        if (keep < 0)
        {
            context.Write(text);
            return;
        }

        context.Write(text.AsSpan(0, keep));
        context.Write(Ellipsis);
    }

    /// <summary>
    /// <c>string.truncatewords</c>: the first <paramref name="count"/> words joined by single spaces, then <paramref name="ellipsis"/>
    /// (<c>"..."</c>) — always, as Scriban does, even when the text has no more words.
    /// </summary>
    public static string Truncatewords(string? text, int count, string? ellipsis = null)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        ellipsis ??= "...";
        var builder = new StringBuilder(Math.Min(text.Length, 1024) + ellipsis.Length);
        var words = 0;
        var i = 0;
        while (i < text.Length && words < count)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i == text.Length)
            {
                break;
            }

            var start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (words++ > 0)
            {
                builder.Append(' ');
            }

            builder.Append(text, start, i - start);
        }

        return builder.Append(ellipsis).ToString();
    }

    /// <summary><c>string.upcase</c>: upper case in the render's culture.</summary>
    public static string? Upcase(TemplateContext context, string? text) => text?.ToUpper(context.Culture);

    /// <summary><c>string.md5</c>: the MD5 hash of the UTF-8 text, lower-case hex.</summary>
    public static string Md5(TemplateContext context, string? text) => Hash(context, HashAlgorithmName.MD5, text, null);

    /// <summary><c>string.sha1</c>: the SHA-1 hash of the UTF-8 text, lower-case hex.</summary>
    public static string Sha1(TemplateContext context, string? text) => Hash(context, HashAlgorithmName.SHA1, text, null);

    /// <summary><c>string.sha256</c>: the SHA-256 hash of the UTF-8 text, lower-case hex.</summary>
    public static string Sha256(TemplateContext context, string? text) => Hash(context, HashAlgorithmName.SHA256, text, null);

    /// <summary><c>string.sha512</c>: the SHA-512 hash of the UTF-8 text, lower-case hex.</summary>
    public static string Sha512(TemplateContext context, string? text) => Hash(context, HashAlgorithmName.SHA512, text, null);

    /// <summary><c>string.hmac_sha1</c>: the HMAC-SHA1 of the UTF-8 text with <paramref name="secretKey"/>, lower-case hex.</summary>
    public static string HmacSha1(TemplateContext context, string? text, string? secretKey) => Hash(context, HashAlgorithmName.SHA1, text, secretKey ?? string.Empty);

    /// <summary><c>string.hmac_sha256</c>: the HMAC-SHA256 of the UTF-8 text with <paramref name="secretKey"/>, lower-case hex.</summary>
    public static string HmacSha256(TemplateContext context, string? text, string? secretKey) => Hash(context, HashAlgorithmName.SHA256, text, secretKey ?? string.Empty);

    /// <summary><c>string.hmac_sha512</c>: the HMAC-SHA512 of the UTF-8 text with <paramref name="secretKey"/>, lower-case hex.</summary>
    public static string HmacSha512(TemplateContext context, string? text, string? secretKey) => Hash(context, HashAlgorithmName.SHA512, text, secretKey ?? string.Empty);

    /// <summary>Characters hashed between two charges of the work budget (and checks of the cancellation token).</summary>
    private const int HashChunk = 16 * 1024;

    /// <summary>
    /// Hashes (or, with a key, HMACs) the UTF-8 text chunk by chunk, charging each chunk to <see cref="TemplateLimits.MaxWork"/>
    /// before hashing it, so a long text stops at the limit or on cancellation midway instead of after the whole hash.
    /// </summary>
    private static string Hash(TemplateContext context, HashAlgorithmName algorithm, string? text, string? key)
    {
        text ??= string.Empty;
        using var hash = key is null ? IncrementalHash.CreateHash(algorithm) : IncrementalHash.CreateHMAC(algorithm, Encoding.UTF8.GetBytes(key));
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(HashChunk));
        try
        {
            var encoder = Encoding.UTF8.GetEncoder();
            for (var start = 0; start < text.Length; start += HashChunk)
            {
                var length = Math.Min(HashChunk, text.Length - start);
                context.ChargeCharacters(length);
                var bytes = encoder.GetBytes(text.AsSpan(start, length), buffer, flush: start + length == text.Length);
                hash.AppendData(buffer, 0, bytes);
            }

            return Hex(hash.GetHashAndReset());
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary><c>string.pad_left</c>: pads with leading spaces to <paramref name="width"/> characters (bounded by <see cref="TemplateLimits.MaxStringLength"/>).</summary>
    public static string PadLeft(TemplateContext context, string? text, int width)
    {
        text ??= string.Empty;
        context.CheckStringLength(width);
        return text.PadLeft(Math.Max(0, width));
    }

    /// <summary><c>string.pad_right</c>: pads with trailing spaces to <paramref name="width"/> characters (bounded by <see cref="TemplateLimits.MaxStringLength"/>).</summary>
    public static string PadRight(TemplateContext context, string? text, int width)
    {
        text ??= string.Empty;
        context.CheckStringLength(width);
        return text.PadRight(Math.Max(0, width));
    }

    /// <summary><c>string.base64_encode</c>: the Base64 form of the UTF-8 text.</summary>
    public static string Base64Encode(TemplateContext context, string? text)
    {
        text ??= string.Empty;
        var bytes = Encoding.UTF8.GetBytes(text);
        context.CheckStringLength(((long)bytes.Length + 2) / 3 * 4);
        return Convert.ToBase64String(bytes);
    }

    /// <summary><c>string.base64_decode</c>: decodes Base64 into UTF-8 text.</summary>
    public static string Base64Decode(TemplateContext context, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(text));
        }
        catch (FormatException)
        {
            throw context.Error($"`string.base64_decode` got text that is not valid Base64 (length {text.Length}). Pass text produced by `string.base64_encode`.");
        }
    }

    /// <summary>
    /// <c>string.index_of</c>: the zero-based position of <paramref name="search"/> in <paramref name="text"/> (-1 when absent),
    /// optionally from <paramref name="startIndex"/> over <paramref name="count"/> characters, compared with
    /// <paramref name="stringComparison"/> (<c>Ordinal</c>, <c>OrdinalIgnoreCase</c>, <c>InvariantCulture</c>…; ordinal by default).
    /// </summary>
    public static int IndexOf(TemplateContext context, string? text, string? search, int? startIndex = null, int? count = null, string? stringComparison = null)
    {
        if (text is null || search is null)
        {
            return -1;
        }

        var comparison = StringComparison.Ordinal;
        if (!string.IsNullOrEmpty(stringComparison) && !Enum.TryParse(stringComparison, ignoreCase: true, out comparison))
        {
            throw context.Error($"Unknown string comparison `{stringComparison}`. Use one of Ordinal, OrdinalIgnoreCase, InvariantCulture, InvariantCultureIgnoreCase, CurrentCulture, CurrentCultureIgnoreCase.");
        }

        var start = Math.Clamp(startIndex ?? 0, 0, text.Length);
        var length = Math.Clamp(count ?? text.Length - start, 0, text.Length - start);
        if (comparison is StringComparison.CurrentCulture or StringComparison.CurrentCultureIgnoreCase)
        {
            var options = comparison == StringComparison.CurrentCulture ? CompareOptions.None : CompareOptions.IgnoreCase;
            return context.Culture.CompareInfo.IndexOf(text, search, start, length, options);
        }

        return text.IndexOf(search, start, length, comparison);
    }

    private static string Hex(byte[] hash) => Convert.ToHexString(hash).ToLowerInvariant();

    private static string SliceCore(string? text, int start, int length)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        long from = start;
        long count = length;
        if (from < 0)
        {
            from += text.Length;
        }

        if (from < 0)
        {
            count += from;
            from = 0;
        }

        if (count <= 0 || from >= text.Length)
        {
            return string.Empty;
        }

        count = Math.Min(count, text.Length - from);
        return text.Substring((int)from, (int)count);
    }

    private static void AppendEscaped(TemplateContext context, StringBuilder builder, string text)
    {
        foreach (var c in text)
        {
            switch (c)
            {
                case '\\': builder.Append("\\\\"); break;
                case '"': builder.Append("\\\""); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\0': builder.Append("\\0"); break;
                case '\a': builder.Append("\\a"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                case '\v': builder.Append("\\v"); break;
                default:
                    if (char.IsControl(c))
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        context.CheckStringLength(builder.Length);
    }
}
