using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

/// <summary><c>value | function args…</c>: the left value becomes the first argument.</summary>
internal sealed class PipeExpression : ScriptExpression
{
    public PipeExpression(ScriptExpression left, ScriptExpression right)
    {
        Left = left;
        Right = right;
    }

    public ScriptExpression Left { get; }

    public ScriptExpression Right { get; }

    public override object? Evaluate(TemplateContext context)
    {
        var value = Left.Evaluate(context);
        if (Right is CallExpression call)
        {
            return call.Invoke(context, hasPiped: true, piped: value);
        }

        var target = Right.EvaluateRaw(context);
        if (target is not IScriptFunction function)
        {
            throw context.Error(Right.Span, $"Pipe expression destination `{Right.Describe()}` is not a valid function ");
        }

        var args = context.RentArguments();
        try
        {
            args.Add(value);
            args.Span = Right.Span;
            context.CurrentSpan = Right.Span;
            context.PendingWrapBody = null;
            return context.Invoke(function, args);
        }
        finally
        {
            context.ReturnArguments(args);
        }
    }

    public override string Describe() => Left.Describe() + " | " + Right.Describe();
}
