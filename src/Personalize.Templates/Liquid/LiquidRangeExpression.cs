using Personalize.Templates.Runtime;
using Personalize.Templates.Syntax;

namespace Personalize.Templates.Liquid;

/// <summary>Liquid <c>(from..to)</c>: the integers from <c>from</c> up to <c>to</c> (empty when <c>to</c> is smaller).</summary>
internal sealed class LiquidRangeExpression : ScriptExpression
{
    internal override IEnumerable<ScriptNode?> Children => [From, To];

    public LiquidRangeExpression(ScriptExpression from, ScriptExpression to)
    {
        From = from;
        To = to;
    }

    public ScriptExpression From { get; }

    public ScriptExpression To { get; }

    public override object? Evaluate(TemplateContext context)
    {
        var from = ToLong(LiquidValue.ToNumber(From.Evaluate(context)));
        var to = ToLong(LiquidValue.ToNumber(To.Evaluate(context)));
        var count = to < from ? 0 : to - from + 1;
        if (count > context.Limits.MaxRangeLength)
        {
            throw new TemplateLimitExceededException(
                nameof(TemplateLimits.MaxRangeLength),
                context.Limits.MaxRangeLength,
                $"The range ({from}..{to}) has {count} items; the limit is {context.Limits.MaxRangeLength} (TemplateLimits.MaxRangeLength). Use a smaller range or `limit:`.",
                Span,
                context.SourceName);
        }

        var result = new ScriptArray((int)count) { IsRange = true };
        for (var i = 0L; i < count; i++)
        {
            result.Add(ScriptOperators.Narrow(from + i));
        }

        return result;
    }

    private static long ToLong(object number) => number switch
    {
        double d => double.IsFinite(d) ? (long)Math.Clamp(Math.Truncate(d), long.MinValue, long.MaxValue) : 0,
        decimal m => (long)Math.Truncate(m),
        _ => ScriptValue.TryToInt64(number, out var l) ? l : 0,
    };

    public override string Describe() => "(" + From.Describe() + ".." + To.Describe() + ")";
}
