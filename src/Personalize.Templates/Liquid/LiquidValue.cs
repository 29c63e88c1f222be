using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Personalize.Templates.Runtime;

namespace Personalize.Templates.Liquid;

/// <summary>Liquid's view of values: how they print, convert to numbers and lists, and what <c>empty</c>/<c>blank</c> mean.</summary>
internal static partial class LiquidValue
{
    private const int MaxPrintDepth = 64;

    /// <summary>Formats a value as Liquid prints it: nil is empty, arrays concatenate their items, integral floats keep <c>.0</c>.</summary>
    public static string ToText(TemplateContext context, object? value) => ToText(context, value, 0);

    private static string ToText(TemplateContext context, object? value, int depth)
    {
        switch (value)
        {
            case null:
                return string.Empty;
            case string s:
                return s;
            case bool b:
                return b ? "true" : "false";
            case double d when double.IsFinite(d) && Math.Floor(d) == d && Math.Abs(d) < 1e15:
                return d.ToString("0.0", context.Culture);
            case float f when float.IsFinite(f) && MathF.Floor(f) == f && Math.Abs(f) < 1e7f:
                return f.ToString("0.0", context.Culture);
            case LiquidKeyword:
                return string.Empty;
            case JsonElement { ValueKind: JsonValueKind.Array } or ScriptArray or IList when value is not string:
                var items = ScriptValue.AsEnumerable(value);
                if (items is null)
                {
                    return context.ToText(value);
                }

                if (depth >= MaxPrintDepth)
                {
                    throw context.Error($"Cannot print an array nested more than {MaxPrintDepth} levels deep (or one that contains itself).");
                }

                var builder = new StringBuilder();
                foreach (var item in items)
                {
                    context.ChargeLoopIterations();
                    builder.Append(ToText(context, ScriptValue.Normalize(item), depth + 1));
                    context.EnsureStringLength(builder.Length);
                }

                context.CheckStringLength(builder.Length);
                return builder.ToString();
            default:
                return context.ToText(ScriptValue.Normalize(value));
        }
    }

    /// <summary>Whether a value is Liquid-<c>empty</c>: an empty string, array or object (nil is not empty).</summary>
    public static bool IsEmpty(object? value) => value is not null && value is not LiquidKeyword && ScriptValue.IsEmpty(ScriptValue.Normalize(value));

    /// <summary>Whether a value is Liquid-<c>blank</c>: nil, false, a whitespace-only string, or an empty array or object.</summary>
    public static bool IsBlank(object? value)
    {
        value = ScriptValue.Normalize(value);
        return value switch
        {
            null => true,
            bool b => !b,
            string s => string.IsNullOrWhiteSpace(s),
            LiquidKeyword => true,
            _ => !ScriptValue.IsNumber(value) && ScriptValue.IsEmpty(value),
        };
    }

    /// <summary>Converts to a number like Liquid's filters do: numbers as they are, numeric text parsed, anything else 0.</summary>
    public static object ToNumber(object? value)
    {
        value = ScriptValue.Normalize(value);
        switch (value)
        {
            case int or long or double or decimal or System.Numerics.BigInteger:
                return value;
            case float f:
                return (double)f;
            case string s:
                s = s.Trim();
                if (long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
                {
                    return l is >= int.MinValue and <= int.MaxValue ? (int)l : l;
                }

                return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : (object)0;
            default:
                return ScriptValue.IsNumber(value) && ScriptValue.TryToInt64(value, out var n) ? (n is >= int.MinValue and <= int.MaxValue ? (int)n : n) : 0;
        }
    }

    /// <summary>Whether a (converted) number is an integer.</summary>
    public static bool IsInteger(object value) => value is int or long or System.Numerics.BigInteger;

    /// <summary>
    /// Sees a value as a list the way Liquid's array filters do: nil is empty, arrays and sequences give their items,
    /// anything else (text, objects) is a one-item list. Charges one loop iteration per item.
    /// </summary>
    public static List<object?> ToList(TemplateContext context, object? value)
    {
        value = ScriptValue.Normalize(value);
        var list = new List<object?>();
        switch (value)
        {
            case null:
                return list;
            case string or ScriptObject or IDictionary or IEnumerable<KeyValuePair<string, object?>> or JsonElement { ValueKind: JsonValueKind.Object }:
                list.Add(value);
                return list;
        }

        var items = ScriptValue.AsEnumerable(value);
        if (items is null)
        {
            list.Add(value);
            return list;
        }

        foreach (var item in items)
        {
            context.ChargeLoopIterations();
            list.Add(ScriptValue.Normalize(item));
        }

        return list;
    }

    /// <summary>Whether a value is a list (not text, not an object).</summary>
    public static bool IsList(object? value)
    {
        value = ScriptValue.Normalize(value);
        return value is not (null or string or ScriptObject or IDictionary) && value is not JsonElement { ValueKind: JsonValueKind.Object } && ScriptValue.AsEnumerable(value) is not null;
    }
}
