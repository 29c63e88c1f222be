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
            case ScriptArray { IsRange: true } range:
                // A range prints as Ruby's does: `1..4`.
                return range.Count == 0 ? string.Empty : ToText(context, range[0], depth + 1) + ".." + ToText(context, range[^1], depth + 1);
            case not null when IsHash(value):
                var hash = new StringBuilder();
                Inspect(context, hash, value, depth);
                context.CheckStringLength(hash.Length);
                return hash.ToString();
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

                if (IsDecimalText(s) && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
                {
                    return d;
                }

                // Ruby's to_i: the leading whole number (`"12abc"` is 12, `"1..4"` is 1, `"abc"` is 0).
                return LeadingInteger(s);
            default:
                return ScriptValue.IsNumber(value) && ScriptValue.TryToInt64(value, out var n) ? (n is >= int.MinValue and <= int.MaxValue ? (int)n : n) : 0;
        }
    }

    /// <summary>Whether a (converted) number is an integer.</summary>
    /// <summary><c>-?digits.digits</c>: the text Shopify reads as a decimal number.</summary>
    private static bool IsDecimalText(string s)
    {
        var i = s.Length > 0 && s[0] == '-' ? 1 : 0;
        var start = i;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
        }

        if (i == start || i >= s.Length - 1 || s[i] != '.')
        {
            return false;
        }

        i++;
        while (i < s.Length && char.IsAsciiDigit(s[i]))
        {
            i++;
        }

        return i == s.Length && s[^1] != '.';
    }

    private static object LeadingInteger(string s)
    {
        var i = 0;
        var negative = false;
        if (i < s.Length && s[i] is '+' or '-')
        {
            negative = s[i] == '-';
            i++;
        }

        var start = i;
        while (i < s.Length && (char.IsAsciiDigit(s[i]) || (s[i] == '_' && i > start && i + 1 < s.Length && char.IsAsciiDigit(s[i + 1]))))
        {
            i++;
        }

        if (i == start)
        {
            return 0;
        }

        var digits = s[start..i].Replace("_", string.Empty, StringComparison.Ordinal);
        var big = System.Numerics.BigInteger.Parse(digits.Length > 4000 ? digits[..4000] : digits, CultureInfo.InvariantCulture);
        return ScriptOperators.Narrow(negative ? -big : big);
    }

    /// <summary>Writes a hash or an array as Ruby's <c>inspect</c> does (<c>{"a"=>1, "b"=>[nil, "x"]}</c>), the way Liquid prints a hash.</summary>
    private static void Inspect(TemplateContext context, StringBuilder builder, object? value, int depth)
    {
        if (depth >= MaxPrintDepth)
        {
            throw context.Error($"Cannot print a value nested more than {MaxPrintDepth} levels deep (or one that contains itself).");
        }

        context.ChargeLoopIterations();
        value = ScriptValue.Normalize(value);
        switch (value)
        {
            case null or LiquidKeyword:
                builder.Append("nil");
                return;
            case string text:
                builder.Append('"');
                foreach (var ch in text)
                {
                    builder.Append(ch switch
                    {
                        '"' => "\\\"",
                        '\\' => "\\\\",
                        '\n' => "\\n",
                        '\t' => "\\t",
                        '\r' => "\\r",
                        _ => ch.ToString(),
                    });
                }

                builder.Append('"');
                break;
            case not null when IsHash(value):
                builder.Append('{');
                var first = true;
                foreach (var pair in Pairs(context, value))
                {
                    var entry = (ScriptArray)pair!;
                    builder.Append(first ? string.Empty : ", ");
                    first = false;
                    Inspect(context, builder, entry[0], depth + 1);
                    builder.Append("=>");
                    Inspect(context, builder, entry[1], depth + 1);
                }

                builder.Append('}');
                break;
            case not null when IsList(value) && value is not ScriptArray { IsRange: true }:
                builder.Append('[');
                var firstItem = true;
                foreach (var item in ScriptValue.AsEnumerable(value)!)
                {
                    builder.Append(firstItem ? string.Empty : ", ");
                    firstItem = false;
                    Inspect(context, builder, item, depth + 1);
                }

                builder.Append(']');
                break;
            default:
                builder.Append(ToText(context, value, depth + 1));
                break;
        }

        context.EnsureStringLength(builder.Length);
    }

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
