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
            static (t, o, f) => t.Contains("base64_url_safe_encode", StringComparison.Ordinal) && o.Succeeded && f.Succeeded && o.Text.Replace("=", string.Empty, StringComparison.Ordinal).Replace("%3D", string.Empty, StringComparison.Ordinal) == f.Text.Replace("=", string.Empty, StringComparison.Ordinal)),
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

    [GeneratedRegex(@"\{%-?\s*for \w+ in (name|city|greeting|html|csv|date_s|num_s|float_s|empty_s|blank_s|settings\.b|user\.name)\b[^%]*(offset|limit)")]
    private static partial Regex TextLoop();

    [GeneratedRegex(@"\b(t|fa|true|false)\s*\|\s*(sort|sort_natural|compact|uniq|map|where|concat|reverse|sum)")]
    private static partial Regex BooleanListFilter();
}
