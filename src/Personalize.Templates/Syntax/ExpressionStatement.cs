using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

/// <summary>An expression whose value is written to the output (nothing for null).</summary>
internal sealed class ExpressionStatement : ScriptStatement
{
    public ExpressionStatement(ScriptExpression expression) => Expression = expression;

    public ScriptExpression Expression { get; }

    public override void Execute(TemplateContext context)
    {
        var value = Expression.Evaluate(context);
        if (value is not null)
        {
            context.CurrentSpan = Span;
            context.WriteValue(value);
        }
    }
}
