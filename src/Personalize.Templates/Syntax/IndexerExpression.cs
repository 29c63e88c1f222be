using System.Collections;
using System.Text.Json;
using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

/// <summary><c>target[index]</c>: array item (negative counts from the end) or member by name.</summary>
internal sealed class IndexerExpression : ScriptAssignable
{
    internal override IEnumerable<ScriptNode?> Children => [Target, Index];

    public IndexerExpression(ScriptExpression target, ScriptExpression index)
    {
        Target = target;
        Index = index;
    }

    public ScriptExpression Target { get; }

    public ScriptExpression Index { get; }

    public override object? Evaluate(TemplateContext context) => CallIfFunction(context, EvaluateRaw(context), Span);

    public override object? EvaluateRaw(TemplateContext context)
    {
        var (target, index) = EvaluateTargetAndIndex(context);

        if (index is string name && target is not string)
        {
            if (context.TryGetMember(target, name, out var member))
            {
                return member;
            }

            return context.IsStrict ? throw context.MissingMember(Span, Target.Describe(), name) : null;
        }

        if (!ScriptValue.IsNumber(index) || !ScriptValue.TryToInt32(index, out var i))
        {
            throw context.Error(Index.Span, $"The index `{context.ToText(index)}` of {Describe()} must be an integer.");
        }

        switch (target)
        {
            case ScriptArray a:
                return a[i < 0 ? i + a.Count : i];
            case string s:
                i = i < 0 ? i + s.Length : i;
                return (uint)i < (uint)s.Length ? s[i].ToString() : null;
            case IList list:
                i = i < 0 ? i + list.Count : i;
                return (uint)i < (uint)list.Count ? ScriptValue.Normalize(list[i]) : null;
            case JsonElement { ValueKind: JsonValueKind.Array } e:
                var length = e.GetArrayLength();
                i = i < 0 ? i + length : i;
                return (uint)i < (uint)length ? ScriptValue.Normalize(e[i]) : null;
        }

        var items = ScriptValue.AsEnumerable(target);
        if (items is null)
        {
            throw context.Error(Target.Span, $"Cannot use the {ScriptValue.TypeName(target)} primitive `{context.ToText(target)}` as a list.");
        }

        var all = items as IList<object?> ?? items.ToList();
        i = i < 0 ? i + all.Count : i;
        return (uint)i < (uint)all.Count ? all[i] : null;
    }

    public override void Assign(TemplateContext context, object? value)
    {
        var (target, index) = EvaluateTargetAndIndex(context);

        if (index is string name)
        {
            switch (target)
            {
                case ScriptObject o:
                    if (o.IsReadOnlyMember(name))
                    {
                        throw context.Error(Index.Span, $"Cannot set a value for the readonly member `{name}` in the indexer: {Describe()}");
                    }

                    o.SetValue(name, value);
                    return;
                case ScriptArray sa:
                    sa.Properties.SetValue(name, value);
                    return;
                case IDictionary<string, object?> when !context.Members.AllowWrites:
                    throw context.Error(Span, MemberExpression.HostObjectIsReadOnly(Describe()));
                case IDictionary<string, object?> d:
                    d[name] = value;
                    return;
                default:
                    throw context.Error(Span, $"Cannot set the member `{name}` on a {ScriptValue.TypeName(target)}.");
            }
        }

        if (!ScriptValue.TryToInt32(index, out var i))
        {
            throw context.Error(Index.Span, $"The index `{context.ToText(index)}` of {Describe()} must be an integer.");
        }

        switch (target)
        {
            case ScriptArray a:
                i = i < 0 ? i + a.Count : i;
                if (i < 0)
                {
                    throw context.Error(Index.Span, $"The index {context.ToText(index)} is before the start of the array.");
                }

                if (i > context.Limits.MaxRangeLength)
                {
                    throw new TemplateLimitExceededException(nameof(TemplateLimits.MaxRangeLength), context.Limits.MaxRangeLength, $"Assigning index {i} would grow the array past {context.Limits.MaxRangeLength} items (TemplateLimits.MaxRangeLength).", Index.Span, context.SourceName);
                }

                if (i >= a.Count)
                {
                    // Growing the array is work too: charge the new slots against the loop budget.
                    context.ChargeLoopIterations(i - a.Count + 1);
                }

                a[i] = value;
                return;
            case IList when !context.Members.AllowWrites:
                throw context.Error(Span, MemberExpression.HostObjectIsReadOnly(Describe()));
            case IList list when !list.IsReadOnly && !list.IsFixedSize:
                i = i < 0 ? i + list.Count : i;
                if ((uint)i >= (uint)list.Count)
                {
                    throw context.Error(Index.Span, $"The index {context.ToText(index)} is outside the list of {list.Count} items.");
                }

                list[i] = value;
                return;
            default:
                throw context.Error(Target.Span, $"Cannot use the {ScriptValue.TypeName(target)} primitive `{context.ToText(target)}` as a list.");
        }
    }

    public override string Describe() => $"{Target.Describe()}[{Index.Describe()}]";

    /// <summary>The target and the index, both evaluated once; a null one is a render error at its position.</summary>
    private (object Target, object Index) EvaluateTargetAndIndex(TemplateContext context)
    {
        var target = Target.Evaluate(context)
            ?? throw context.Error(Target.Span, $"Object `{Target.Describe()}` is null. Cannot access indexer: {Describe()}");
        var index = Index.Evaluate(context)
            ?? throw context.Error(Index.Span, $"Cannot access target `{Target.Describe()}` with a null indexer: {Describe()}");
        return (target, index);
    }
}
