using Personalize.Templates.Runtime;

namespace Personalize.Templates.Builtins;

/// <summary>The <c>math</c> builtin object (the subset the core language tests need; the rest comes with the builtin library).</summary>
internal static class MathFunctions
{
    /// <summary><c>math.abs</c>: the absolute value, keeping the number type.</summary>
    public static object? Abs(TemplateContext context, object? value) => value switch
    {
        null => null,
        int i => i == int.MinValue ? -(long)i : Math.Abs(i),
        long l => Math.Abs(l),
        double d => Math.Abs(d),
        float f => Math.Abs(f),
        decimal m => Math.Abs(m),
        _ => ScriptValue.TryToDouble(value, out var d) ? Math.Abs(d) : throw context.Error($"math.abs expects a number, not `{context.ToText(value)}`."),
    };

    /// <summary><c>math.round</c>: rounds to <paramref name="precision"/> decimals (away from zero at .5, like Scriban).</summary>
    public static object? Round(TemplateContext context, object? value, int precision = 0)
    {
        switch (value)
        {
            case null:
                return null;
            case int or long:
                return value;
            case decimal m:
                return Math.Round(m, precision, MidpointRounding.AwayFromZero);
        }

        if (!ScriptValue.TryToDouble(value, out var d))
        {
            throw context.Error($"math.round expects a number, not `{context.ToText(value)}`.");
        }

        return Math.Round(d, Math.Clamp(precision, 0, 15), MidpointRounding.AwayFromZero);
    }

    /// <summary><c>math.times</c>: <paramref name="value"/> multiplied by <paramref name="by"/>.</summary>
    public static object? Times(TemplateContext context, object? value, object? by) => ScriptOperators.Multiply(context, value, by);

    /// <summary><c>math.plus</c>: <paramref name="value"/> plus <paramref name="with"/>.</summary>
    public static object? Plus(TemplateContext context, object? value, object? with) => ScriptOperators.Add(context, value, with);

    /// <summary><c>math.minus</c>: <paramref name="value"/> minus <paramref name="with"/>.</summary>
    public static object? Minus(TemplateContext context, object? value, object? with) => ScriptOperators.Subtract(context, value, with);
}
