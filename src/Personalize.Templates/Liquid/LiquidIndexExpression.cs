using Personalize.Templates.Runtime;
using Personalize.Templates.Syntax;

namespace Personalize.Templates.Liquid;

/// <summary>Liquid <c>target[index]</c>: list item (negative counts from the end) or member by name; anything missing is nil.</summary>
internal sealed class LiquidIndexExpression : ScriptExpression
{
    internal override IEnumerable<ScriptNode?> Children => [Target, Index];

    public LiquidIndexExpression(ScriptExpression target, ScriptExpression index)
    {
        Target = target;
        Index = index;
    }

    public ScriptExpression Target { get; }

    public ScriptExpression Index { get; }

    public override object? Evaluate(TemplateContext context)
    {
        var target = Target.Evaluate(context);
        var index = ScriptValue.Normalize(Index.Evaluate(context));
        if (target is null || index is null)
        {
            return null;
        }

        if (index is string name)
        {
            return LiquidMemberExpression.Get(context, target, name);
        }

        if (!ScriptValue.IsNumber(index) || !ScriptValue.TryToInt32(index, out var position) || !LiquidValue.IsList(target))
        {
            return null;
        }

        if (target is ScriptArray array)
        {
            if (position < 0)
            {
                position += array.Count;
            }

            return position >= 0 && position < array.Count ? array[position] : null;
        }

        if (target is IReadOnlyList<object?> items)
        {
            // A host's list (an array or list of objects): read the one item instead of copying the list.
            if (position < 0)
            {
                position += items.Count;
            }

            return position >= 0 && position < items.Count ? ScriptValue.Normalize(items[position]) : null;
        }

        var list = LiquidValue.ToList(context, target);
        if (position < 0)
        {
            position += list.Count;
        }

        return position >= 0 && position < list.Count ? list[position] : null;
    }

    public override string Describe() => Target.Describe() + "[" + Index.Describe() + "]";
}
