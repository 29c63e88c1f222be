using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

/// <summary><c>this</c>: the current scope object.</summary>
internal sealed class ThisExpression : ScriptExpression
{
    public override object? Evaluate(TemplateContext context)
    {
        // The scope object leaves the interpreter's hands: the context must not empty and reuse it after this render or evaluation.
        context.ScopeEscaped = true;
        return context.CurrentScope;
    }

    public override string Describe() => "this";
}
