using Personalize.Templates.Runtime;

namespace Personalize.Templates.Builtins;

/// <summary>The <c>array</c> builtin object (the subset the core language tests need; the rest comes with the builtin library).</summary>
internal static class ArrayFunctions
{
    /// <summary><c>array.size</c>: the number of items (0 for null).</summary>
    public static int Size(TemplateContext context, object? list)
    {
        if (list is null)
        {
            return 0;
        }

        return context.TryGetMember(list, "size", out var size) && size is int i ? i : 0;
    }

    /// <summary><c>array.sort</c>: a sorted copy, by the items themselves or by <paramref name="member"/> of each item.</summary>
    public static ScriptArray Sort(TemplateContext context, IEnumerable<object?>? list, string? member = null)
    {
        var result = list is null ? new ScriptArray() : new ScriptArray(list);
        context.ChargeLoopIterations(result.Count);
        if (string.IsNullOrEmpty(member))
        {
            result.Sort((a, b) => ScriptOperators.Compare(context, a, b));
        }
        else
        {
            result.Sort((a, b) =>
            {
                context.TryGetMember(a, member, out var left);
                context.TryGetMember(b, member, out var right);
                return ScriptOperators.Compare(context, left, right);
            });
        }

        return result;
    }

    /// <summary><c>array.remove_at</c>: a copy without the item at <paramref name="index"/> (negative counts from the end).</summary>
    public static ScriptArray RemoveAt(IEnumerable<object?>? list, int index)
    {
        var result = list is null ? new ScriptArray() : new ScriptArray(list);
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

    /// <summary><c>array.filter</c>: the items for which <paramref name="function"/> returns a truthy value.</summary>
    public static ScriptArray Filter(TemplateContext context, IEnumerable<object?>? list, IScriptFunction function)
    {
        var result = new ScriptArray();
        if (list is null)
        {
            return result;
        }

        foreach (var item in list)
        {
            context.ChargeLoopIterations();
            if (ScriptValue.IsTruthy(context.Call(function, item)))
            {
                result.Add(item);
            }
        }

        return result;
    }

    /// <summary><c>array.join</c>: the items as text, separated by <paramref name="delimiter"/>.</summary>
    public static string Join(TemplateContext context, IEnumerable<object?>? list, string? delimiter = null)
    {
        if (list is null)
        {
            return string.Empty;
        }

        var builder = new System.Text.StringBuilder();
        var first = true;
        foreach (var item in list)
        {
            context.ChargeLoopIterations();
            if (!first)
            {
                builder.Append(delimiter);
            }

            first = false;
            builder.Append(context.ToText(item));
            context.EnsureStringLength(builder.Length);
        }

        context.CheckStringLength(builder.Length);
        return builder.ToString();
    }
}
