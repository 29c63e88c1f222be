using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

/// <summary><c>$$</c>: renders the block passed by <c>wrap</c>.</summary>
internal sealed class WrapBodyExpression : ScriptExpression
{
    public override object? Evaluate(TemplateContext context)
    {
        context.CurrentFrame.WrapBody?.Execute(context);
        return null;
    }

    public override string Describe() => "$$";
}
