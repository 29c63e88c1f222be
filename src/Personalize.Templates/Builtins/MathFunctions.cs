using System.Numerics;
using Personalize.Templates.Runtime;

namespace Personalize.Templates.Builtins;

/// <summary>
/// The <c>math</c> builtin object. Arithmetic follows the language's operators (integer results stay integers); a null
/// operand gives null, a non-number gives a render error.
/// </summary>
internal static class MathFunctions
{
    /// <summary><c>math.abs</c>: the absolute value, keeping the number type (a boolean is returned as it is, as in Scriban).</summary>
    public static object? Abs(TemplateContext context, object? value) => value switch
    {
        null => null,
        bool => value,
        int i => i == int.MinValue ? -(long)i : (object)Math.Abs(i),
        long l => l == long.MinValue ? BigInteger.Abs(l) : (object)Math.Abs(l),
        double d => Math.Abs(d),
        float f => Math.Abs(f),
        decimal m => Math.Abs(m),
        BigInteger b => BigInteger.Abs(b),
        _ => ScriptValue.IsNumber(value) && ScriptValue.TryToDouble(value, out var d) ? Math.Abs(d) : throw NotANumber(context, "math.abs", value),
    };

    /// <summary><c>math.ceil</c>: the smallest integer greater than or equal to the value.</summary>
    public static object? Ceil(TemplateContext context, object? value) => value switch
    {
        null => Boxes.Int32(0), // as Scriban: nil counts as 0
        bool b => Boxes.Int32(b ? 1 : 0), // and true/false as 1/0
        decimal m => Math.Ceiling(m),
        _ when BuiltinHelpers.IsInteger(value) => value,
        _ => Math.Ceiling(ToDouble(context, "math.ceil", value)),
    };

    /// <summary>
    /// <c>math.divided_by</c>: <paramref name="value"/> divided by <paramref name="divisor"/>. With an integer divisor the
    /// result is floored to an integer (<c>8.4 | math.divided_by 2</c> is 4); otherwise it is the exact quotient.
    /// </summary>
    public static object? DividedBy(TemplateContext context, object? value, object? divisor)
    {
        if (divisor is null)
        {
            return null;
        }

        // As Scriban: nil divided by a number is 0, and true/false count as 1/0 (`true | math.divided_by true` is 1).
        value = value switch
        {
            null => Boxes.Int32(0),
            bool b => Boxes.Int32(b ? 1 : 0),
            _ => value,
        };
        divisor = divisor is bool flag ? (flag ? 1.0 : 0.0) : divisor; // a boolean divisor divides exactly (`2.5 | math.divided_by true` is 2.5)

        if (BuiltinHelpers.IsInteger(divisor))
        {
            // An integer divisor floors the quotient (-7 / 2 is -4), as Scriban; dividing by zero is an error.
            var quotient = ScriptOperators.Arithmetic(context, '/', value, divisor);
            return quotient switch
            {
                double d when !double.IsFinite(d) => throw context.Error("Division by zero."),
                double d => Math.Floor(d) is var f && Math.Abs(f) < 9e15 ? ScriptOperators.Narrow((long)f) : f,
                decimal m => Math.Floor(m) is var fm && Math.Abs(fm) < 9e15m ? ScriptOperators.Narrow((long)fm) : fm,
                _ => quotient,
            };
        }

        return ScriptOperators.Arithmetic(context, '/', value, divisor);
    }

    /// <summary><c>math.floor</c>: the largest integer less than or equal to the value.</summary>
    public static object? Floor(TemplateContext context, object? value) => value switch
    {
        null => Boxes.Int32(0), // as Scriban: nil counts as 0
        bool b => Boxes.Int32(b ? 1 : 0), // and true/false as 1/0
        decimal m => Math.Floor(m),
        _ when BuiltinHelpers.IsInteger(value) => value,
        _ => Math.Floor(ToDouble(context, "math.floor", value)),
    };

