using System.Text.RegularExpressions;
using Personalize.Templates.Runtime;

namespace Personalize.Templates.Builtins;

/// <summary>
/// The <c>regex</c> builtin object. Every evaluation runs with <see cref="TemplateLimits.RegexTimeout"/>; a timeout stops
/// the render with a <see cref="TemplateLimitExceededException"/>. Options are a string of <c>i</c> (ignore case),
/// <c>m</c> (multiline), <c>s</c> (single line) and <c>x</c> (ignore pattern white space).
/// </summary>
internal static class RegexFunctions
{
    /// <summary><c>regex.escape</c>: escapes the regex metacharacters of <paramref name="pattern"/>.</summary>
    public static string Escape(string? pattern) => pattern is null ? string.Empty : Regex.Escape(pattern);

    /// <summary><c>regex.match</c>: the first match as an array (whole match, then groups); empty when nothing matches.</summary>
    public static ScriptArray Match(TemplateContext context, string? text, string pattern, string? options = null)
    {
        try
        {
            var match = Regex.Match(text ?? string.Empty, pattern, ParseOptions(context, options), context.Limits.RegexTimeout);
            return match.Success ? Groups(context, match) : new ScriptArray();
        }
        catch (Exception ex) when (ex is RegexMatchTimeoutException or ArgumentException)
        {
            throw Failure(context, pattern, ex);
        }
    }

    /// <summary><c>regex.matches</c>: every match, each as an array (whole match, then groups).</summary>
    public static ScriptArray Matches(TemplateContext context, string? text, string pattern, string? options = null)
    {
        try
        {
            var result = new ScriptArray();
            var match = Regex.Match(text ?? string.Empty, pattern, ParseOptions(context, options), context.Limits.RegexTimeout);
            while (match.Success)
            {
                context.ChargeLoopIterations();
                result.Add(Groups(context, match));
                match = match.NextMatch();
            }

            return result;
        }
        catch (Exception ex) when (ex is RegexMatchTimeoutException or ArgumentException)
        {
            throw Failure(context, pattern, ex);
        }
    }

    /// <summary><c>regex.replace</c>: replaces every match of <paramref name="pattern"/> in <paramref name="text"/> (<c>$1</c> refers to groups).</summary>
    public static string Replace(TemplateContext context, string? text, string pattern, string? replace, string? options = null)
    {
        try
        {
            var result = Regex.Replace(text ?? string.Empty, pattern, replace ?? string.Empty, ParseOptions(context, options), context.Limits.RegexTimeout);
            context.CheckStringLength(result.Length);
            return result;
        }
        catch (Exception ex) when (ex is RegexMatchTimeoutException or ArgumentException)
        {
            throw Failure(context, pattern, ex);
        }
    }

    /// <summary><c>regex.split</c>: the parts of <paramref name="text"/> between matches of <paramref name="pattern"/>.</summary>
    public static ScriptArray Split(TemplateContext context, string? text, string pattern, string? options = null)
    {
        try
        {
            var parts = Regex.Split(text ?? string.Empty, pattern, ParseOptions(context, options), context.Limits.RegexTimeout);
            context.ChargeLoopIterations(parts.Length);
            var result = new ScriptArray(parts.Length);
            foreach (var part in parts)
            {
                result.Add(part);
            }

            return result;
        }
        catch (Exception ex) when (ex is RegexMatchTimeoutException or ArgumentException)
        {
            throw Failure(context, pattern, ex);
        }
    }

    /// <summary><c>regex.unescape</c>: turns escaped characters (<c>\(</c>, <c>\n</c>…) back into the characters.</summary>
    public static string Unescape(TemplateContext context, string? pattern)
    {
        if (pattern is null)
        {
            return string.Empty;
        }

        try
        {
            return Regex.Unescape(pattern);
        }
        catch (ArgumentException ex)
        {
            throw context.Error($"`regex.unescape` got an invalid escape sequence: {ex.Message}");
        }
    }

    internal static RegexOptions ParseOptions(TemplateContext context, string? options)
    {
        var result = RegexOptions.CultureInvariant;
        if (options is null)
        {
            return result;
        }

        foreach (var c in options)
        {
            result |= c switch
            {
                'i' => RegexOptions.IgnoreCase,
                'm' => RegexOptions.Multiline,
                's' => RegexOptions.Singleline,
                'x' => RegexOptions.IgnorePatternWhitespace,
                _ => throw context.Error($"Unknown regex option `{c}` in `{options}`. Use any of i (ignore case), m (multiline), s (single line), x (ignore pattern white space)."),
            };
        }

        return result;
    }

    private static TemplateRuntimeException Failure(TemplateContext context, string pattern, Exception ex)
    {
        if (ex is RegexMatchTimeoutException)
        {
            return new TemplateLimitExceededException(
                nameof(TemplateLimits.RegexTimeout),
                (long)context.Limits.RegexTimeout.TotalMilliseconds,
                $"The regular expression `{pattern}` ran longer than {context.Limits.RegexTimeout.TotalMilliseconds} ms (TemplateLimits.RegexTimeout). Simplify the pattern (avoid nested quantifiers such as `(a+)+`) or raise the limit.",
                context.CurrentSpan,
                context.SourceName);
        }

        return context.Error($"Invalid regular expression `{pattern}`: {ex.Message}");
    }

    private static ScriptArray Groups(TemplateContext context, Match match)
    {
        context.ChargeLoopIterations(match.Groups.Count);
        var groups = new ScriptArray(match.Groups.Count);
        foreach (Group group in match.Groups)
        {
            groups.Add(group.Value);
        }

        return groups;
    }
}
