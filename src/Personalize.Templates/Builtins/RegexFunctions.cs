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
            var regex = Get(context, pattern, options);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var match = regex.Match(text ?? string.Empty);
            Charge(context, text, started);
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
            var regex = Get(context, pattern, options);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var match = regex.Match(text ?? string.Empty);
            while (match.Success)
            {
                context.ChargeLoopIterations();
                result.Add(Groups(context, match));
                match = match.NextMatch();
            }

            Charge(context, text, started);
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
            // The output is measured while it is built (each replacement checked), never after: a short replacement of
            // every character of a long text cannot allocate gigabytes first.
            var input = text ?? string.Empty;
            var regex = Get(context, pattern, options);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            long grown = input.Length;
            var replacement = replace ?? string.Empty;
            var result = regex.Replace(input, match =>
            {
                var part = match.Result(replacement);
                grown += part.Length - match.Length;
                context.EnsureStringLength(grown);
                return part;
            });
            Charge(context, text, started);
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
            var regex = Get(context, pattern, options);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var parts = regex.Split(text ?? string.Empty);
            Charge(context, text, started);
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

    /// <summary>
    /// Charges a regular expression's work (<see cref="TemplateLimits.MaxWork"/>): one unit per character of the text, or one
    /// per 200 ns the match ran when that is more, so that many evaluations each just under <see cref="TemplateLimits.RegexTimeout"/>
    /// still add up to a limit within about a second. Building the regex is not timed (it is cached).
    /// </summary>
    private static void Charge(TemplateContext context, string? text, long started)
    {
        var ran = System.Diagnostics.Stopwatch.GetElapsedTime(started).Ticks / 2;
        context.ChargeWork(Math.Max(text?.Length ?? 0, ran));
    }

    private const int MaxCachedRegexes = 512;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Pattern, RegexOptions Options, TimeSpan Timeout), Regex> Cache = new();

    /// <summary>The regex for a pattern, options and the render's timeout, built once (bounded cache).</summary>
    private static Regex Get(TemplateContext context, string pattern, string? options)
    {
        var key = (pattern, ParseOptions(context, options), context.Limits.RegexTimeout);
        if (Cache.TryGetValue(key, out var regex))
        {
            return regex;
        }

        regex = new Regex(key.pattern, key.Item2, key.RegexTimeout);
        if (Cache.Count >= MaxCachedRegexes)
        {
            Cache.Clear();
        }

        Cache.TryAdd(key, regex);
        return regex;
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
