using System.Text.RegularExpressions;
using Personalize.Templates.Runtime;

namespace Personalize.Templates.Builtins;

/// <summary>The <c>regex</c> builtin object (the subset the core language tests need). Every match runs with <see cref="TemplateLimits.RegexTimeout"/>.</summary>
internal static class RegexFunctions
{
    /// <summary><c>regex.replace</c>: replaces every match of <paramref name="pattern"/> in <paramref name="text"/>.</summary>
    public static string Replace(TemplateContext context, string? text, string pattern, string? replace, string? options = null)
    {
        try
        {
            var regex = new Regex(pattern, ParseOptions(options), context.Limits.RegexTimeout);
            var result = regex.Replace(text ?? string.Empty, replace ?? string.Empty);
            context.CheckStringLength(result.Length);
            return result;
        }
        catch (RegexMatchTimeoutException)
        {
            throw new TemplateLimitExceededException(nameof(TemplateLimits.RegexTimeout), (long)context.Limits.RegexTimeout.TotalMilliseconds, $"The regular expression `{pattern}` ran longer than {context.Limits.RegexTimeout.TotalMilliseconds} ms (TemplateLimits.RegexTimeout). Simplify the pattern.", context.CurrentSpan, context.SourceName);
        }
        catch (ArgumentException ex)
        {
            throw context.Error($"Invalid regular expression `{pattern}`: {ex.Message}");
        }
    }

    internal static RegexOptions ParseOptions(string? options)
    {
        var result = RegexOptions.None;
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
                _ => RegexOptions.None,
            };
        }

        return result;
    }
}
