using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

/// <summary><c>++x</c>, <c>x++</c>, <c>--x</c>, <c>x--</c>.</summary>
internal sealed class IncrementExpression : ScriptExpression
{
    internal override IEnumerable<ScriptNode?> Children => [Target];

    public IncrementExpression(ScriptAssignable target, bool increment, bool prefix)
    {
        Target = target;
        Increment = increment;
        Prefix = prefix;
    }

    public ScriptAssignable Target { get; }

    public bool Increment { get; }

    public bool Prefix { get; }

    public override object? Evaluate(TemplateContext context)
    {
        var before = Target.Evaluate(context);
        context.CurrentSpan = Span;
        var after = ScriptOperators.Arithmetic(context, Increment ? '+' : '-', before, 1);
        Target.Assign(context, after);
        return Prefix ? after : before;
    }
}
