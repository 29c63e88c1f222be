using System.Text.RegularExpressions;

namespace Personalize.Templates.Tests.Differential;

/// <summary>
/// The named exclusions of the differential test: places where Scriban 7.6.1 is wrong or unsafe and this engine deliberately
/// keeps its own behaviour. Each class has its reason and an example template (docs/templates.md, "Differences from Scriban
/// found by the differential tests", lists the same), and a predicate keyed on the construct and on the shape of the
/// difference, so it explains only what it names. A difference that is merely a difference is fixed in the engine, never
/// classified; a crash of this engine is never explained.
/// </summary>
internal static partial class ScribanDifferences
{
    public const string CrashPrefix = "CRASH ";

    public static IReadOnlyList<ScribanDifferenceClass> Classes { get; } =
    [
        new(
            "S1",
            ".NET type names: Scriban prints an array or object inside an interpolated string as its .NET type name (`Scriban.Runtime.ScriptArray`); this engine prints the value, as it does outside interpolation.",
            "{{ $\"{[1, 2]}\" }}",
            static (t, o, s) => t.Contains("$\"", StringComparison.Ordinal) && o.Succeeded && s.Succeeded && (t.Contains(InterpolatedList, StringComparison.Ordinal)
                ? AgreesOnceTypeNamePrinted(t, s)
                : s.Text.Contains("Scriban.Runtime.", StringComparison.OrdinalIgnoreCase))),
        new(
            "S2",
            ".NET exceptions: Scriban fails with a leaked .NET exception or conversion message (`Value cannot be null`, `Object reference not set`, `Index was outside the bounds`, `Unable to convert type `string` to `IDictionary<string, Object>``) that names .NET internals a template author cannot act on; this engine's builtins give the nil, false or empty result they document.",
            "{{ object.has_key 'x' 'text' }}",
            static (t, o, s) => !s.Succeeded && o.Succeeded && LeakedDotNet().IsMatch(s.Text)),
        new(
            "S3",
            "text as .NET characters: Scriban's array functions read non-empty text as a list of .NET `char`s (UTF-16 code units, so an emoji splits in two, and a char prints unquoted and types as `number`); this engine treats text as one value: an array function on non-empty text is an error naming the argument (empty text is an empty list in both), a `for` over text gives one-character texts.",
            "{{ 'ab' | array.reverse }}",
            static (t, o, s) => (!o.Succeeded && ArrayFunctionOnText().IsMatch(o.Text))
                || (TextAsArray().IsMatch(t) && s.Succeeded && CharList().IsMatch(s.Text))
                || (t.Contains("object.typeof", StringComparison.Ordinal) && ForOverText().IsMatch(t) && o.Succeeded && s.Succeeded && s.Text.Contains("number", StringComparison.OrdinalIgnoreCase))),
        new(
            "S5",
            "ternary with a negative literal: Scriban reads `c ? -1.5 : x` as a named argument and fails to parse a valid conditional; this engine parses the conditional.",
            "{{ true ? -1.5 : 2 }}",
            static (t, o, s) => !s.Succeeded && s.Text.Contains("in order to create a named argument", StringComparison.Ordinal) && NegativeTernary().IsMatch(t)),
        new(
            "S7",
            "`math.divided_by` by zero: Scriban prints a .NET conversion artefact (2147483647, -2147483648 or 0: infinity or NaN cast to an int) as if it were the quotient; this engine reports the division by zero.",
            "{{ 5 | math.divided_by 0 }}",
            static (t, o, s) => !o.Succeeded && o.Text.Contains("Division by zero", StringComparison.Ordinal) && s.Succeeded && t.Contains("divided_by", StringComparison.Ordinal)),
        new(
            "S8",
            "array functions given a number or boolean: Scriban silently reads it as an empty list (`2 | array.map 'x'` prints `[]`, hiding the template's mistake) or fails with a .NET conversion error; this engine reports that the argument is not an array.",
            "{{ 2 | array.map 'x' }}",
            static (t, o, s) => !o.Succeeded && ArrayFunctionOnScalar().IsMatch(o.Text)),
        new(
            "S9",
            "`??` evaluates its fallback even when it is not used: Scriban evaluates the right side of `a ?? b` when `a` is not null, so an error in an unused fallback fails the whole render; this engine evaluates the fallback only when it is needed, as `??` does in C# and JavaScript.",
            "{{ 'x' ?? (1 / [1]) }}",
            static (t, o, s) => o.Succeeded && !s.Succeeded && UnusedFallbackFailed(t, o, s)),
    ];

    public static IEnumerable<string> Names => Classes.Select(c => c.Name);

