using System.Collections;
using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

/// <summary>
/// <c>for x in items offset: n limit: n reversed … else … end</c> and <c>tablerow … cols: n … end</c>: the one loop core of both
/// syntaxes (window clamping, the loop stack behind <c>for</c>/<c>forloop</c>, break/continue, the loop variable's scope,
/// table rows). Liquid's differences — what a collection iterates as, <c>offset: continue</c>, whole-number checks, its table
/// markup — are the overrides in <c>Liquid/LiquidForStatement</c>.
/// </summary>
internal class ForStatement : ScriptStatement
{
    internal override IEnumerable<ScriptNode?> Children => [Variable, Iterable, Offset, Limit, Columns, Body, Else];

    public ScriptAssignable Variable { get; init; } = null!;

    public ScriptExpression Iterable { get; init; } = null!;

    public ScriptExpression? Offset { get; init; }

    public ScriptExpression? Limit { get; init; }

    public ScriptExpression? Columns { get; init; }

    public bool Reversed { get; init; }

    public bool IsTableRow { get; init; }

    public ScriptBlock Body { get; init; } = null!;

    public ScriptBlock? Else { get; init; }

    /// <summary>The items of a null collection: empty, and told apart from an empty collection by reference.</summary>
    private static readonly object?[] NullSource = new object?[0];

    public override void Execute(TemplateContext context)
    {
        var items = Items(context);
        if (ReferenceEquals(items, NullSource) && !NullRunsElse)
        {
            // Scriban: a loop over null (a missing or null value) does nothing at all — no `else`, no empty table.
            return;
        }

        var (start, count) = Window(context, items.Count);
        if (count == 0)
        {
            if (IsTableRow)
            {
                WriteEmptyTable(context);
            }

            Else?.Execute(context);
            return;
        }

        // Reversed: Scriban reverses what is left after `offset:` and then takes `limit:` items (`[1,2,3,4] limit:2 reversed`
        // is 4, 3); Liquid reverses the window (2, 1).
        var last = ReversesBeforeLimit ? items.Count - 1 : start + count - 1;
        var saved = SaveVariable(context, out var hadValue);
        var loop = context.PushLoop(IsTableRow ? LoopKind.TableRow : LoopKind.For);
        loop.Length = count;
        loop.Columns = IsTableRow ? ColumnCount(context, count) : 1;
        Started(loop);
        object? previous = null;

        try
        {
            if (IsTableRow)
            {
                WriteTableStart(context);
            }

            for (var i = 0; i < count; i++)
            {
                context.CurrentSpan = Span;
                context.ChargeIteration(Body.Weight);
                var at = Reversed ? last - i : start + i;
                var item = items is object?[] direct ? direct[at] : items[at];
                loop.Index = i;
                loop.Previous = previous;
                loop.Current = item;
                previous = item;
                Variable.Assign(context, item);
                if (IsTableRow)
                {
                    loop.Column = i % loop.Columns;
                    loop.Row = i / loop.Columns;
                    WriteCellStart(context, loop);
                }

                Body.Execute(context);
                if (IsTableRow)
                {
                    WriteCellEnd(context, loop);
                }

                if (EndIteration(context))
                {
                    break;
                }
            }

            if (IsTableRow)
            {
                WriteTableEnd(context);
            }
        }
        finally
        {
            context.PopLoop();
            RestoreVariable(context, saved, hadValue);
        }
    }

    /// <summary>Whether a loop over null runs its <c>else</c> (Liquid) or does nothing (Scriban).</summary>
    protected virtual bool NullRunsElse => false;

    /// <summary>The items the loop walks (Scriban: a sequence as it is, a string its characters; nil none; an object is an error).</summary>
    protected virtual IList<object?> Items(TemplateContext context)
    {
        var source = Iterable.Evaluate(context);
        if (source is bool or int or long or double or decimal or float or System.Numerics.BigInteger)
        {
            // Scriban cannot loop over a single number or boolean.
            throw context.Error(Iterable.Span, $"Cannot loop over `{Iterable.Describe()}`: it is a {ScriptValue.TypeName(source)}, and a loop needs an array, a range, text or an object.");
        }

        if (MembersOf(source) is { } members)
        {
            // Scriban walks an object's members as {key, value} pairs.
            var pairs = new List<object?>();
            foreach (var pair in members)
            {
                context.ChargeLoopIterations();
                pairs.Add(new ScriptObject(2) { ["key"] = pair.Key, ["value"] = ScriptValue.Normalize(pair.Value) });
            }

            return pairs;
        }

        return Items(context, source);
    }

