using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

/// <summary><c>wrap function args … end</c>: the function renders the body where it evaluates <c>$$</c>.</summary>
internal sealed class WrapStatement : ScriptStatement
{
    internal override IEnumerable<ScriptNode?> Children => [Call, Body];

    public WrapStatement(ScriptExpression call, ScriptBlock body)
    {
        Call = call;
        Body = body;
    }

    public ScriptExpression Call { get; }

    public ScriptBlock Body { get; }

    public override void Execute(TemplateContext context)
    {
        object? result;
        if (Call is CallExpression call)
        {
            var target = call.Target.EvaluateRaw(context);
            EnsureFunction(context, target, call.Target);
            result = call.InvokeWrapped(context, Body);
        }
        else
        {
            var target = Call.EvaluateRaw(context);
            var function = EnsureFunction(context, target, Call);
            var args = context.RentArguments();
            try
            {
                args.Span = Span;
                context.PendingWrapBody = Body;
                result = context.Invoke(function, args);
            }
            finally
            {
                context.ReturnArguments(args);
            }
        }

        context.PendingWrapBody = null;
        if (result is not null)
        {
            context.WriteValue(result);
        }
    }

    private static IScriptFunction EnsureFunction(TemplateContext context, object? target, ScriptExpression expression) =>
        target as IScriptFunction ?? throw context.Error(expression.Span, $"Expecting a direct function instead of the expression `{expression.Describe()}/{(expression is GlobalVariable or LocalVariable ? "variable" : expression.GetType().Name)}`");
}
