using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

/// <summary><c>value | function args…</c>: the left value becomes the first argument.</summary>
internal sealed class PipeExpression : ScriptExpression
{
    internal override IEnumerable<ScriptNode?> Children => [Left, Right];

    public PipeExpression(ScriptExpression left, ScriptExpression right)
    {
        Left = left;
        Right = right;
        _expandLeft = left is UnaryExpression { Operator: UnaryOperator.Expand };
    }

    private readonly bool _expandLeft;

    public ScriptExpression Left { get; }

    /// <summary>Gets whether the left value is expanded into arguments (<c>^list | f</c>).</summary>
    public bool ExpandsLeft => _expandLeft;

    public ScriptExpression Right { get; }

    public override object? Evaluate(TemplateContext context)
    {
        var value = Left.Evaluate(context);
        var expand = _expandLeft;
        if (expand && ScriptValue.AsEnumerable(value) is null)
        {
            throw context.Error(Left.Span, $"The `^` operator expands an array into arguments, but `{Left.Describe()}` is a {ScriptValue.TypeName(value)}.");
        }

        if (Right is CallExpression call)
        {
            return call.Invoke(context, hasPiped: true, piped: value, expandPiped: expand);
        }

        var target = Right.EvaluateRaw(context);
        if (target is null)
        {
            throw CallExpression.NotFound(context, Right);
        }

        if (target is not IScriptFunction function)
        {
            throw context.Error(Right.Span, $"Pipe expression destination `{Right.Describe()}` is not a valid function ");
        }

        var args = context.RentArguments();
        try
        {
            if (expand)
            {
                foreach (var item in ScriptValue.AsEnumerable(value)!)
                {
                    args.Add(item);
                }
            }
            else
            {
                args.Add(value);
            }

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