    /// <summary>
    /// <c>math.format</c>: formats a number with a .NET numeric format string (<c>"N2"</c>, <c>"X4"</c>, <c>"0.##"</c>) in
    /// <paramref name="culture"/> (a culture name; the render's culture by default).
    /// </summary>
    public static string Format(TemplateContext context, object? value, string? format, string? culture = null)
    {
        if (value is null)
        {
            return string.Empty;
        }

        var formatCulture = BuiltinHelpers.Culture(context, culture);
        if (value is not IFormattable formattable || !ScriptValue.IsNumber(value))
        {
            throw NotANumber(context, "math.format", value);
        }

        return FormatValue(context, formattable, format, formatCulture);
    }

    /// <summary><c>math.is_number</c>: whether the value is a number.</summary>
    public static bool IsNumber(object? value) => ScriptValue.IsNumber(value);

    /// <summary><c>math.minus</c>: <paramref name="value"/> minus <paramref name="with"/>.</summary>
    public static object? Minus(TemplateContext context, object? value, object? with) => ScriptOperators.Subtract(context, value, with);

    /// <summary><c>math.modulo</c>: the remainder of <paramref name="value"/> divided by <paramref name="with"/>.</summary>
    public static object? Modulo(TemplateContext context, object? value, object? with) => ScriptOperators.Arithmetic(context, '%', value, with);

    /// <summary><c>math.plus</c>: <paramref name="value"/> plus <paramref name="with"/>.</summary>
    public static object? Plus(TemplateContext context, object? value, object? with) => ScriptOperators.Add(context, value, with);

    /// <summary><c>math.round</c>: rounds to <paramref name="precision"/> decimals (0 to 15; halves to even, as Scriban and .NET's Math.Round).</summary>
    public static object? Round(TemplateContext context, object? value, int precision = 0)
    {
        if (precision is < 0 or > 15)
        {
            throw context.Error($"`math.round` rounds to 0 to 15 decimals, not {precision}.");
        }

        switch (value)
        {
            case null:
                return Boxes.Int32(0); // as Scriban: nil counts as 0
            case bool b:
                return Boxes.Int32(b ? 1 : 0); // as Scriban's other math functions: true/false count as 1/0
            case decimal m:
                return Math.Round(m, precision, MidpointRounding.ToEven);
        }

        if (BuiltinHelpers.IsInteger(value))
        {
            return value;
        }

        return Math.Round(ToDouble(context, "math.round", value), precision, MidpointRounding.ToEven);
    }

    /// <summary><c>math.times</c>: <paramref name="value"/> multiplied by <paramref name="with"/>.</summary>
    public static object? Times(TemplateContext context, object? value, object? with) => ScriptOperators.Multiply(context, value, with);

    /// <summary><c>math.uuid</c>: a new random UUID (<c>2dc55d50-3f6c-446a-87d0-a5a4eed23269</c>).</summary>
    public static string Uuid() => Guid.NewGuid().ToString();

    /// <summary><c>math.random</c>: a random integer at least <paramref name="minValue"/> and less than <paramref name="maxValue"/>.</summary>
    public static int Random(TemplateContext context, int minValue, int maxValue)
    {
        if (maxValue < minValue)
        {
            throw context.Error($"`math.random` needs max_value ({maxValue}) to be greater than or equal to min_value ({minValue}).");
        }

        return System.Random.Shared.Next(minValue, maxValue);
    }

    internal static string FormatValue(TemplateContext context, IFormattable value, string? format, IFormatProvider culture)
    {
        // A standard format's precision (`F999999999`) sizes the text: checked before formatting, not after.
        if (format is { Length: > 1 } && char.IsAsciiLetter(format[0]) && long.TryParse(format.AsSpan(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var precision))
        {
            context.CheckStringLength(precision);
        }

        try
        {
            var text = value.ToString(format, culture);
            context.CheckStringLength(text.Length);
            return text;
        }
        catch (FormatException)
        {
            throw context.Error($"Invalid format `{format}` for the value `{context.ToText(value)}` ({ScriptValue.TypeName(value)}). Use a .NET format string such as `N2`, `0.##` or `X4` (X only for integers).");
        }
    }

    private static double ToDouble(TemplateContext context, string function, object? value) =>
        ScriptValue.IsNumber(value) && ScriptValue.TryToDouble(value, out var d) ? d : throw NotANumber(context, function, value);

    private static TemplateRuntimeException NotANumber(TemplateContext context, string function, object? value) =>
        context.Error($"`{function}` expects a number, not `{context.ToText(value)}` ({ScriptValue.TypeName(value)}).");
}
