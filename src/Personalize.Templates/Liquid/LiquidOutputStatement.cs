using Personalize.Templates.Runtime;
using Personalize.Templates.Syntax;

namespace Personalize.Templates.Liquid;

/// <summary><c>{{ value | filters }}</c> (and <c>echo</c>): writes the value the way Liquid prints it.</summary>
internal sealed class LiquidOutputStatement : ScriptStatement
{
    public LiquidOutputStatement(ScriptExpression expression) => Expression = expression;

    public ScriptExpression Expression { get; }

    public override void Execute(TemplateContext context)
    {
        var value = Expression.Evaluate(context);
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
