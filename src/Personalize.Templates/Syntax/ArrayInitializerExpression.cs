using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

/// <summary><c>[a, b, c]</c>.</summary>
internal sealed class ArrayInitializerExpression : ScriptExpression
{
    internal override IEnumerable<ScriptNode?> Children => Items;

    public ArrayInitializerExpression(ScriptExpression[] items) => Items = items;

    public ScriptExpression[] Items { get; }

    public override object? Evaluate(TemplateContext context)
    {
        var array = new ScriptArray(Items.Length);
        foreach (var item in Items)
        {
            array.Add(item.Evaluate(context));
        }

        return array;
    }

    public override string Describe() => "[...]";
}
