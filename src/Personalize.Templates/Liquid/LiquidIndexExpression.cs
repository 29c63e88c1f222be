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

        _chain = LiquidMemberChain.Of(this, target);
    }

    // `question.answer_links[0]`: two or more steps on a variable, bound once per site and model type.
    private readonly LiquidMemberChain? _chain;

    /// <summary>Gets the position when the index is a literal integer (<c>items[0]</c>), else null.</summary>
    internal int? LiteralPosition => _hasLiteralPosition ? _literalPosition : null;

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
        if (_chain is { } chain)
        {
            return chain.TryEvaluate(context, out var value, out var target) ? value : FromTarget(context, target);
        }

        return FromTarget(context, Target.Evaluate(context));
    }

    /// <summary>The item of an evaluated target (what <see cref="Evaluate(TemplateContext)"/> does after evaluating the target).</summary>
    internal object? FromTarget(TemplateContext context, object? target)
    {
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
