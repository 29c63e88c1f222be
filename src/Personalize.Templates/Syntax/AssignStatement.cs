using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

/// <summary><c>target = value</c> and compound forms (<c>+=</c>, <c>-=</c>, <c>*=</c>, <c>/=</c>, <c>//=</c>, <c>%=</c>).</summary>
internal sealed class AssignStatement : ScriptStatement
{
    internal override IEnumerable<ScriptNode?> Children => [Target, Value];

    public AssignStatement(ScriptAssignable target, BinaryOperator? compound, ScriptExpression value)
    {
        Target = target;
        Compound = compound;
        Value = value;
    }

    public ScriptAssignable Target { get; }

    public BinaryOperator? Compound { get; }

    public ScriptExpression Value { get; }

    public override void Execute(TemplateContext context)
    {
        var value = Value.Evaluate(context);
        if (Compound is { } op)
        {
            var current = Target.Evaluate(context);
            context.CurrentSpan = Span;
            value = op switch
            {
                BinaryOperator.Add => ScriptOperators.Add(context, current, value),
                BinaryOperator.Subtract => ScriptOperators.Arithmetic(context, '-', current, value),
                BinaryOperator.Multiply => ScriptOperators.Multiply(context, current, value),
                BinaryOperator.Divide => ScriptOperators.Arithmetic(context, '/', current, value),
                BinaryOperator.DivideRound => ScriptOperators.Arithmetic(context, 'f', current, value),
                _ => ScriptOperators.Arithmetic(context, '%', current, value),
            };
        }

        context.CurrentSpan = Span;
        Target.Assign(context, value);
    }
}
