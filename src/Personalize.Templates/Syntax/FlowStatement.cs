using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

/// <summary><c>break</c>, <c>continue</c> or <c>ret [value]</c>.</summary>
internal sealed class FlowStatement : ScriptStatement
{
    internal override IEnumerable<ScriptNode?> Children => [Value];

    public FlowStatement(ControlFlow flow, ScriptExpression? value)
    {
        Flow = flow;
        Value = value;
    }

    public ControlFlow Flow { get; }

    public ScriptExpression? Value { get; }

    public override void Execute(TemplateContext context)
    {
        if (Flow == ControlFlow.Return)
        {
            context.ReturnValue = Value?.Evaluate(context);
        }

        context.Flow = Flow;
    }
}
