using System.Globalization;
using System.Text;
using Personalize.Templates.Runtime;

namespace Personalize.Templates.Builtins;

/// <summary>The <c>string</c> builtin object (the subset the core language tests need; the rest comes with the builtin library).</summary>
internal static class StringFunctions
{
    /// <summary><c>string.append</c>: <paramref name="text"/> followed by <paramref name="with"/>.</summary>
    public static string Append(TemplateContext context, string? text, string? with)
    {
        context.CheckStringLength((long)(text?.Length ?? 0) + (with?.Length ?? 0));
        return (text ?? string.Empty) + with;
    }

    /// <summary><c>string.prepend</c>: <paramref name="by"/> followed by <paramref name="text"/>.</summary>
    public static string Prepend(TemplateContext context, string? text, string? by)
    {
        context.CheckStringLength((long)(text?.Length ?? 0) + (by?.Length ?? 0));
        return by + text;
    }

    /// <summary><c>string.upcase</c>: upper case (invariant).</summary>
    public static string Upcase(string? text) => text?.ToUpperInvariant() ?? string.Empty;

    /// <summary><c>string.downcase</c>: lower case (invariant).</summary>
    public static string Downcase(string? text) => text?.ToLowerInvariant() ?? string.Empty;

    /// <summary><c>string.capitalize</c>: first character upper case.</summary>
    public static string Capitalize(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        return char.ToUpperInvariant(text[0]) + text[1..];
    }

    /// <summary><c>string.contains</c>: whether <paramref name="value"/> occurs in <paramref name="text"/> (ordinal).</summary>
    public static bool Contains(string? text, string? value) => text is not null && value is not null && text.Contains(value, StringComparison.Ordinal);

    /// <summary><c>string.starts_with</c>.</summary>
    public static bool StartsWith(string? text, string? value) => text is not null && value is not null && text.StartsWith(value, StringComparison.Ordinal);

    /// <summary><c>string.ends_with</c>.</summary>
    public static bool EndsWith(string? text, string? value) => text is not null && value is not null && text.EndsWith(value, StringComparison.Ordinal);

    /// <summary><c>string.handleize</c>: lower-case letters and digits joined by single dashes (<c>"A b!"</c> → <c>"a-b"</c>).</summary>
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
                if (pendingDash && builder.Length > 0)
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

    /// <summary><c>string.size</c>: the number of characters (0 for null).</summary>
    public static int Size(string? text) => text?.Length ?? 0;

    /// <summary>
    /// <c>string.truncate</c>: cuts <paramref name="text"/> to <paramref name="length"/> characters including the
    /// <paramref name="ellipsis"/> (<c>"..."</c> by default).
    /// </summary>
    public static string? Truncate(string? text, int length, string? ellipsis = null)
    {
        ellipsis ??= "...";
        if (text is null)
        {
            return null;
        }

        if (text.Length <= length)
        {
            return text;
        }

        var keep = length - ellipsis.Length;
        if (keep <= 0)
        {
            return ellipsis;
        }

        return string.Concat(text.AsSpan(0, keep), ellipsis);
    }

    /// <summary><c>string.strip</c>: removes leading and trailing white space.</summary>
    public static string Strip(string? text) => text?.Trim() ?? string.Empty;

    /// <summary><c>string.replace</c>: replaces every occurrence (ordinal).</summary>
    public static string Replace(TemplateContext context, string? text, string? match, string? replace)
    {
        if (string.IsNullOrEmpty(text) || string.IsNullOrEmpty(match))
        {
            return text ?? string.Empty;
        }

        var result = text.Replace(match, replace ?? string.Empty, StringComparison.Ordinal);
        context.CheckStringLength(result.Length);
        return result;
    }

    /// <summary><c>string.to_int</c>: parses an integer (null when not a number).</summary>
    public static object? ToInt(string? text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
