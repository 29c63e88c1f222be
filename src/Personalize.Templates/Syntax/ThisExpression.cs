using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

/// <summary><c>this</c>: the current scope object.</summary>
internal sealed class ThisExpression : ScriptExpression
{
    public override object? Evaluate(TemplateContext context) => context.CurrentScope;

    public override string Describe() => "this";
}
