using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

/// <summary><c>( expression )</c>.</summary>
internal sealed class ParenthesizedExpression : ScriptExpression
{
    internal override IEnumerable<ScriptNode?> Children => [Inner];

    public ParenthesizedExpression(ScriptExpression inner) => Inner = inner;

    public ScriptExpression Inner { get; }

    public override object? Evaluate(TemplateContext context) => Inner.Evaluate(context);

    public override object? EvaluateRaw(TemplateContext context) => Inner.EvaluateRaw(context);

    public override string Describe() => "(" + Inner.Describe() + ")";
}
