using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

/// <summary>A function call: <c>f a b name: c</c> or <c>f(a, b)</c>.</summary>
internal sealed class CallExpression : ScriptExpression
{
    internal override IEnumerable<ScriptNode?> Children => [Target, .. Arguments.Select(a => a.Value)];

    public CallExpression(ScriptExpression target, CallArgument[] arguments, bool parenthesized)
    {
        Target = target;
        Arguments = arguments;
        Parenthesized = parenthesized;
    }

    public ScriptExpression Target { get; }

    public CallArgument[] Arguments { get; }

    public bool Parenthesized { get; }

    public override object? Evaluate(TemplateContext context) => Invoke(context, hasPiped: false, piped: null);

    public object? InvokeWrapped(TemplateContext context, ScriptBlock body) => Invoke(context, hasPiped: false, piped: null, body);

    public object? Invoke(TemplateContext context, bool hasPiped, object? piped, ScriptBlock? wrapBody = null, bool expandPiped = false)
    {
        var target = Target.EvaluateRaw(context);
        var function = ResolveFunction(context, target, Target, Span);
        var args = context.RentArguments();
        try
        {
            if (hasPiped)
            {
                if (expandPiped)
                {
                    foreach (var item in ScriptValue.AsEnumerable(piped)!)
                    {
                        args.Add(item);
                    }
                }
                else
                {
                    args.Add(piped);
                }
            }

            foreach (var argument in Arguments)
            {
                var value = argument.Value.Evaluate(context);
                if (argument.Name is not null)
                {
                    args.AddNamed(argument.Name, value);
                }
                else if (argument.Expand)
                {
                    var items = ScriptValue.AsEnumerable(value);
                    if (items is null)
                    {
                        throw context.Error(argument.Value.Span, $"The `^` operator expands an array into arguments, but `{argument.Value.Describe()}` is a {ScriptValue.TypeName(value)}.");
                    }

                    foreach (var item in items)
                    {
                        args.Add(item);
                    }
                }
                else
                {
                    args.Add(value);
                }
            }

            args.Span = Span;
            context.CurrentSpan = Span;
            context.PendingWrapBody = wrapBody;
            return context.Invoke(function, args);
        }
        finally
        {
            context.ReturnArguments(args);
        }
    }

    internal static IScriptFunction ResolveFunction(TemplateContext context, object? target, ScriptExpression targetExpression, SourceSpan span)
    {
        return target switch
        {
            IScriptFunction f => f,
            null => throw context.Error(targetExpression.Span, $"The function `{targetExpression.Describe()}` was not found"),
            _ => throw context.Error(targetExpression.Span, $"Invalid target function `{targetExpression.Describe()}` ({ScriptValue.TypeName(target)})"),
        };
    }

    public override string Describe() => Target.Describe();
}
