using System.Text.RegularExpressions;

namespace Personalize.Templates.Tests.Liquid.Differential;

/// <summary>
/// The known classes of difference between this engine and Fluid 3.0.0: each is a place where Fluid departs from Shopify's
/// Liquid and this engine follows Shopify (docs/liquid.md lists them with the evidence). A difference is explained only when
/// the template uses the construct the class names (and, where it can be checked, the outputs differ the way it says).
/// </summary>
internal static partial class FluidDifferences
{
    private static readonly (string Name, Func<string, Outcome, Outcome, bool> Matches)[] Classes =
    [
        ("reverse of text: Shopify reverses the one-item list [text], so the text is unchanged; Fluid reverses the characters",
            static (t, o, f) => t.Contains("| reverse", StringComparison.Ordinal)),
        ("base64_url_safe_encode keeps the = padding in Shopify (Ruby's urlsafe_encode64; Golden Liquid \"base64 url safe encode, from string\"); Fluid drops it",
            static (t, o, f) => t.Contains("base64_url_safe_encode", StringComparison.Ordinal) && o.Succeeded && f.Succeeded
                && (o.Text.Replace("=", string.Empty, StringComparison.Ordinal).Replace("%3D", string.Empty, StringComparison.Ordinal) == f.Text.Replace("=", string.Empty, StringComparison.Ordinal)
                    || EncodedThenFiltered().IsMatch(t))),
        ("sort without a property of hashes, or of numbers and text together: Shopify fails (Ruby's <=> cannot order them; Golden Liquid \"filters, sort, incompatible types\"); Fluid sorts them",
            static (t, o, f) => !o.Succeeded && f.Succeeded && t.Contains("| sort", StringComparison.Ordinal) && o.Text.Contains("cannot order", StringComparison.Ordinal)),
        ("float results: Shopify prints Ruby's Float (the shortest text that reads back, -0.0 kept: 2.5 / -3 is -0.8333333333333334, -3 % 0.5 is -0.0); Fluid computes in decimal and prints 15 digits and 0.0",
            static (t, o, f) => o.Succeeded && f.Succeeded && o.Text != f.Text
                && (RoundNumbers(o.Text) == RoundNumbers(f.Text) || o.Text.Replace("-0.0", "0.0", StringComparison.Ordinal) == f.Text)),
        ("== between text and an empty array: Shopify compares with Ruby's == (\"\" == [] is false; only the literals empty and blank compare by emptiness); Fluid finds two empty values equal",
            static (t, o, f) => EmptyArrayComparison().IsMatch(t)),
        ("uniq by a property of a single item that is not a hash: Ruby's Array#uniq never reads the property of a one-item list, so Shopify keeps [item]; Fluid gives nil (a float) or fails (an integer)",
            static (t, o, f) => t.Contains("| uniq: ", StringComparison.Ordinal) && o.Succeeded
                && (f.Succeeded ? HasExtraText(o.Text, f.Text) : f.Text.Contains("cannot select the property", StringComparison.Ordinal))),
        ("date of a value that is not a date: Shopify returns the input unchanged; Fluid prints some date (and the two read loose text such as 3.14 differently)",
            static (t, o, f) => t.Contains("| date:", StringComparison.Ordinal)),
        ("for over text with offset/limit: Shopify loops over [text] and slices that one-item list; Fluid ignores the window",
            static (t, o, f) => TextLoop().IsMatch(t)),
        ("a property of a number or an array (sort/uniq/map/where/compact by 'title' on 1 or [1]): Shopify fails (Integer#[] takes no text key; Golden Liquid \"filters, map, array containing a non object\"); Fluid gives nil",
            static (t, o, f) => !o.Succeeded && o.Text.Contains("cannot read the property", StringComparison.Ordinal)),
        ("a list filter on true/false (sort_natural, compact, …): Shopify works on the one-item list [false] and prints it; Fluid gives an empty list",
            static (t, o, f) => BooleanListFilter().IsMatch(t)),
    ];

    public static string? Classify(string source, Outcome ours, Outcome fluid)
    {
        foreach (var (name, matches) in Classes)
        {
            if (matches(source, ours, fluid))
            {
                return name;
            }
        }

        return null;
    }

    /// <summary>Numbers rounded to 12 significant digits, and negative zero as zero.</summary>
    private static string RoundNumbers(string text) => Number().Replace(text, static m =>
    {
        var value = double.Parse(m.Value, System.Globalization.CultureInfo.InvariantCulture);
        return value == 0 ? "0" : value.ToString("G12", System.Globalization.CultureInfo.InvariantCulture);
    });

    /// <summary>Whether <paramref name="ours"/> is <paramref name="fluid"/> with some text inserted at one place.</summary>
    private static bool HasExtraText(string ours, string fluid)
    {
        if (ours.Length <= fluid.Length)
        {
            return false;
        }

        var prefix = 0;
        while (prefix < fluid.Length && ours[prefix] == fluid[prefix])
        {
            prefix++;
        }

        return ours.EndsWith(fluid[prefix..], StringComparison.Ordinal);
    }

    [GeneratedRegex(@"-?\d+\.\d+")]
    private static partial Regex Number();

    [GeneratedRegex(@"(==|!=)\s*empty_a\b|\bempty_a\s*(==|!=)")]
    private static partial Regex EmptyArrayComparison();

    [GeneratedRegex(@"base64_url_safe_encode\s*\|")]
    private static partial Regex EncodedThenFiltered();

    [GeneratedRegex(@"\{%-?\s*for \w+ in (name|city|greeting|html|csv|date_s|num_s|float_s|empty_s|blank_s|settings\.b|user\.name)\b[^%]*(offset|limit)")]
    private static partial Regex TextLoop();

    [GeneratedRegex(@"\b(t|fa|true|false)\s*\|\s*(sort|sort_natural|compact|uniq|map|where|concat|reverse|sum)")]
    private static partial Regex BooleanListFilter();
}