    private static IEnumerable<KeyValuePair<string, object?>>? MembersOf(object? source) => source switch
    {
        ScriptObject o => o,
        System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Object } json => json.EnumerateObject().Select(p => new KeyValuePair<string, object?>(p.Name, p.Value)),
        System.Text.Json.Nodes.JsonObject node => node.Select(p => new KeyValuePair<string, object?>(p.Key, p.Value)),
        _ => null,
    };

    /// <summary>The items of an evaluated collection: arrays as they are, JSON arrays normalized, other sequences copied.</summary>
    protected IList<object?> Items(TemplateContext context, object? source)
    {
        IList<object?> items;
        switch (source)
        {
            case null:
                items = NullSource;
                break;
            case string text:
                // Scriban walks a string character by character.
                var characters = text.Length == 0 ? Array.Empty<object?>() : new object?[text.Length];
                for (var i = 0; i < text.Length; i++)
                {
                    context.ChargeLoopIterations();
                    characters[i] = text[i].ToString();
                }

                items = characters;
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
                // grows, no enumerator object); one loop iteration charged per item, as for any other sequence. The
                // same boxed array looped again on this thread (the text part of an email after its HTML part, given
                // the same value by the model) reuses the items: a boxed JSON element never changes, and nothing but
                // this loop sees the array.
                if (context.TryGetJsonItems(source, out var kept))
                {
                    for (var i = 0; i < kept.Length; i++)
                    {
                        context.ChargeLoopIterations();
                    }

                    items = kept;
                    break;
                }

                var length = json.GetArrayLength();
                var jsonItems = length == 0 ? Array.Empty<object?>() : new object?[length];
                var at = 0;
                foreach (var item in json.EnumerateArray())
                {
                    context.ChargeLoopIterations();
                    jsonItems[at++] = ScriptValue.Normalize(item);
                }

                items = jsonItems;
                context.KeepJsonItems(source, jsonItems);
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

        return items;
    }

    /// <summary>The part of the items the loop walks: <c>offset:</c> and <c>limit:</c> clamped to the items.</summary>
    protected virtual (int Start, int Count) Window(TemplateContext context, int total)
    {
        var start = 0;
        if (Offset is not null && ScriptValue.TryToInt32(Offset.Evaluate(context), out var offset))
        {
            start = Math.Clamp(offset, 0, total);
        }

        var count = total - start;
        if (Limit is not null && ScriptValue.TryToInt32(Limit.Evaluate(context), out var limit) && limit > 0)
        {
            // Scriban applies a positive limit only (`limit: 0` walks every item).
            count = Math.Min(limit, count);
        }

        return (start, count);
    }

    /// <summary>Whether <c>reversed</c> applies before <c>limit:</c> (Scriban) or to the window <c>offset:</c>/<c>limit:</c> chose (Liquid).</summary>
    protected virtual bool ReversesBeforeLimit => true;

    /// <summary>The cells per table row (Scriban: <c>cols:</c>, else one).</summary>
    protected virtual int ColumnCount(TemplateContext context, int count) =>
        Columns is not null && ScriptValue.TryToInt32(Columns.Evaluate(context), out var cols) && cols > 0 ? cols : 1;

    /// <summary>Called once the loop state is on the stack, before the first item.</summary>
    protected virtual void Started(LoopState loop)
    {
    }

    /// <summary>Writes a table with no items (Scriban: one empty row).</summary>
    protected virtual void WriteEmptyTable(TemplateContext context) => context.WriteText("<tr class=\"row1\"></tr>\n");

    /// <summary>Writes what opens a table (Scriban: nothing; rows open with their first cell).</summary>
    protected virtual void WriteTableStart(TemplateContext context)
    {
    }

    /// <summary>Writes what closes a table (Scriban: nothing; rows close with their last cell).</summary>
    protected virtual void WriteTableEnd(TemplateContext context)
    {
    }

    /// <summary>Writes what comes before an item's body in a table row.</summary>
    protected virtual void WriteCellStart(TemplateContext context, LoopState loop)
    {
        if (loop.Column == 0)
        {
            context.WriteText($"<tr class=\"row{loop.Row + 1}\">");
        }

        context.WriteText($"<td class=\"col{loop.Column + 1}\">");
    }

    /// <summary>Writes what comes after an item's body in a table row.</summary>
    protected virtual void WriteCellEnd(TemplateContext context, LoopState loop)
    {
        context.WriteText("</td>");
        if (loop.Column == loop.Columns - 1 || loop.Index == loop.Length - 1)
        {
            context.WriteText("</tr>\n");
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
