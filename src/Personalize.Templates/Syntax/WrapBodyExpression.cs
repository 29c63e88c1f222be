using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

/// <summary><c>$$</c>: renders the block passed by <c>wrap</c>.</summary>
internal sealed class WrapBodyExpression : ScriptExpression
{
    public override object? Evaluate(TemplateContext context)
    {
        if (context.CurrentFrame.WrapBody is not { } body)
        {
            return null;
        }

        // The body may itself evaluate `$$`: count it like a call so that this recursion is bounded too.
        context.CurrentSpan = Span;
        context.EnterCall();
        try
        {
            context.CheckStack();
            body.Execute(context);
        }
        finally
        {
            context.ExitCall();
        }

        return null;
    }

    public override string Describe() => "$$";
}
