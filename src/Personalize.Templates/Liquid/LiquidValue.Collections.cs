using System.Collections;
using System.Numerics;
using System.Text.Json;
using Personalize.Templates.Runtime;

namespace Personalize.Templates.Liquid;

/// <summary>What <c>item[key]</c> gave, the way Shopify's Liquid reads a property of an item inside a filter.</summary>
internal enum LiquidIndexOutcome
{
    /// <summary>The item can be indexed; the value may be nil.</summary>
    Found,

    /// <summary>The item cannot be indexed at all (nil, true/false, a float): list filters give nil.</summary>
    NotIndexable,

    /// <summary>The key has the wrong type for the item (text on an array or a number): the filter fails.</summary>
    WrongKeyType,
}

/// <summary>Collections as Liquid filters see them: flattening, hashes, item properties and deep equality.</summary>
internal static partial class LiquidValue
{
    private const int MaxCompareDepth = 64;

    /// <summary>A whole-number argument as Shopify reads it: an integer, or text that is one; anything else is an error.</summary>
    public static int ToInteger(TemplateContext c, object? value, string what)
    {
        value = ScriptValue.Normalize(value);
        switch (value)
        {
            case int i:
                return i;
            case long l:
                return (int)Math.Clamp(l, int.MinValue, int.MaxValue);
            case System.Numerics.BigInteger big:
                return big.Sign < 0 ? int.MinValue : int.MaxValue;
        }

        var text = value as string;
        if (text is not null && long.TryParse(text.Trim(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
        {
            return (int)Math.Clamp(parsed, int.MinValue, int.MaxValue);
        }

        throw c.Error($"invalid integer: {what} needs a whole number, not {(value is null ? "nil" : $"{ScriptValue.TypeName(value)} `{ToText(c, value)}`")}. Pass a number such as 3, or convert the value with `| round`.");
    }

    /// <summary>The first or last character (code point) of text; nil for empty text.</summary>
    public static string? FirstOrLastCharacter(string text, bool first)
    {
        if (text.Length == 0)
        {
            return null;
        }

        if (first)
        {
            return char.IsHighSurrogate(text[0]) && text.Length > 1 ? text[..2] : text[..1];
        }

        return char.IsLowSurrogate(text[^1]) && text.Length > 1 ? text[^2..] : text[^1..];
    }

    /// <summary>A hash: a script object, a dictionary or a JSON object.</summary>
    public static bool IsHash(object? value) =>
        value is ScriptObject or IDictionary or IReadOnlyDictionary<string, object?> or IDictionary<string, object?> or JsonElement { ValueKind: JsonValueKind.Object };

    /// <summary>
    /// The items a list filter works on: an array flattened (nested arrays become one list), a hash or any other single
    /// value as a one-item list, nil as an empty list. One loop iteration is charged per item.
    /// </summary>
    public static List<object?> Flatten(TemplateContext context, object? value)
    {
        var result = new List<object?>();
        value = ScriptValue.Normalize(value);
        if (value is null)
        {
            return result;
        }

        if (!IsList(value))
        {
            result.Add(value);
            return result;
        }

        AddFlattened(context, result, value, 0);
        return result;
    }

    private static void AddFlattened(TemplateContext context, List<object?> result, object list, int depth)
    {
        if (depth > MaxCompareDepth)
        {
            throw context.Error($"Cannot flatten an array nested more than {MaxCompareDepth} levels deep (or one that contains itself).");
        }

        foreach (var item in ScriptValue.AsEnumerable(list)!)
        {
            context.ChargeLoopIterations();
            var normalized = ScriptValue.Normalize(item);
            if (IsList(normalized))
            {
                AddFlattened(context, result, normalized!, depth + 1);
            }
            else
            {
                result.Add(normalized);
            }
        }
    }

    /// <summary>The members of a hash as <c>[key, value]</c> pairs, in order (what a <c>for</c> loop over a hash sees).</summary>
    public static ScriptArray Pairs(TemplateContext context, object hash)
    {
        var result = new ScriptArray();
        switch (hash)
        {
            case JsonElement json:
                foreach (var property in json.EnumerateObject())
                {
                    context.ChargeLoopIterations();
                    result.Add(new ScriptArray(2) { property.Name, ScriptValue.Normalize(property.Value) });
                }

                return result;
            case IEnumerable<KeyValuePair<string, object?>> members:
                foreach (var pair in members)
                {
                    context.ChargeLoopIterations();
                    result.Add(new ScriptArray(2) { pair.Key, ScriptValue.Normalize(pair.Value) });
                }

                return result;
            case IDictionary map:
                foreach (DictionaryEntry entry in map)
                {
                    context.ChargeLoopIterations();
                    result.Add(new ScriptArray(2) { entry.Key, ScriptValue.Normalize(entry.Value) });
                }

                return result;
            default:
                return result;
        }
    }

    /// <summary>Whether Shopify's filters can read a property of the item at all (Ruby's <c>respond_to?(:[])</c>): not nil, true/false or a float.</summary>
    public static bool IsIndexable(object? item) => ScriptValue.Normalize(item) is not (null or bool or double or float or decimal or LiquidKeyword);

    /// <summary>
    /// Reads <c>item[key]</c> as Shopify's filters do: a hash by key (text keys only; other keys find nothing), text by
    /// substring (the key when it occurs, else nil) or by character index, an array or an integer by a whole-number index (an
    /// integer's bit), another object by its member. Nil, true/false and floats cannot be indexed; text keys on arrays and
    /// integers are of the wrong type.
    /// </summary>
    public static LiquidIndexOutcome Index(TemplateContext context, object? item, object? key, out object? value)
    {
        value = null;
        item = ScriptValue.Normalize(item);
        key = ScriptValue.Normalize(key);
        switch (item)
        {
            case null or bool or double or float or decimal or LiquidKeyword:
                return LiquidIndexOutcome.NotIndexable;
            case string text:
                if (key is string part)
                {
                    value = text.Contains(part, StringComparison.Ordinal) ? part : null;
                    return LiquidIndexOutcome.Found;
                }

                if (key is int at)
                {
                    var index = at < 0 ? at + text.Length : at;
                    value = index >= 0 && index < text.Length ? text[index].ToString() : null;
                    return LiquidIndexOutcome.Found;
                }

                return LiquidIndexOutcome.WrongKeyType;
            case int or long or BigInteger:
                if (key is int bit)
                {
                    value = bit < 0 ? 0 : (int)((ToBig(item) >> Math.Min(bit, 4096)) & 1);
                    return LiquidIndexOutcome.Found;
                }

                return LiquidIndexOutcome.WrongKeyType;
        }

        if (IsHash(item))
        {
            if (key is string name && context.TryGetMember(item, name, out var member))
            {
                value = ScriptValue.Normalize(member);
            }

            return LiquidIndexOutcome.Found;
        }

        if (IsList(item))
        {
            if (key is not int position)
            {
                return LiquidIndexOutcome.WrongKeyType;
            }

            var list = ToList(context, item);
            var index = position < 0 ? position + list.Count : position;
            value = index >= 0 && index < list.Count ? list[index] : null;
            return LiquidIndexOutcome.Found;
        }

        if (key is string memberName && context.TryGetMember(item, memberName, out var property))
        {
            value = ScriptValue.Normalize(property);
        }

        return LiquidIndexOutcome.Found;
    }

    private static BigInteger ToBig(object value) => value switch
    {
        int i => i,
        long l => l,
        _ => (BigInteger)value,
    };

    /// <summary>Liquid's <c>==</c>: numbers by value, text by ordinal, arrays and hashes item by item; nothing else converts.</summary>
    public static bool Equal(object? left, object? right) => Equal(left, right, 0);

    private static bool Equal(object? left, object? right, int depth)
    {
        left = ScriptValue.Normalize(left);
        right = ScriptValue.Normalize(right);
        if (depth > MaxCompareDepth)
        {
            return false;
        }

        if (IsList(left) && IsList(right))
        {
            var a = ScriptValue.AsEnumerable(left)!.GetEnumerator();
            var b = ScriptValue.AsEnumerable(right)!.GetEnumerator();
            while (true)
            {
                var hasA = a.MoveNext();
                var hasB = b.MoveNext();
                if (hasA != hasB)
                {
                    return false;
                }

                if (!hasA)
                {
                    return true;
                }

                if (!Equal(a.Current, b.Current, depth + 1))
                {
                    return false;
                }
            }
        }

        if (IsHash(left) && IsHash(right) && left is not null && right is not null)
        {
            var keys = 0;
            foreach (var pair in HashMembers(left))
            {
                keys++;
                if (!TryGetHashMember(right, pair.Key, out var other) || !Equal(pair.Value, other, depth + 1))
                {
                    return false;
                }
            }

            return keys == HashMembers(right).Count();
        }

        if (left is bool || right is bool)
        {
            return left is bool lb && right is bool rb && lb == rb;
        }

        return ScriptOperators.Equals(left, right);
    }

    /// <summary>
    /// Orders two values as a sort does (Ruby's <c>&lt;=&gt;</c>): numbers by value, text by ordinal, arrays item by item,
    /// true/false only with an equal value; null when the two cannot be ordered.
    /// </summary>
    public static int? CompareForSort(object? left, object? right) => CompareForSort(left, right, 0);

    private static int? CompareForSort(object? left, object? right, int depth)
    {
        left = ScriptValue.Normalize(left);
        right = ScriptValue.Normalize(right);
        if (ScriptValue.IsNumber(left) && ScriptValue.IsNumber(right))
        {
            return ScriptOperators.Compare(null!, left, right);
        }

        if (left is string ls && right is string rs)
        {
            return Math.Sign(string.CompareOrdinal(ls, rs));
        }

        if (left is bool lb && right is bool rb)
        {
            return lb == rb ? 0 : null;
        }

        if (IsList(left) && IsList(right) && depth < MaxCompareDepth)
        {
            var a = ScriptValue.AsEnumerable(left)!.GetEnumerator();
            var b = ScriptValue.AsEnumerable(right)!.GetEnumerator();
            while (true)
            {
                var hasA = a.MoveNext();
                var hasB = b.MoveNext();
                if (!hasA || !hasB)
                {
                    return hasA == hasB ? 0 : hasA ? 1 : -1;
                }

                var item = CompareForSort(a.Current, b.Current, depth + 1);
                if (item != 0)
                {
                    return item;
                }
            }
        }

        return null;
    }

    private static IEnumerable<KeyValuePair<string, object?>> HashMembers(object hash)
    {
        switch (hash)
        {
            case JsonElement json:
                foreach (var property in json.EnumerateObject())
                {
                    yield return new KeyValuePair<string, object?>(property.Name, ScriptValue.Normalize(property.Value));
                }

                break;
            case IEnumerable<KeyValuePair<string, object?>> members:
                foreach (var pair in members)
                {
                    yield return pair;
                }

                break;
            case IDictionary map:
                foreach (DictionaryEntry entry in map)
                {
                    yield return new KeyValuePair<string, object?>(Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty, entry.Value);
                }

                break;
        }
    }

    private static bool TryGetHashMember(object hash, string key, out object? value)
    {
        foreach (var pair in HashMembers(hash))
        {
            if (string.Equals(pair.Key, key, StringComparison.Ordinal))
            {
                value = pair.Value;
                return true;
            }
        }

        value = null;
        return false;
    }
}
