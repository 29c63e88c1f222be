using System.Globalization;
using Personalize.Templates.Runtime;
using Personalize.Templates.Syntax;

namespace Personalize.Templates.Liquid;

/// <summary>
/// <c>{% tablerow item in items cols: n limit: n offset: n %}</c> with Shopify's exact markup:
/// <c>&lt;tr class="row1"&gt;\n&lt;td class="col1"&gt;…&lt;/td&gt;…&lt;/tr&gt;\n</c>; without <c>cols</c> every cell is in one row.
/// </summary>
internal sealed class LiquidTableRowStatement : ScriptStatement
{
    public string Variable { get; init; } = null!;

    public ScriptExpression Iterable { get; init; } = null!;

    public ScriptExpression? Columns { get; init; }

    public ScriptExpression? Limit { get; init; }

    public ScriptExpression? Offset { get; init; }

    public ScriptBlock Body { get; init; } = null!;

    public override void Execute(TemplateContext context)
    {
        var items = LiquidValue.ToList(context, Iterable.Evaluate(context));
        var start = Offset is not null && ScriptValue.TryToInt32(LiquidValue.ToNumber(Offset.Evaluate(context)), out var offset) ? Math.Clamp(offset, 0, items.Count) : 0;
        var count = items.Count - start;
        if (Limit is not null && ScriptValue.TryToInt32(LiquidValue.ToNumber(Limit.Evaluate(context)), out var limit))
        {
            count = Math.Clamp(limit, 0, count);
        }

        var columns = count;
        if (Columns is not null && ScriptValue.TryToInt32(LiquidValue.ToNumber(Columns.Evaluate(context)), out var cols) && cols > 0)
        {
            columns = cols;
        }

        context.CurrentSpan = Span;
        context.WriteValue("<tr class=\"row1\">\n");
        var scope = context.CurrentScope;
        var hadValue = scope.TryGetValue(Variable, out var saved);
        var loop = context.PushLoop(LoopKind.TableRow);
        loop.Length = count;
        loop.Columns = Math.Max(1, columns);
        try
        {
            for (var i = 0; i < count; i++)
            {
                context.CurrentSpan = Span;
                context.ChargeLoopIterations();
                loop.Index = i;
                loop.Column = i % loop.Columns;
                loop.Row = i / loop.Columns;
                context.CurrentScope.SetValue(Variable, items[start + i]);
                context.WriteValue("<td class=\"col" + (loop.Column + 1).ToString(CultureInfo.InvariantCulture) + "\">");
                Body.Execute(context);
                context.WriteValue("</td>");
                if (loop.Column == loop.Columns - 1 && i < count - 1)
                {
                    context.WriteValue("</tr>\n<tr class=\"row" + (loop.Row + 2).ToString(CultureInfo.InvariantCulture) + "\">");
                }

                if (context.Flow is ControlFlow.Break)
                {
                    context.Flow = ControlFlow.None;
                    break;
                }

                if (context.Flow is ControlFlow.Continue)
                {
                    context.Flow = ControlFlow.None;
                }
            }
        }
        finally
        {
            context.PopLoop();
            if (hadValue)
            {
                scope.SetValue(Variable, saved);
            }
            else
            {
                scope.Remove(Variable);
            }
        }

        context.WriteValue("</tr>\n");
    }
}
