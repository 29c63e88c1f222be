using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

internal sealed class WhileStatement : ScriptStatement
{
    internal override IEnumerable<ScriptNode?> Children => [Condition, Body];

    public WhileStatement(ScriptExpression condition, ScriptBlock body)
    {
        Condition = condition;
        Body = body;
    }

    public ScriptExpression Condition { get; }

    public ScriptBlock Body { get; }

    public override void Execute(TemplateContext context)
    {
        var loop = context.PushLoop(LoopKind.While);
        try
        {
            var index = 0;
            while (ScriptValue.IsTruthy(Condition.Evaluate(context)))
            {
                context.CurrentSpan = Span;
                context.ChargeIteration(Body.Weight);
                loop.Index = index++;
                Body.Execute(context);
                if (EndIteration(context))
                {
                    break;
                }
            }
        }
        finally
        {
            context.PopLoop();
        }
    }
}
