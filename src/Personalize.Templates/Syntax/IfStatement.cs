using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

internal sealed class IfStatement : ScriptStatement
{
    internal override IEnumerable<ScriptNode?> Children => [Condition, Then, Else];

    public IfStatement(ScriptExpression condition, ScriptBlock then, ScriptStatement? otherwise)
    {
        Condition = condition;
        Then = then;
        Else = otherwise;
    }

    public ScriptExpression Condition { get; }

    public ScriptBlock Then { get; }

    /// <summary>Gets the <c>else</c> block or the next <c>else if</c> statement.</summary>
    public ScriptStatement? Else { get; }

    public override void Execute(TemplateContext context)
    {
        if (ScriptValue.IsTruthy(BinaryExpression.Guarded(context, Condition)))
        {
            Then.Execute(context);
        }
        else
        {
            Else?.Execute(context);
        }
    }
}
