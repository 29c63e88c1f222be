using Personalize.Templates.Runtime;
using Personalize.Templates.Syntax;

namespace Personalize.Templates.Liquid;

/// <summary>
/// <c>{% ifchanged %}…{% endifchanged %}</c>: renders its body and writes it only when the text differs from what the last
/// <c>ifchanged</c> of this render wrote (the first one always writes, unless its text is empty).
/// </summary>
internal sealed class LiquidIfChangedStatement : ScriptStatement
{
    internal override IEnumerable<ScriptNode?> Children => [Body];

    public LiquidIfChangedStatement(ScriptBlock body) => Body = body;

    public ScriptBlock Body { get; }

    public override void Execute(TemplateContext context)
    {
        var text = context.Capture(Body);
        if (context.ExchangeIfChanged(text))
        {
            context.CurrentSpan = Span;
            context.WriteValue(text);
        }
    }
}
