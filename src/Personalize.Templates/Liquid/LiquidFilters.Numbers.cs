using System.Globalization;
using Personalize.Templates.Runtime;

namespace Personalize.Templates.Liquid;

/// <summary>
/// Arithmetic the way Shopify's filters do it: whole numbers stay whole (growing past 64 bits instead of overflowing), and a
/// float is taken at the value it prints as and computed in decimal, so <c>10.1 | minus: 2.2</c> is <c>7.9</c>, not
/// <c>7.8999999999999995</c>; the result is a float again.
/// </summary>
internal static partial class LiquidFilters
{
    private static object? Arithmetic(TemplateContext c, char op, object left, object right)
    {
        if (left is double || right is double)
        {
            if (TryDecimal(left, out var a) && TryDecimal(right, out var b))
            {
                try
                {
                    var result = op switch
                    {
                        '+' => a + b,
                        '-' => a - b,
                        '*' => a * b,
                        _ => FloorModulo(a, b),
                    };
                    return (double)result;
                }
                catch (OverflowException)
                {
                    // Beyond decimal's range: plain floating point below.
                }
            }

            ScriptValue.TryToDouble(left, out var x);
            ScriptValue.TryToDouble(right, out var y);
            return op switch
            {
                '+' => x + y,
                '-' => x - y,
                '*' => x * y,
                _ => FloorModulo(x, y),
            };
        }

        return ScriptOperators.Arithmetic(c, op, left, right);
    }

    /// <summary>A float as the decimal it prints as (shortest round-trip form); false when it does not fit.</summary>
    private static bool TryDecimal(object value, out decimal result)
    {
        switch (value)
        {
            case double d:
                result = 0;
                return double.IsFinite(d) && Math.Abs(d) < 7.9e27 &&
                    decimal.TryParse(d.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture, out result);
            case int i:
                result = i;
                return true;
            case long l:
                result = l;
                return true;
            case decimal m:
                result = m;
                return true;
            case System.Numerics.BigInteger big when big >= (System.Numerics.BigInteger)decimal.MinValue && big <= (System.Numerics.BigInteger)decimal.MaxValue:
                result = (decimal)big;
                return true;
            default:
                result = 0;
                return false;
        }
    }

    private static decimal FloorModulo(decimal a, decimal b)
    {
        var m = a % b;
        return m != 0 && (m < 0) ^ (b < 0) ? m + b : m;
    }

    private static double FloorModulo(double a, double b)
    {
        var m = a % b;
        return m != 0 && (m < 0) ^ (b < 0) ? m + b : m;
    }
}
