using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

/// <summary>An expression that can be assigned: a variable, member or indexer.</summary>
internal abstract class ScriptAssignable : ScriptExpression
{
    public abstract void Assign(TemplateContext context, object? value);

    protected static object? CallIfFunction(TemplateContext context, object? value, SourceSpan span)
    {
        if (ScriptValue.AsFunction(value) is { } function)
        {
            var args = context.RentArguments();
            try
            {
                args.Span = span;
                context.CurrentSpan = span;
                context.PendingWrapBody = null;
                return context.Invoke(function, args);
            }
            finally
            {
                context.ReturnArguments(args);
            }
        }

        return value;
    }
}
