using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

/// <summary>Evaluates a standalone expression and hands the value to a callback (used by <see cref="TemplateExpression"/>).</summary>
internal sealed class EvaluateStatement : ScriptStatement
{
    private readonly ScriptExpression _expression;
    private readonly Action<object?> _result;

    public EvaluateStatement(ScriptExpression expression, Action<object?> result)
    {
        _expression = expression;
        _result = result;
    }

    public override void Execute(TemplateContext context) => _result(_expression.Evaluate(context));
}
