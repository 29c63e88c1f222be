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
        if (index is LiteralExpression { Value: int position })
        {
            _literalPosition = position;
            _hasLiteralPosition = true;
        }
    }

    // `items[0]` with a literal position on a host's array of objects (e.g. a model's answer links): the last such array
    // type read here, so the next read of that type indexes the array without the list tests (a benign race: a handle is
    // written whole, and any array of objects is read the same way).
    private readonly int _literalPosition;
    private readonly bool _hasLiteralPosition;
    private RuntimeTypeHandle _objectArrayType;

    public ScriptExpression Target { get; }

    public ScriptExpression Index { get; }

    public override object? Evaluate(TemplateContext context)
    {
        var target = Target.Evaluate(context);
        if (_hasLiteralPosition && target is not null && Type.GetTypeHandle(target).Equals(_objectArrayType))
        {
            return Item(System.Runtime.CompilerServices.Unsafe.As<object?[]>(target), _literalPosition);
        }

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

        if (_hasLiteralPosition && target.GetType() is { IsSZArray: true } arrayType && !arrayType.GetElementType()!.IsValueType)
        {
            _objectArrayType = arrayType.TypeHandle;
            return Item((object?[])target, position);
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

    /// <summary>An item of an array of objects, as a host's list is read below (negative counts from the end; out of range is nil).</summary>
    private static object? Item(object?[] items, int position)
    {
        if (position < 0)
        {
            position += items.Length;
        }

        return position >= 0 && position < items.Length ? ScriptValue.Normalize(items[position]) : null;
    }

    public override string Describe() => Target.Describe() + "[" + Index.Describe() + "]";
}
