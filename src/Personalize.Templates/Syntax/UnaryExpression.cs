using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

internal sealed class UnaryExpression : ScriptExpression
{
    internal override IEnumerable<ScriptNode?> Children => [Operand];

    public UnaryExpression(UnaryOperator op, ScriptExpression operand)
    {
        Operator = op;
        Operand = operand;
    }

    public UnaryOperator Operator { get; }

    public ScriptExpression Operand { get; }

    public override object? Evaluate(TemplateContext context)
    {
        switch (Operator)
        {
            case UnaryOperator.Not:
                return Boxes.Bool(!ScriptValue.IsTruthy(Operand.Evaluate(context)));
            case UnaryOperator.Negate:
                context.CurrentSpan = Span;
                return ScriptOperators.Negate(context, Operand.Evaluate(context));
            case UnaryOperator.Plus:
                var value = Operand.Evaluate(context);
                return value is null || ScriptValue.IsNumber(value) ? value : throw context.Error(Span, $"Unary `+` is not supported on `{ScriptValue.TypeName(value)}`.");
            case UnaryOperator.Alias:
                return Operand.EvaluateRaw(context);
            default:
                return Operand.Evaluate(context);
        }
    }

    public override object? EvaluateRaw(TemplateContext context) => Operator == UnaryOperator.Alias ? Operand.EvaluateRaw(context) : Evaluate(context);

    public override string Describe() => Operator switch
    {
        UnaryOperator.Not => "!",
        UnaryOperator.Negate => "-",
        UnaryOperator.Plus => "+",
        UnaryOperator.Alias => "@",
        _ => "^",
    } + Operand.Describe();
}
