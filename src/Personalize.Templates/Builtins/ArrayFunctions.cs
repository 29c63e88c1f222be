using System.Text;
using Personalize.Templates.Runtime;

namespace Personalize.Templates.Builtins;

/// <summary>
/// The <c>array</c> builtin object. Every function returns a new array (inputs are never changed), treats a null list
/// as empty, and charges one loop iteration per item it touches so that huge inputs stop at
/// <see cref="TemplateLimits.MaxLoopIterations"/>.
/// </summary>
internal static class ArrayFunctions
{
    /// <summary><c>array.add</c>: a copy of <paramref name="list"/> with <paramref name="value"/> appended.</summary>
    public static ScriptArray Add(TemplateContext context, object? list, object? value)
    {
        var result = BuiltinHelpers.Copy(context, BuiltinHelpers.AsList(context, list), 1);
        result.Add(value);
        return result;
    }

    /// <summary><c>array.add_range</c>: the items of <paramref name="list1"/> followed by those of <paramref name="list2"/>.</summary>
    public static ScriptArray AddRange(TemplateContext context, object? list1, object? list2)
    {
        var result = BuiltinHelpers.Copy(context, BuiltinHelpers.AsList(context, list1, "list1"));
        var second = BuiltinHelpers.Copy(context, BuiltinHelpers.AsList(context, list2, "list2"));
        result.AddRange(second);
        return result;
    }

    /// <summary><c>array.compact</c>: a copy without null items (null for a null list).</summary>
    public static ScriptArray? Compact(TemplateContext context, object? list)
    {
        var items = BuiltinHelpers.AsList(context, list);
        if (items is null)
        {
            return null;
        }

        var result = new ScriptArray();
        foreach (var item in items)
        {
            context.ChargeLoopIterations();
            if (item is not null)
            {
                result.Add(item);
            }
        }

        return result;
    }

    /// <summary><c>array.concat</c>: the two lists joined (null when both are null).</summary>
    public static ScriptArray? Concat(TemplateContext context, object? list1, object? list2)
    {
        var first = BuiltinHelpers.AsList(context, list1, "list1");
        var second = BuiltinHelpers.AsList(context, list2, "list2");
        if (first is null && second is null)
        {
            return null;
        }

        var result = BuiltinHelpers.Copy(context, first);
        result.AddRange(BuiltinHelpers.Copy(context, second));
        return result;
    }

    /// <summary>
    /// <c>array.cycle</c>: returns the items of <paramref name="list"/> one after the other on each call of the render.
    /// Calls with the same items (or the same <paramref name="group"/>) share one position.
    /// </summary>
    public static object? Cycle(TemplateContext context, object? list, object? group = null)
    {
        var items = BuiltinHelpers.AsList(context, list);
        if (items is null)
        {
            return null;
        }

        var array = BuiltinHelpers.Copy(context, items);
        if (array.Count == 0)
        {
            return null;
        }

        var key = group is null ? "list:" + context.ToText(array) : "group:" + context.ToText(group);
        var position = context.NextCycle(key);
        return array[position % array.Count];
    }

