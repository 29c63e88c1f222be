using Personalize.Templates.Runtime;
using Personalize.Templates.Syntax;

namespace Personalize.Templates.Liquid;

/// <summary>Liquid <c>["name"]</c> / <c>[key]</c> at the start of a path: the variable whose name is the index value.</summary>
internal sealed class DynamicVariableExpression : ScriptExpression
{
    internal override IEnumerable<ScriptNode?> Children => [Name];

    public DynamicVariableExpression(ScriptExpression name) => Name = name;

    public ScriptExpression Name { get; }

    public override object? Evaluate(TemplateContext context)
    {
        var name = LiquidValue.ToText(context, Name.Evaluate(context));
        return context.TryGetLiquidVariable(name, ScriptObject.MaskOf(name), out var value) ? ScriptValue.Normalize(value) : null;
    }

    public override string Describe() => "[" + Name.Describe() + "]";
}
