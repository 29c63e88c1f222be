using Personalize.Templates.Runtime;

namespace Personalize.Templates.Builtins;

/// <summary>
/// Arithmetic on dates and time spans, as documented for Scriban's <c>date</c> and <c>timespan</c> objects:
/// <c>date - date</c> is a time span, <c>date ± span</c> a date, <c>span ± span</c> a span, <c>span * n</c> and <c>span / n</c> spans.
/// </summary>
internal static class DateArithmetic
{
    public static bool TryApply(TemplateContext context, char op, object? left, object? right, out object? result)
    {
        try
        {
            result = (left, right, op) switch
            {
                (DateTime a, DateTime b, '-') => a - b,
                (DateTime a, TimeSpan b, '+') => a + b,
                (DateTime a, TimeSpan b, '-') => a - b,
                (TimeSpan a, DateTime b, '+') => b + a,
                (TimeSpan a, TimeSpan b, '+') => a + b,
                (TimeSpan a, TimeSpan b, '-') => a - b,
                (TimeSpan a, TimeSpan b, '/') when b != TimeSpan.Zero => a / b,
                (TimeSpan a, _, '*') when ScriptValue.IsNumber(right) && ScriptValue.TryToDouble(right, out var n) => a * n,
                (_, TimeSpan b, '*') when ScriptValue.IsNumber(left) && ScriptValue.TryToDouble(left, out var n) => b * n,
                (TimeSpan a, _, '/') when ScriptValue.IsNumber(right) && ScriptValue.TryToDouble(right, out var n) && n != 0 => a / n,
                _ => null,
            };
        }
        catch (Exception ex) when (ex is ArgumentOutOfRangeException or OverflowException)
        {
            throw context.Error($"The date or time span result of `{OperatorText(op)}` is out of range.");
        }

        return result is not null;
    }

    private static string OperatorText(char op) => op == 'f' ? "//" : op.ToString();
}
