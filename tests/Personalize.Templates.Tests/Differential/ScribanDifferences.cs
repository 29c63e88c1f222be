using System.Text.RegularExpressions;

namespace Personalize.Templates.Tests.Differential;

/// <summary>
/// The documented classes of difference between this engine and Scriban 7.6.1 (docs/templates.md, "Differences from Scriban
/// found by the differential tests", lists each with its reason). A difference is explained only when the template uses the
/// construct the class names and the outcomes differ the way it says. A crash of this engine is never explained.
/// </summary>
internal static partial class ScribanDifferences
{
    public const string CrashPrefix = "CRASH ";

    private static readonly (string Name, Func<string, RenderOutcome, RenderOutcome, bool> Matches)[] Classes =
    [
        ("S1 .NET type names: Scriban prints an array or object inside an interpolated string as its .NET type name (`Scriban.Runtime.ScriptArray`); this engine prints the value",
            static (t, o, s) => t.Contains("$\"", StringComparison.Ordinal) && s.Succeeded && s.Text.Contains("Scriban.Runtime.", StringComparison.OrdinalIgnoreCase)),
        ("S2 .NET exceptions: Scriban fails with a leaked .NET exception or conversion error (`Value cannot be null`, `Argument … cannot be null`, `Unable to convert type`, `Object reference`, `Index was outside`); this engine gives nil or empty results as its builtins document",
            static (t, o, s) => !s.Succeeded && o.Succeeded && LeakedDotNet().IsMatch(s.Text)),
        ("S3 text as .NET characters: Scriban's array functions, object.keys/values and for read text as a list of .NET chars or expose string's .NET members (`\"ab\" | array.reverse` is [b, a], `object.values \"x\"` is its Length); this engine treats text as one value",
            static (t, o, s) => TextAsArray().IsMatch(t) || (!o.Succeeded && ArrayFunctionOnText().IsMatch(o.Text))),
        ("S4 booleans as numbers in builtins: Scriban's math and string builtins convert true/false to 1/0 or \"true\" (`math.abs true`); this engine asks for a number",
            static (t, o, s) => !o.Succeeded && o.Text.Contains("(bool)", StringComparison.Ordinal) && s.Succeeded),
        ("S5 ternary with a negative literal: Scriban reads `c ? -1.5 : x` as a named argument and fails to parse it; this engine parses the conditional",
            static (t, o, s) => !s.Succeeded && s.Text.Contains("in order to create a named argument", StringComparison.Ordinal) && NegativeTernary().IsMatch(t)),
        ("S6 `case`/`when` with an array beside a number or boolean: Scriban fails (`The operator == is not supported between int and array`); this engine's `when` does not match",
            static (t, o, s) => !s.Succeeded && s.Text.Contains("Expecting an array for the", StringComparison.Ordinal) && t.Contains("when ", StringComparison.Ordinal) && (WhenArray().IsMatch(t) || CaseArray().IsMatch(t))),
        ("S7 `math.divided_by` by zero: Scriban prints a .NET conversion artefact (2147483647, -2147483648 or 0: infinity or NaN cast to an int); this engine reports the division by zero",
            static (t, o, s) => !o.Succeeded && o.Text.Contains("Division by zero", StringComparison.Ordinal) && s.Succeeded && t.Contains("divided_by", StringComparison.Ordinal)),
        ("S8 array functions given a number or boolean: Scriban reads it as an empty list or fails with a .NET conversion error; this engine reports that the argument is not an array",
            static (t, o, s) => !o.Succeeded && ArrayFunctionOnScalar().IsMatch(o.Text)),
    ];

    public static IEnumerable<string> Names => Classes.Select(c => c.Name);

    public static string? Classify(string source, RenderOutcome ours, RenderOutcome scriban)
    {
        if (ours.Text.StartsWith(CrashPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        foreach (var (name, matches) in Classes)
        {
            if (matches(source, ours, scriban))
            {
                return name;
            }
        }

        return null;
    }

    [GeneratedRegex(@"\?\s*-[\d(\w]")]
    private static partial Regex NegativeTernary();

    [GeneratedRegex(@"when [^}]*(\[|\{\})")]
    private static partial Regex WhenArray();

    [GeneratedRegex(@"case (\[|\{\})")]
    private static partial Regex CaseArray();

    [GeneratedRegex(@"Expected an array for `list2?`, not `[^`]*` \(string\)")]
    private static partial Regex ArrayFunctionOnText();

    [GeneratedRegex(@"Expected an array for `list2?`, not `[^`]*` \((int|long|double|decimal|bool)\)")]
    private static partial Regex ArrayFunctionOnScalar();

    [GeneratedRegex(@"Value cannot be null|cannot be null for function|Unable to convert type|Object reference not set|Index was outside|Specified argument was out of the range|Input string was not in a correct format|cannot be an empty string")]
    private static partial Regex LeakedDotNet();

    [GeneratedRegex(@"(array\.\w+|object\.(keys|values|size|has_key)|string\.\w+)\s+('[^']*'|""[^""]*""|name|city|greeting|html|num_s|csv|multi|empty_s|words\[0\]|user\.name|user\.address\.\w+|products\[\d\]\.title|products\[2\]\.tags\[0\]|user\[""name""\])|(name|city|greeting|html|num_s|csv|multi|empty_s|words\[0\]|user\.name|user\.address\.\w+|products\[\d\]\.title|products\[2\]\.tags\[0\]|user\[""name""\]|'[^']*'|""[^""]*"")\s*\|\s*(array\.|object\.(keys|values|size))")]
    private static partial Regex TextAsArray();
}