    public static string? Classify(string source, RenderOutcome ours, RenderOutcome scriban)
    {
        if (ours.Text.StartsWith(CrashPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        foreach (var known in Classes)
        {
            if (known.Matches(source, ours, scriban))
            {
                return known.Name;
            }
        }

        return null;
    }

    /// <summary>The generator's one interpolated list.</summary>
    private const string InterpolatedList = "$\"{ints}\"";

    private static readonly Lazy<System.Text.Json.JsonDocument> Model = new(() => System.Text.Json.JsonDocument.Parse(ScribanTemplateGenerator.Model));

    /// <summary>
    /// Whether the outputs agree once the template prints what Scriban prints for the interpolated list (its .NET type name):
    /// S1 explains a difference only when it is the whole difference, even when the text is then measured or transformed.
    /// </summary>
    private static bool AgreesOnceTypeNamePrinted(string template, RenderOutcome scriban) =>
        ScribanDifferential.RenderOurs(template.Replace(InterpolatedList, "\"Scriban.Runtime.ScriptArray\"", StringComparison.Ordinal), Model.Value.RootElement).AgreesWith(scriban);

    /// <summary>
    /// Whether Scriban failed inside the parenthesized fallback of a <c>??</c> that this engine never evaluates: the innermost
    /// <c>?? (…)</c> holding Scriban's error position, replaced by an expression that always fails, leaves this engine's output
    /// unchanged (so the fallback was not used here, and S9 is the whole difference).
    /// </summary>
    private static bool UnusedFallbackFailed(string template, RenderOutcome ours, RenderOutcome scriban)
    {
        var at = ScribanPosition().Match(scriban.Text);
        if (!at.Success)
        {
            return false;
        }

        // Scriban's (line, column) as an offset into the template, both 1-based.
        var line = int.Parse(at.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var offset = 0;
        for (var l = 1; l < line && offset >= 0; l++)
        {
            offset = template.IndexOf('\n', offset) is var n and >= 0 ? n + 1 : -1;
        }

        if (offset < 0)
        {
            return false;
        }

        offset += int.Parse(at.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) - 1;
        (int Open, int Close)? innermost = null;
        for (var i = template.IndexOf("?? (", StringComparison.Ordinal); i >= 0; i = template.IndexOf("?? (", i + 1, StringComparison.Ordinal))
        {
            var open = i + 3;
            var close = open;
            for (var depth = 0; close < template.Length; close++)
            {
                depth += template[close] switch { '(' => 1, ')' => -1, _ => 0 };
                if (depth == 0)
                {
                    break;
                }
            }

            if (open < offset && offset < close && (innermost is null || open > innermost.Value.Open))
            {
                innermost = (open, close);
            }
        }

        if (innermost is not { } fallback)
        {
            return false;
        }

        var probe = template[..(fallback.Open + 1)] + "1 / [1]" + template[fallback.Close..];
        return ScribanDifferential.RenderOurs(probe, Model.Value.RootElement).AgreesWith(ours);
    }

    [GeneratedRegex(@"text\((\d+),(\d+)\)")]
    private static partial Regex ScribanPosition();

    [GeneratedRegex(@"\?\s*-[\d(\w]")]
    private static partial Regex NegativeTernary();

    [GeneratedRegex(@"Expected an array for `list\d?`, not `[^`]*` \(string\)")]
    private static partial Regex ArrayFunctionOnText();

    [GeneratedRegex(@"Expected an array for `list2?`, not `[^`]*` \((int|long|double|decimal|bool)\)")]
    private static partial Regex ArrayFunctionOnScalar();

    [GeneratedRegex(@"Value cannot be null|cannot be null for function|Unable to convert type|Object reference not set|Index was outside|Specified argument was out of the range|Input string was not in a correct format|cannot be an empty string|\(Parameter '\w+'\)")]
    private static partial Regex LeakedDotNet();

    /// <summary>A list of single characters as Scriban prints a string read as chars: <c>[b, a]</c>, <c>[ö]</c>, <c>[a, ,, b]</c>.</summary>
    [GeneratedRegex(@"\[.(, .)*(, \[\])?\]", RegexOptions.Singleline)]
    private static partial Regex CharList();

    /// <summary>A <c>for</c> over a text of the model or a literal.</summary>
    [GeneratedRegex(@"for x in (name|empty_s|'[^']*'|""[^""]*"")")]
    private static partial Regex ForOverText();

    /// <summary>An array or object function given text (a text literal or a text of the model), as an argument or through a pipe.</summary>
    [GeneratedRegex(@"(array\.\w+|object\.(keys|values|size|has_key))\s+('[^']*'|""[^""]*""|name|city|greeting|html|num_s|csv|multi|empty_s|words\[0\]|user\.name|user\.address\.\w+|products\[\d\]\.title|products\[2\]\.tags\[0\]|user\[""name""\])|(name|city|greeting|html|num_s|csv|multi|empty_s|words\[0\]|user\.name|user\.address\.\w+|products\[\d\]\.title|products\[2\]\.tags\[0\]|user\[""name""\]|'[^']*'|""[^""]*""|string\.\w+)\s*\|\s*(array\.|object\.(keys|values|size))")]
    private static partial Regex TextAsArray();
}

/// <summary>One named exclusion: where Scriban is wrong or unsafe, why, an example, and the shape of the difference it explains.</summary>
internal sealed record ScribanDifferenceClass(string Code, string Reason, string Example, Func<string, RenderOutcome, RenderOutcome, bool> Matches)
{
    public string Name => Code + " " + Reason;
}
