using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

/// <summary><c>condition ? a : b</c>.</summary>
internal sealed class ConditionalExpression : ScriptExpression
{
    internal override IEnumerable<ScriptNode?> Children => [Condition, WhenTrue, WhenFalse];

    public ConditionalExpression(ScriptExpression condition, ScriptExpression whenTrue, ScriptExpression whenFalse)
    {
        Condition = condition;
        WhenTrue = whenTrue;
        WhenFalse = whenFalse;
    }

    public ScriptExpression Condition { get; }

    public ScriptExpression WhenTrue { get; }

    public ScriptExpression WhenFalse { get; }

    public override object? Evaluate(TemplateContext context) =>
        ScriptValue.IsTruthy(Condition.Evaluate(context)) ? WhenTrue.Evaluate(context) : WhenFalse.Evaluate(context);
}
