using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

/// <summary><c>with object … end</c>: plain assignments in the body go to the object.</summary>
internal sealed class WithStatement : ScriptStatement
{
    public WithStatement(ScriptExpression target, ScriptBlock body)
    {
        Target = target;
        Body = body;
    }

    public ScriptExpression Target { get; }

    public ScriptBlock Body { get; }

    public override void Execute(TemplateContext context)
    {
        var value = Target.Evaluate(context);
        if (value is not ScriptObject scope)
        {
            throw context.Error(Span, $"Invalid target property `{Target.Describe()}` used for [with] statement. Must be a ScriptObject instead of `{(value is null ? "null" : ScriptValue.TypeName(value))}`");
        }

        context.PushScope(scope);
        try
        {
            Body.Execute(context);
        }
        finally
        {
            context.PopScope();
        }
    }
}