    /// <summary><c>array.any</c>: whether <paramref name="function"/> (called with each item, then <paramref name="args"/>) is truthy for an item.</summary>
    public static bool Any(TemplateContext context, object? list, IScriptFunction function, params object?[] args)
    {
        var items = BuiltinHelpers.AsList(context, list);
        if (items is null)
        {
            return false;
        }

        var callArguments = new object?[args.Length + 1];
        Array.Copy(args, 0, callArguments, 1, args.Length);
        foreach (var item in items)
        {
            context.ChargeLoopIterations();
            callArguments[0] = item;
            if (ScriptValue.IsTruthy(context.Call(function, callArguments)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>array.each</c>: a list of <paramref name="function"/> applied to each item.</summary>
    public static ScriptArray Each(TemplateContext context, object? list, IScriptFunction function)
    {
        var result = new ScriptArray();
        var items = BuiltinHelpers.AsList(context, list);
        if (items is null)
        {
            return result;
        }

        foreach (var item in items)
        {
            context.ChargeLoopIterations();
            result.Add(context.Call(function, item));
        }

        return result;
    }

    /// <summary><c>array.filter</c>: the items for which <paramref name="function"/> returns a truthy value.</summary>
    public static ScriptArray Filter(TemplateContext context, object? list, IScriptFunction function)
    {
        var result = new ScriptArray();
        var items = BuiltinHelpers.AsList(context, list);
        if (items is null)
        {
            return result;
        }

        foreach (var item in items)
        {
            context.ChargeLoopIterations();
            if (ScriptValue.IsTruthy(context.Call(function, item)))
            {
                result.Add(item);
            }
        }

        return result;
    }

    /// <summary><c>array.first</c>: the first item (null when empty).</summary>
    public static object? First(TemplateContext context, object? list)
    {
        var items = BuiltinHelpers.AsList(context, list);
        if (items is null)
        {
            return null;
        }

        if (items is IReadOnlyList<object?> indexed)
        {
            return indexed.Count > 0 ? indexed[0] : null;
        }

        foreach (var item in items)
        {
            return item;
        }

        return null;
    }

    /// <summary>
    /// <c>array.insert_at</c>: a copy with <paramref name="value"/> inserted at <paramref name="index"/> (negative counts from
    /// the end; past the end pads with null).
    /// </summary>
    public static ScriptArray InsertAt(TemplateContext context, object? list, int index, object? value)
    {
        var result = BuiltinHelpers.Copy(context, BuiltinHelpers.AsList(context, list), 1);
        if (index < 0)
        {
            index = Math.Max(0, index + result.Count);
        }

        if (index > result.Count)
        {
            context.ChargeLoopIterations(index - result.Count);
        }

        while (result.Count < index)
        {
            result.Add(null);
        }

        result.Insert(index, value);
        return result;
    }

    /// <summary>
    /// <c>array.join</c>: the items as text separated by <paramref name="delimiter"/>; <paramref name="function"/>, when
    /// given, transforms each item's text first.
    /// </summary>
    public static string Join(TemplateContext context, object? list, string? delimiter = null, IScriptFunction? function = null)
    {
        var items = BuiltinHelpers.AsList(context, list);
        if (items is null)
        {
            return string.Empty;
        }

        var builder = new StringBuilder();
        var first = true;
        foreach (var item in items)
        {
            context.ChargeLoopIterations();
            if (!first)
            {
                builder.Append(delimiter);
            }

            first = false;
            var text = context.ToText(item);
            builder.Append(function is null ? text : context.ToText(context.Call(function, text)));
            context.EnsureStringLength(builder.Length);
        }

        context.CheckStringLength(builder.Length);
        return builder.ToString();
    }

    /// <summary><c>array.last</c>: the last item (null when empty).</summary>
    public static object? Last(TemplateContext context, object? list)
    {
        var items = BuiltinHelpers.AsList(context, list);
        if (items is null)
        {
            return null;
        }

        if (items is IReadOnlyList<object?> indexed)
        {
            return indexed.Count > 0 ? indexed[^1] : null;
        }

        object? last = null;
        foreach (var item in items)
        {
            context.ChargeLoopIterations();
            last = item;
        }

        return last;
    }

    /// <summary><c>array.limit</c>: at most the first <paramref name="count"/> items (null for a null list).</summary>
    public static ScriptArray? Limit(TemplateContext context, object? list, int count)
    {
        var items = BuiltinHelpers.AsList(context, list);
        if (items is null)
        {
            return null;
        }

        var result = new ScriptArray();
        if (count <= 0)
        {
            return result;
        }

        foreach (var item in items)
        {
            if (result.Count >= count)
            {
                break;
            }

            context.ChargeLoopIterations();
            result.Add(item);
        }

        return result;
    }

    /// <summary>
    /// <c>array.map</c>: the value of <paramref name="member"/> of each item that has it, as Scriban: an item without the member
    /// (a number, a list, an object lacking it) is left out; a member whose value is null maps to null.
    /// </summary>
    public static ScriptArray Map(TemplateContext context, object? list, string? member)
    {
        var result = new ScriptArray();
        var items = BuiltinHelpers.AsList(context, list);
        if (items is null || member is null)
        {
            return result;
        }

        foreach (var item in items)
        {
            context.ChargeLoopIterations();
            if (ScriptValue.AsEnumerable(item) is null && context.TryGetMember(item, member, out var value))
            {
                result.Add(value);
            }
        }

        return result;
    }

    /// <summary><c>array.offset</c>: the items after the first <paramref name="index"/> (negative means 0; null for a null list).</summary>
    public static ScriptArray? Offset(TemplateContext context, object? list, int index)
    {
        var items = BuiltinHelpers.AsList(context, list);
        if (items is null)
        {
            return null;
        }

        var result = new ScriptArray();
        var position = 0;
        foreach (var item in items)
        {
            context.ChargeLoopIterations();
            if (position++ >= index)
            {
                result.Add(item);
            }
        }

        return result;
    }

    /// <summary><c>array.remove_at</c>: a copy without the item at <paramref name="index"/> (negative counts from the end).</summary>
    public static ScriptArray RemoveAt(TemplateContext context, object? list, int index)
    {
        var result = BuiltinHelpers.Copy(context, BuiltinHelpers.AsList(context, list));
        if (index < 0)
        {
            index += result.Count;
        }

        if (index >= 0 && index < result.Count)
        {
            result.RemoveAt(index);
        }

        return result;
    }

    /// <summary><c>array.reverse</c>: a copy in reverse order (empty for null).</summary>
    public static ScriptArray Reverse(TemplateContext context, object? list)
    {
        var result = BuiltinHelpers.Copy(context, BuiltinHelpers.AsList(context, list));
        result.Reverse();
        return result;
    }

    /// <summary><c>array.size</c>: the number of items (0 for null).</summary>
    public static int Size(TemplateContext context, object? list)
    {
        if (list is null)
        {
            return 0;
        }

        return context.TryGetMember(list, "size", out var size) && size is int i ? i : 0;
    }

    /// <summary>
    /// <c>array.sort</c>: a sorted copy, by the items themselves or by <paramref name="member"/> of each item (a single
    /// value becomes a one-item list). The sort is stable; texts are compared with the render culture's rules
    /// (<c>"fruit"</c> before <c>"Orange"</c>, like Scriban), other values like the comparison operators.
    /// </summary>
    public static ScriptArray Sort(TemplateContext context, object? list, string? member = null)
    {
        ScriptArray result;
        if (list is null || (list is not string && ScriptValue.AsEnumerable(list) is null && list is not ScriptObject and not IDictionary<string, object?> and not IReadOnlyDictionary<string, object?> and not System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Object }))
        {
            result = new ScriptArray();
            if (list is not null)
            {
                result.Add(list);
            }
        }
        else
        {
            result = BuiltinHelpers.Copy(context, BuiltinHelpers.AsList(context, list));
        }

        if (result.Count < 2)
        {
            return result;
        }

        // Charge n·log2(n) comparisons up front: sorting is bounded like a loop.
        context.ChargeLoopIterations((long)(result.Count * Math.Ceiling(Math.Log2(result.Count))));
        var keys = new object?[result.Count];
        var order = new int[result.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            order[i] = i;
            if (string.IsNullOrEmpty(member))
            {
                keys[i] = result[i];
            }
            else
            {
                context.TryGetMember(result[i], member, out keys[i]);
            }
        }

        BuiltinHelpers.Sort(order, new KeyComparer(context, keys));

        var sorted = new ScriptArray(result.Count);
        foreach (var i in order)
        {
            sorted.Add(result[i]);
        }

        return sorted;
    }

    /// <summary><c>array.uniq</c>: the distinct items in first-seen order, compared like <c>==</c> (null for a null list).</summary>
    public static ScriptArray? Uniq(TemplateContext context, object? list)
    {
        var items = BuiltinHelpers.AsList(context, list);
        if (items is null)
        {
            return null;
        }

        var seen = new HashSet<object?>(ScriptValueComparer.Instance);
        var result = new ScriptArray();
        foreach (var item in items)
        {
            context.ChargeLoopIterations();
            if (seen.Add(item))
            {
                result.Add(item);
            }
        }

        return result;
    }

    /// <summary><c>array.contains</c>: whether an item equals <paramref name="item"/> (like <c>==</c>).</summary>
    public static bool Contains(TemplateContext context, object? list, object? item)
    {
        var items = BuiltinHelpers.AsList(context, list);
        if (items is null)
        {
            return false;
        }

        foreach (var candidate in items)
        {
            context.ChargeLoopIterations();
            if (ScriptOperators.Equals(candidate, item))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Orders item indexes by their sort keys, then by position (a stable sort).</summary>
    private sealed class KeyComparer(TemplateContext context, object?[] keys) : IComparer<int>
    {
        public int Compare(int a, int b)
        {
            int c;
            if (keys[a] is string left && keys[b] is string right)
            {
                // Each comparison of text is charged by its length (and checks cancellation): sorting many long, equal
                // strings stops at TemplateLimits.MaxWork instead of comparing gigabytes.
                context.ChargeCharacters(Math.Min(left.Length, right.Length));
                c = context.Culture.CompareInfo.Compare(left, right, System.Globalization.CompareOptions.None);
            }
            else
            {
                var x = ScriptValue.Normalize(keys[a]);
                var y = ScriptValue.Normalize(keys[b]);
                if (x is not null && y is not null && (KindOf(x) != KindOf(y) || KindOf(x) == 0))
                {
                    // As Scriban: a number beside text or a boolean, or a list or object beside anything, has no order.
                    throw context.Error($"Failed to compare two elements in the array: {ScriptValue.TypeName(x)} and {ScriptValue.TypeName(y)} have no order. Sort numbers, texts or booleans, or sort objects by a member.");
                }

                c = ScriptOperators.Compare(context, x, y);
            }

            return c != 0 ? c : a.CompareTo(b);
        }

        /// <summary>The kinds of sort keys that order among themselves: 1 numbers, 2 texts, 3 booleans; 0 anything else.</summary>
        private static int KindOf(object value) => value switch
        {
            string => 2,
            bool => 3,
            _ => ScriptValue.IsNumber(value) ? 1 : 0,
        };
    }
}
