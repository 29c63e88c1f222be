using System.Globalization;
using Personalize.Templates.Runtime;
using Personalize.Templates.Syntax;

namespace Personalize.Templates.Liquid;

/// <summary>
/// Liquid's <c>for</c> and <c>tablerow</c> on the shared loop core (<see cref="ForStatement"/>), with only Liquid's differences:
/// a hash iterates as <c>[key, value]</c> pairs, text as one item (empty text as none), a number as nothing (see
/// <see cref="LiquidIterableExpression"/>); <c>limit:</c>/<c>offset:</c> must be whole numbers; <c>offset: continue</c> resumes
/// where the last loop of the same variable and collection stopped; <c>forloop.name</c>; and Shopify's table markup.
/// </summary>
internal sealed class LiquidForStatement : ForStatement
{
    /// <summary>Gets Liquid's loop name, <c>variable-collection</c> as written: the key of <c>offset: continue</c>.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>Gets a value indicating whether the loop has <c>offset: continue</c>.</summary>
    public bool OffsetContinue { get; init; }

    public override void Execute(TemplateContext context)
    {
        // A table over nothing at all (nil, a missing variable) writes no markup; an empty list writes an empty row.
        if (IsTableRow && Iterable.Evaluate(context) is null)
        {
            return;
        }

        base.Execute(context);
    }

    protected override IList<object?> Items(TemplateContext context)
    {
        var value = Iterable.Evaluate(context);
        return value switch
        {
            null => Array.Empty<object?>(),
            string text => text.Length == 0 ? Array.Empty<object?>() : new object?[] { text },
            _ => base.Items(context, value),
        };
    }

    protected override bool ReversesBeforeLimit => false;

    protected override bool NullRunsElse => true;

    protected override (int Start, int Count) Window(TemplateContext context, int total)
    {
        var start = 0;
        if (OffsetContinue)
        {
            start = context.LiquidLoopOffset(Name);
        }
        else if (Offset is not null && Offset.Evaluate(context) is { } offset)
        {
            start = LiquidValue.ToInteger(context, offset, "`offset:`");
        }

        start = Math.Clamp(start, 0, total);
        var count = total - start;
        if (Limit is not null && Limit.Evaluate(context) is { } limit)
        {
            count = Math.Clamp(LiquidValue.ToInteger(context, limit, "`limit:`"), 0, count);
        }

        if (!IsTableRow)
        {
            // Where a later `offset: continue` of this loop starts, even if this one breaks early.
            context.SetLiquidLoopOffset(Name, start + count);
        }

        return (start, count);
    }

    /// <summary>A table puts every item in one row unless <c>cols:</c> says otherwise.</summary>
    protected override int ColumnCount(TemplateContext context, int count)
    {
        if (Columns is not null && Columns.Evaluate(context) is { } cols)
        {
            // Shopify reads `cols:` as Ruby's to_i: 2.6 is 2, text that is no number is 0 (one row).
            var number = LiquidValue.ToNumber(cols);
            var n = number is double d ? (int)Math.Clamp(Math.Truncate(d), int.MinValue, int.MaxValue) : ScriptValue.TryToInt32(number, out var i) ? i : 0;
            return n > 0 ? n : count;
        }

        return count;
    }

    protected override void Started(LoopState loop) => loop.Name = Name;

    protected override void WriteEmptyTable(TemplateContext context)
    {
        WriteTableStart(context);
        WriteTableEnd(context);
    }

    protected override void WriteTableStart(TemplateContext context) => context.Write("<tr class=\"row1\">\n");

    protected override void WriteTableEnd(TemplateContext context) => context.Write("</tr>\n");

    protected override void WriteCellStart(TemplateContext context, LoopState loop) =>
        context.Write("<td class=\"col" + (loop.Column + 1).ToString(CultureInfo.InvariantCulture) + "\">");

    protected override void WriteCellEnd(TemplateContext context, LoopState loop)
    {
        context.Write("</td>");
        if (loop.Column == loop.Columns - 1 && loop.Index < loop.Length - 1)
        {
            context.Write("</tr>\n<tr class=\"row" + (loop.Row + 2).ToString(CultureInfo.InvariantCulture) + "\">");
        }
    }
}
