using System.Text.RegularExpressions;
using Personalize.Templates.Runtime;

namespace Personalize.Templates.Builtins;

/// <summary>
/// The <c>regex</c> builtin object. Every evaluation is charged to <see cref="TemplateLimits.MaxWork"/> by the text's length
/// times the pattern's cost before it runs (deterministic: never by the time it took), and runs with
/// <see cref="TemplateLimits.RegexTimeout"/> as the hard stop; either failure stops the render with a
/// <see cref="TemplateLimitExceededException"/>. Options are a string of <c>i</c> (ignore case),
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
            var regex = Get(context, pattern, options, text);
            var match = regex.Match(text ?? string.Empty);
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
            var regex = Get(context, pattern, options, text);
            var match = regex.Match(text ?? string.Empty);
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
            // The output is measured while it is built (each replacement checked), never after: a short replacement of
            // every character of a long text cannot allocate gigabytes first.
            var input = text ?? string.Empty;
            var regex = Get(context, pattern, options, text);
            long grown = input.Length;
            var replacement = replace ?? string.Empty;
            var result = regex.Replace(input, match =>
            {
                var part = match.Result(replacement);
                grown += part.Length - match.Length;
                context.EnsureStringLength(grown);
                return part;
            });
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
            var regex = Get(context, pattern, options, text);
            var parts = regex.Split(text ?? string.Empty);
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

    private const int MaxCachedRegexes = 512;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Pattern, RegexOptions Options, TimeSpan Timeout), (Regex Regex, int Cost)> Cache = new();

    /// <summary>
    /// The regex for a pattern, options and the render's timeout, built once (bounded cache), after charging its run on
    /// <paramref name="text"/> to <see cref="TemplateLimits.MaxWork"/>: the text's length times the pattern's cost
    /// (<see cref="PatternCost"/>). The charge depends only on the pattern and the text, never on how long the match took,
    /// so the same template and data always pass or fail the same way; <see cref="TemplateLimits.RegexTimeout"/> stays
    /// the hard stop of a single evaluation.
    /// </summary>
    private static Regex Get(TemplateContext context, string pattern, string? options, string? text)
    {
        var key = (pattern, ParseOptions(context, options), context.Limits.RegexTimeout);
        if (!Cache.TryGetValue(key, out var entry))
        {
            entry = Build(key.pattern, key.Item2, key.RegexTimeout);
            if (Cache.Count >= MaxCachedRegexes)
            {
                Cache.Clear();
            }

            Cache.TryAdd(key, entry);
        }

        var length = Math.Max(1, text?.Length ?? 0);
        context.ChargeWork(length > long.MaxValue / entry.Cost ? long.MaxValue : length * entry.Cost);
        return entry.Regex;
    }

    /// <summary>
    /// Builds a regex and its cost per character of text. A pattern that can backtrack exponentially (a quantified group
    /// holding a quantifier, such as <c>(a+)+</c>, or a back-reference) runs on .NET's non-backtracking engine when that
    /// supports it, so its time stays linear in the text; otherwise its cost is multiplied by <see cref="BacktrackingPenalty"/>.
    /// </summary>
    private static (Regex Regex, int Cost) Build(string pattern, RegexOptions options, TimeSpan timeout)
    {
        var cost = PatternCost(pattern, out var risky);
        if (risky)
        {
            try
            {
                return (new Regex(pattern, options | RegexOptions.NonBacktracking, timeout), cost);
            }
            catch (NotSupportedException)
            {
                // Back-references, look-arounds, atomic groups: only the backtracking engine runs them.
                return (new Regex(pattern, options, timeout), cost * BacktrackingPenalty);
            }
        }

        return (new Regex(pattern, options, timeout), cost);
    }

    /// <summary>The cost multiplier of a pattern that may backtrack exponentially and the non-backtracking engine cannot run.</summary>
    internal const int BacktrackingPenalty = 64;

    /// <summary>
    /// The work one character of text costs under a pattern: 1, plus 1 per quantifier and per alternation, plus 1 per 16
    /// characters of pattern (capped at 256). <paramref name="risky"/> tells whether it may backtrack exponentially: a
    /// quantifier after a group that holds a quantifier or an alternation, or a back-reference.
    /// </summary>
    internal static int PatternCost(string? pattern, out bool risky)
    {
        risky = false;
        if (pattern is null)
        {
            // The regex constructor reports the missing pattern.
            return 1;
        }

        var cost = 1 + (pattern.Length >> 4);
        var groupHasQuantifier = new Stack<bool>();
        var lastGroupHadQuantifier = false;
        var inClass = false;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                var next = pattern[++i];
                if (!inClass && (next is >= '1' and <= '9' || next == 'k'))
                {
                    risky = true;
                }

                lastGroupHadQuantifier = false;
                continue;
            }

            if (inClass)
            {
                inClass = c != ']';
                continue;
            }

            switch (c)
            {
                case '[':
                    inClass = true;
                    lastGroupHadQuantifier = false;
                    break;
                case '(':
                    groupHasQuantifier.Push(false);
                    lastGroupHadQuantifier = false;
                    break;
                case ')':
                    lastGroupHadQuantifier = groupHasQuantifier.Count > 0 && groupHasQuantifier.Pop();
                    if (lastGroupHadQuantifier && groupHasQuantifier.Count > 0)
                    {
                        groupHasQuantifier.Pop();
                        groupHasQuantifier.Push(true);
                    }

                    break;
                case '*' or '+' or '?' or '{':
                    cost++;
                    if (lastGroupHadQuantifier && !(c == '?' && i > 0 && pattern[i - 1] is '*' or '+' or '?' or '}'))
                    {
                        risky = true;
                    }

                    if (groupHasQuantifier.Count > 0)
                    {
                        groupHasQuantifier.Pop();
                        groupHasQuantifier.Push(true);
                    }

                    lastGroupHadQuantifier = false;
                    break;
                case '|':
                    cost++;
                    if (groupHasQuantifier.Count > 0)
                    {
                        groupHasQuantifier.Pop();
                        groupHasQuantifier.Push(true);
                    }

                    break;
                default:
                    lastGroupHadQuantifier = false;
                    break;
            }
        }

        return Math.Min(cost, 256);
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
