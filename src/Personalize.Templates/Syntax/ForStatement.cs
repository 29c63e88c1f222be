using System.Collections;
using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

/// <summary><c>for x in items offset: n limit: n reversed … else … end</c> and <c>tablerow … cols: n … end</c>.</summary>
internal sealed class ForStatement : ScriptStatement
{
    public ScriptAssignable Variable { get; init; } = null!;

    public ScriptExpression Iterable { get; init; } = null!;

    public ScriptExpression? Offset { get; init; }

    public ScriptExpression? Limit { get; init; }

    public ScriptExpression? Columns { get; init; }

    public bool Reversed { get; init; }

    public bool IsTableRow { get; init; }

    public ScriptBlock Body { get; init; } = null!;

    public ScriptBlock? Else { get; init; }

    public override void Execute(TemplateContext context)
    {
        var source = Iterable.Evaluate(context);
        IList<object?> items;
        switch (source)
        {
            case null:
                items = Array.Empty<object?>();
                break;
            case object?[] array:
                // Any array of a reference type (covariance): indexed directly below, no copy.
                items = array;
                break;
            case ScriptArray a:
                items = a;
                break;
            case IList<object?> list:
                items = list;
                break;
            case System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Array } json:
                // A JSON array (customer data): its items, normalized, into an array of the exact length (no list that
                // grows, no enumerator object); one loop iteration charged per item, as for any other sequence.
                var length = json.GetArrayLength();
                var jsonItems = length == 0 ? Array.Empty<object?>() : new object?[length];
                var at = 0;
                foreach (var item in json.EnumerateArray())
                {
                    context.ChargeLoopIterations();
                    jsonItems[at++] = ScriptValue.Normalize(item);
                }

                items = jsonItems;
                break;
            default:
                var enumerable = ScriptValue.AsEnumerable(source);
                if (enumerable is null)
                {
                    if (source is ScriptObject or IDictionary or IEnumerable<KeyValuePair<string, object?>>)
                    {
                        throw context.Error(Iterable.Span, $"Cannot loop over the object `{Iterable.Describe()}`: a loop needs an array or a range.");
                    }

                    items = new[] { source };
                    break;
                }

                var copy = new List<object?>();
                foreach (var item in enumerable)
                {
                    context.ChargeLoopIterations();
                    copy.Add(item);
                }

                items = copy;
                break;
        }

        var start = 0;
        if (Offset is not null && ScriptValue.TryToInt32(Offset.Evaluate(context), out var offset))
        {
            start = Math.Clamp(offset, 0, items.Count);
        }

        var count = items.Count - start;
        if (Limit is not null && ScriptValue.TryToInt32(Limit.Evaluate(context), out var limit))
        {
            count = Math.Clamp(limit, 0, count);
        }

        var columns = 1;
        if (Columns is not null && ScriptValue.TryToInt32(Columns.Evaluate(context), out var cols) && cols > 0)
        {
            columns = cols;
        }

        if (count == 0)
        {
            Else?.Execute(context);
            return;
        }

        var saved = SaveVariable(context, out var hadValue);
        var loop = context.PushLoop(IsTableRow ? LoopKind.TableRow : LoopKind.For);
        loop.Length = count;
        loop.Columns = columns;
        object? previous = null;

        try
        {
            for (var i = 0; i < count; i++)
            {
                context.CurrentSpan = Span;
                context.ChargeLoopIterations();
                var item = items is object?[] direct ? direct[Reversed ? start + count - 1 - i : start + i] : items[Reversed ? start + count - 1 - i : start + i];
                loop.Index = i;
                loop.Previous = previous;
                loop.Current = item;
                previous = item;
                Variable.Assign(context, item);
                if (IsTableRow)
                {
                    loop.Column = i % columns;
                    loop.Row = i / columns;
                    if (loop.Column == 0)
                    {
                        context.Write($"<tr class=\"row{loop.Row + 1}\">");
                    }

                    context.Write($"<td class=\"col{loop.Column + 1}\">");
                }

                Body.Execute(context);
                if (IsTableRow)
                {
                    context.Write("</td>");
                    if (loop.Column == columns - 1 || i == count - 1)
                    {
                        context.Write("</tr>\n");
                    }
                }

                if (EndIteration(context))
                {
                    break;
                }
            }
        }
        finally
        {
            context.PopLoop();
            RestoreVariable(context, saved, hadValue);
        }
    }

    private object? SaveVariable(TemplateContext context, out bool hadValue)
    {
        switch (Variable)
        {
            case GlobalVariable g:
                hadValue = context.CurrentScope.TryGetValue(g.Name, out var value);
                return value;
            case LocalVariable l:
                hadValue = context.CurrentFrame.TryGet(l.Name, out var local);
                return local;
            default:
                hadValue = false;
                return null;
        }
    }

    private void RestoreVariable(TemplateContext context, object? saved, bool hadValue)
    {
        switch (Variable)
        {
            case GlobalVariable g:
                if (hadValue)
                {
                    context.CurrentScope.SetValue(g.Name, saved);
                }
                else
                {
                    context.CurrentScope.Remove(g.Name);
                }

                break;
            case LocalVariable l:
                if (hadValue)
                {
                    context.CurrentFrame.Set(l.Name, saved);
                }
                else
                {
                    context.CurrentFrame.Remove(l.Name);
                }

                break;
        }
    }
}
