using Personalize.Templates.Runtime;

namespace Personalize.Templates.Liquid;

/// <summary>
/// The list filters that test a property of each item (<c>where</c>, <c>reject</c>, <c>find</c>, <c>find_index</c>,
/// <c>has</c>) and the ones that read items by a property (<c>map</c>, <c>sort</c>, <c>sort_natural</c>, <c>uniq</c>,
/// <c>compact</c>, <c>sum</c>), with Shopify's rules: the input is flattened (a hash or a single value is a one-item list,
/// nil an empty one), a property is read as <see cref="LiquidValue.Index"/> says, an item that cannot be indexed (nil,
/// true/false) makes the filter give nil, a key of the wrong type is an error, and with no value (or nil) the test is the
/// property's truthiness. One loop iteration is charged per item.
/// </summary>
internal static partial class LiquidFilters
{
    private enum ItemTest
    {
        Where,
        Reject,
        Find,
        FindIndex,
        Has,
    }

    private static void AddListFilters(Action<string, int, int, string, Func<TemplateContext, ScriptArguments, object?>> add)
    {
        add("where", 1, 2, "where: \"property\", \"value\"", static (c, a) => TestItems(c, a, ItemTest.Where));
        add("reject", 1, 2, "reject: \"property\", \"value\"", static (c, a) => TestItems(c, a, ItemTest.Reject));
        add("find", 1, 2, "find: \"property\", \"value\"", static (c, a) => TestItems(c, a, ItemTest.Find));
        add("find_index", 1, 2, "find_index: \"property\", \"value\"", static (c, a) => TestItems(c, a, ItemTest.FindIndex));
        add("has", 1, 2, "has: \"property\", \"value\"", static (c, a) => TestItems(c, a, ItemTest.Has));
        add("map", 1, 1, "map: \"property\"", static (c, a) => Map(c, a[0], a[1]));
        add("sort", 0, 1, "sort: \"property\"", static (c, a) => Sort(c, a[0], a.Count > 1 ? a[1] : null, natural: false));
        add("sort_natural", 0, 1, "sort_natural: \"property\"", static (c, a) => Sort(c, a[0], a.Count > 1 ? a[1] : null, natural: true));
        add("uniq", 0, 1, "uniq: \"property\"", static (c, a) => Uniq(c, a[0], a.Count > 1 ? a[1] : null));
        add("compact", 0, 1, "compact: \"property\"", static (c, a) => Compact(c, a[0], a.Count > 1 ? a[1] : null));
        add("sum", 0, 1, "sum: \"property\"", static (c, a) => Sum(c, a[0], a.Count > 1 ? a[1] : null));
    }

    private static object? TestItems(TemplateContext c, ScriptArguments a, ItemTest test)
    {
        var items = LiquidValue.Flatten(c, a[0]);
        var property = ScriptValue.Normalize(a[1]);
        var target = a.Count > 2 ? ScriptValue.Normalize(a[2]) : null;
        if (items.Count == 0 || property is null)
        {
            // Nothing to test, or no property to test by: the filter's empty answer.
            return test switch
            {
                ItemTest.Where or ItemTest.Reject => new ScriptArray(),
                ItemTest.Has => false,
                _ => null,
            };
        }

        var kept = test is ItemTest.Where or ItemTest.Reject ? new ScriptArray() : null;
        for (var i = 0; i < items.Count; i++)
        {
            c.ChargeLoopIterations();
            var outcome = LiquidValue.Index(c, items[i], property, out var value);
            if (outcome == LiquidIndexOutcome.NotIndexable)
            {
                // Shopify's filter stops on an item it cannot read a property of (nil, true/false) and gives nil.
                return null;
            }

            if (outcome == LiquidIndexOutcome.WrongKeyType)
            {
                throw PropertyError(c, test.ToString(), items[i], property);
            }

            var matches = target is null ? ScriptValue.IsTruthy(value) && value is not LiquidKeyword : LiquidValue.Equal(value, target);
            switch (test)
            {
                case ItemTest.Where when matches:
                case ItemTest.Reject when !matches:
                    kept!.Add(items[i]);
                    break;
                case ItemTest.Find when matches:
                    return items[i];
                case ItemTest.FindIndex when matches:
                    return i;
                case ItemTest.Has when matches:
                    return true;
            }
        }

