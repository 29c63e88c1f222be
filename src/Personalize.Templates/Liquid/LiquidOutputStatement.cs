using Personalize.Templates.Runtime;
using Personalize.Templates.Syntax;

namespace Personalize.Templates.Liquid;

/// <summary><c>{{ value | filters }}</c> (and <c>echo</c>): writes the value the way Liquid prints it.</summary>
internal sealed class LiquidOutputStatement : ScriptStatement
{
    internal override IEnumerable<ScriptNode?> Children => [Expression];

    private readonly LiquidMemberExpression? _member;
    private readonly PipeExpression? _truncatePipe;
    private readonly int _truncateLength;

    public LiquidOutputStatement(ScriptExpression expression)
    {
        Expression = expression;
        _member = expression as LiquidMemberExpression;
        if (expression is PipeExpression
            {
                ExpandsLeft: false,
                Right: CallExpression { Target: LiteralExpression { Value: LiquidFilter { Name: "truncate" } }, Arguments: [{ Name: null, Expand: false, Value: LiteralExpression { Value: int length } }] },
            } pipe)
        {
            // `{{ x | truncate: 15 }}`: when x is a string, write its head and the ellipsis straight to the output instead
            // of building the truncated string (same text, same limits).
            _truncatePipe = pipe;
            _truncateLength = length;
        }
    }

    public ScriptExpression Expression { get; }

    public override void Execute(TemplateContext context)
    {
        object? value;
        if (_member is not null)
        {
            if (_member.TryWriteOutput(context, Span, out value))
            {
                return;
            }
        }
        else if (_truncatePipe is not null)
        {
            var left = _truncatePipe.Left.Evaluate(context);
            if (left is string text)
            {
                context.CurrentSpan = Span;
                var keep = LiquidFilters.TruncateKeep(text, _truncateLength, "...");
                if (keep < 0)
                {
                    context.Write(text);
                }
                else
                {
                    context.Write(text.AsSpan(0, keep));
                    context.Write("...");
                }

                return;
            }

            value = ((CallExpression)_truncatePipe.Right).Invoke(context, hasPiped: true, piped: left);
        }
        else
        {
            value = Expression.Evaluate(context);
        }

        context.CurrentSpan = Span;
        switch (value)
        {
            case null or LiquidKeyword:
                return;
            case string or int or long or decimal:
                // Written without an intermediate string.
                context.WriteValue(value);
                return;
            default:
                context.WriteValue(LiquidValue.ToText(context, value));
                return;
        }
    }
}
