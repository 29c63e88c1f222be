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
            null => throw NotFound(context, targetExpression),
            _ => throw context.Error(targetExpression.Span, $"Invalid target function `{targetExpression.Describe()}` ({ScriptValue.TypeName(target)})"),
        };
    }

    /// <summary>
    /// The error for a call of a name that holds nothing, as Scriban reports it: at the start of the whole path (<c>string.foo</c> at
    /// <c>string</c>), so the column points where the author wrote the function's name.
    /// </summary>
    internal static TemplateRuntimeException NotFound(TemplateContext context, ScriptExpression targetExpression)
    {
        var start = targetExpression;
        while (start is MemberExpression member)
        {
            start = member.Target;
        }

        var span = start.Span.Start < targetExpression.Span.Start ? start.Span : targetExpression.Span;
        return context.Error(span, $"The function `{targetExpression.Describe()}` was not found");
    }

    public override string Describe() => Target.Describe();
}