        return test switch
        {
            ItemTest.Has => false,
            ItemTest.Find or ItemTest.FindIndex => null,
            _ => kept,
        };
    }

    private static TemplateRuntimeException PropertyError(TemplateContext c, string filter, object? item, object? property) =>
        c.Error($"`{Snake(filter)}` cannot read the property {Describe(c, property)} of {ScriptValue.TypeName(item)} `{LiquidValue.ToText(c, item)}`: use it on an array of objects (hashes), or pass a whole-number index for an array of arrays.");

    private static string Snake(string name) => name switch
    {
        "FindIndex" => "find_index",
        _ => name.ToLowerInvariant(),
    };

    private static string Describe(TemplateContext c, object? value) => value switch
    {
        null => "nil",
        string s => $"\"{s}\"",
        _ => $"`{LiquidValue.ToText(c, value)}`",
    };

    /// <summary>Reads a property of every item (nested arrays flattened); items that cannot be indexed give nil.</summary>
    private static ScriptArray Map(TemplateContext c, object? input, object? property)
    {
        property = ScriptValue.Normalize(property);
        var result = new ScriptArray();
        foreach (var item in LiquidValue.Flatten(c, input))
        {
            var outcome = LiquidValue.Index(c, item, property, out var value);
            if (outcome == LiquidIndexOutcome.WrongKeyType)
            {
                throw PropertyError(c, "map", item, property);
            }

            result.Add(value);
        }

        return result;
    }

    private static object? ItemKey(TemplateContext c, string filter, object? item, object? property)
    {
        if (property is null)
        {
            return item;
        }

        return LiquidValue.Index(c, item, property, out var value) == LiquidIndexOutcome.WrongKeyType
            ? throw PropertyError(c, filter, item, property)
            : value;
    }

