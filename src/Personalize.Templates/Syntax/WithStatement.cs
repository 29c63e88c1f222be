using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

/// <summary><c>with object … end</c>: plain assignments in the body go to the object; <c>$</c> locals are the body's own.</summary>
internal sealed class WithStatement : ScriptStatement
{
    internal override IEnumerable<ScriptNode?> Children => [Target, Body];

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
        var scope = value as ScriptObject ?? ScopeOf(context, value);
        if (scope is null)
        {
            throw context.Error(Span, $"Invalid target property `{Target.Describe()}` used for [with] statement. Must be a ScriptObject instead of `{(value is null ? "null" : ScriptValue.TypeName(value))}`");
        }

        // As in Scriban, the body also gets its own `$` locals: `$x` of the enclosing code is not seen there, and a `$y` set in
        // the body is gone after `end`.
        context.PushScope(scope);
        context.PushFrame(null);
        try
        {
            Body.Execute(context);
        }
        finally
        {
            context.PopFrame();
            context.PopScope();
        }
    }

    /// <summary>
    /// A JSON object or a dictionary of the model read as an object: its members in a new scope (the model itself is read-only,
    /// so assignments in the body stay in that scope).
    /// </summary>
    private static ScriptObject? ScopeOf(TemplateContext context, object? value)
    {
        switch (value)
        {
            case System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Object } json:
            {
                var scope = new ScriptObject();
                foreach (var property in json.EnumerateObject())
                {
                    context.ChargeLoopIterations();
                    scope[property.Name] = ScriptValue.Normalize(property.Value);
                }

                return scope;
            }

            case System.Text.Json.Nodes.JsonObject node:
            {
                var scope = new ScriptObject();
                foreach (var pair in node)
                {
                    context.ChargeLoopIterations();
                    scope[pair.Key] = ScriptValue.Normalize(pair.Value);
                }

                return scope;
            }

            case IEnumerable<KeyValuePair<string, object?>> members:
            {
                var scope = new ScriptObject();
                foreach (var pair in members)
                {
                    context.ChargeLoopIterations();
                    scope[pair.Key] = pair.Value;
                }

                return scope;
            }

            default:
                return null;
        }
    }
}
