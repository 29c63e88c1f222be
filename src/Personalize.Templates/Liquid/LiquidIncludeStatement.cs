using Personalize.Templates.Runtime;
using Personalize.Templates.Syntax;

namespace Personalize.Templates.Liquid;

/// <summary>
/// <c>{% include 'name', key: value %}</c> and <c>{% render 'name' with x as y %}</c> / <c>for items as item</c>: renders a template from
/// <see cref="TemplateOptions.Loader"/>. <c>include</c> sees the caller's variables; <c>render</c> sees only its arguments and the globals.
/// </summary>
internal sealed class LiquidIncludeStatement : ScriptStatement
{
    internal override IEnumerable<ScriptNode?> Children => [Name, With, For, .. Arguments.Select(a => a.Value)];

    public ScriptExpression Name { get; init; } = null!;

    public bool Isolated { get; init; }

    public ScriptExpression? With { get; init; }

    public ScriptExpression? For { get; init; }

    public string? Alias { get; init; }

    public KeyValuePair<string, ScriptExpression>[] Arguments { get; init; } = Array.Empty<KeyValuePair<string, ScriptExpression>>();

    public override void Execute(TemplateContext context)
    {
        context.CurrentSpan = Span;
        var name = LiquidValue.ToText(context, Name.Evaluate(context));
        if (name.Length == 0)
        {
            throw context.Error(Span, "The template name of this include/render is empty: write a quoted name, e.g. {% render 'footer' %}.");
        }

        var template = context.LoadIncludedTemplate(name);
        var variable = Alias ?? BaseName(name);
        var locals = new ScriptObject();
        foreach (var argument in Arguments)
        {
            locals.SetValue(argument.Key, argument.Value.Evaluate(context));
        }

        if (For is not null)
        {
            var items = LiquidValue.ToList(context, For.Evaluate(context));

            // `render … for items` gives the partial a `forloop` of its own (and no parent loop); `include … for` does not.
            var loop = Isolated ? new LoopState() : null;
            loop?.Reset(LoopKind.For);
            for (var i = 0; i < items.Count; i++)
            {
                context.ChargeLoopIterations();
                var scope = new ScriptObject();
                foreach (var pair in locals)
                {
                    scope.SetValue(pair.Key, pair.Value);
                }

                scope.SetValue(variable, items[i]);
                if (loop is not null)
                {
                    loop.Index = i;
                    loop.Length = items.Count;
                }

                context.RenderLiquidPartial(template, name, scope, Isolated, loop);
                if (context.Flow != ControlFlow.None)
                {
                    return;
                }
            }

            return;
        }

        if (With is not null)
        {
            locals.SetValue(variable, With.Evaluate(context));
        }

        context.RenderLiquidPartial(template, name, locals, Isolated);
    }

    private static string BaseName(string name)
    {
        var slash = name.LastIndexOfAny(['/', '\\']);
        var file = slash >= 0 ? name[(slash + 1)..] : name;
        var dot = file.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 ? file[..dot] : file;
    }
}