    private static ScriptArray? Sort(TemplateContext c, object? input, object? property, bool natural)
    {
        property = ScriptValue.Normalize(property);
        var list = LiquidValue.Flatten(c, input);
        if (property is not null && list.Count > 0 && !list.TrueForAll(LiquidValue.IsIndexable))
        {
            // Shopify sorts by a property only when every item can be indexed (`ary.all? { |el| el.respond_to?(:[]) }`);
            // otherwise (a float, nil, true/false among them) the filter gives nil.
            return null;
        }

        if (list.Count <= 1)
        {
            // Nothing to compare (Ruby's sort never reads a single item's property).
            return new ScriptArray(list);
        }

        var keys = new object?[list.Count];
        for (var i = 0; i < list.Count; i++)
        {
            var key = ItemKey(c, natural ? "sort_natural" : "sort", list[i], property);
            keys[i] = natural && key is not null ? LiquidValue.ToText(c, key).ToLowerInvariant() : key;
        }

        var order = new int[list.Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        // A sort compares about n·log2(n) pairs: charged up front so a huge list ends at the loop limit, not in the sort.
        c.ChargeLoopIterations(list.Count * (long)Math.Max(1, Math.Ceiling(Math.Log2(Math.Max(2, list.Count)))));
        Builtins.BuiltinHelpers.Sort(order, new KeyComparer(c, keys, natural ? "sort_natural" : "sort"));
        var result = new ScriptArray(list.Count);
        foreach (var index in order)
        {
            result.Add(list[index]);
        }

        return result;
    }

    private static ScriptArray? Uniq(TemplateContext c, object? input, object? property)
    {
        property = ScriptValue.Normalize(property);
        var result = new ScriptArray();
        var seen = new List<object?>();
        var items = LiquidValue.Flatten(c, input);
        if (items.Count <= 1)
        {
            // Nothing to compare (Ruby's uniq never reads a single item's property).
            result.AddRange(items);
            return result;
        }

        foreach (var item in items)
        {
            if (property is not null && !LiquidValue.IsIndexable(item))
            {
                // Ruby's uniq reads each item's property in turn; one that cannot be indexed makes Shopify's filter give nil.
                return null;
            }

            var key = ItemKey(c, "uniq", item, property);
            var duplicate = false;
            foreach (var existing in seen)
            {
                c.ChargeLoopIterations();
                if (SameKey(existing, key))
                {
                    duplicate = true;
                    break;
                }
            }

            if (!duplicate)
            {
                seen.Add(key);
                result.Add(item);
            }
        }

        return result;
    }

    /// <summary><c>uniq</c> keeps 1 and 1.0 apart (Ruby's hash equality); otherwise Liquid's equality.</summary>
    private static bool SameKey(object? left, object? right) =>
        (left is double || right is double) == (left is double && right is double) && LiquidValue.Equal(left, right);

    private static ScriptArray? Compact(TemplateContext c, object? input, object? property)
    {
        property = ScriptValue.Normalize(property);
        var result = new ScriptArray();
        foreach (var item in LiquidValue.Flatten(c, input))
        {
            if (property is not null && !LiquidValue.IsIndexable(item))
            {
                // As Shopify: an item whose property cannot be read at all (a float, nil, true/false) makes the filter give nil.
                return null;
            }

            if (ItemKey(c, "compact", item, property) is not null)
            {
                result.Add(item);
            }
        }

        return result;
    }

    private static object? Sum(TemplateContext c, object? input, object? property)
    {
        property = ScriptValue.Normalize(property);
        object total = 0;
        var values = new List<object?>();
        foreach (var item in LiquidValue.Flatten(c, input))
        {
            if (property is null)
            {
                values.Add(item);
                continue;
            }

            var outcome = LiquidValue.Index(c, item, property, out var value);
            if (outcome == LiquidIndexOutcome.WrongKeyType)
            {
                throw PropertyError(c, "sum", item, property);
            }

            values.Add(outcome == LiquidIndexOutcome.NotIndexable ? 0 : value);
        }

        foreach (var value in LiquidValue.Flatten(c, new ScriptArray(values)))
        {
            total = Arithmetic(c, '+', total, LiquidValue.ToNumber(value))!;
        }

        return total;
    }

    private sealed class KeyComparer : IComparer<int>
    {
        private readonly TemplateContext _context;
        private readonly object?[] _keys;
        private readonly string _filter;

        public KeyComparer(TemplateContext context, object?[] keys, string filter)
        {
            _context = context;
            _keys = keys;
            _filter = filter;
        }

        public int Compare(int x, int y)
        {
            if (x == y)
            {
                return 0;
            }

            var left = _keys[x];
            var right = _keys[y];

            // nil sorts last, like Shopify's; ties keep input order.
            if (left is null || right is null)
            {
                return left is null ? (right is null ? x.CompareTo(y) : 1) : -1;
            }

            if (left is string ls && right is string rs)
            {
                // Charged by length (and checks cancellation), like every builtin sort.
                _context.ChargeCharacters(Math.Min(ls.Length, rs.Length));
            }

            var result = LiquidValue.CompareForSort(left, right);
            if (result is null)
            {
                throw _context.Error($"`{_filter}` cannot order {ScriptValue.TypeName(left)} `{LiquidValue.ToText(_context, left)}` and {ScriptValue.TypeName(right)} `{LiquidValue.ToText(_context, right)}`: sort values of one type (numbers or text), or sort by a property with `{_filter}: \"name\"`.");
            }

            return result.Value != 0 ? result.Value : x.CompareTo(y);
        }
    }
}
