using System.Collections;
using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

/// <summary><c>target.name</c> or <c>target?.name</c>.</summary>
internal sealed class MemberExpression : ScriptAssignable
{
    public MemberExpression(ScriptExpression target, string name, bool nullConditional)
    {
        Target = target;
        Name = name;
        NullConditional = nullConditional;
    }

    public ScriptExpression Target { get; }

    public string Name { get; }

    public bool NullConditional { get; }

    public override object? Evaluate(TemplateContext context) => CallIfFunction(context, EvaluateRaw(context), Span);

    public override object? EvaluateRaw(TemplateContext context)
    {
        var target = Target.Evaluate(context);
        if (target is null)
        {
            if (NullConditional || Target is MemberExpression { NullConditional: true })
            {
                return null;
            }

            throw context.Error(Span, $"Cannot get the member {Describe()} for a null object.");
        }

        if (target is ScriptObject obj && obj.TryGetValue(Name, out var member))
        {
            return member;
        }

        // Inline cache: the last plain .NET type seen here and its compiled getter (benign race: the cache is immutable).
        var type = target.GetType();
        var cache = _cache;
        if (cache is not null && ReferenceEquals(cache.Type, type) && ReferenceEquals(cache.Renamer, context.Renamer))
        {
            return cache.Getter(target);
        }

        if (target is not ScriptObject)
        {
            var accessor = MemberAccessor.GetAccessor(type, context.Renamer);
            if (accessor.IsPlainObject && accessor.TryGetGetter(Name, out var getter))
            {
                _cache = new MemberCache(type, context.Renamer, getter);
                return getter(target);
            }
        }

        return context.TryGetMember(target, Name, out var value) ? value : null;
    }

    private MemberCache? _cache;

    private sealed record MemberCache(Type Type, Func<string, string> Renamer, Func<object, object?> Getter);

    public override void Assign(TemplateContext context, object? value)
    {
        var target = Target.Evaluate(context);
        switch (target)
        {
            case null:
                throw context.Error(Span, $"Cannot set the member {Describe()} of a null object.");
            case ScriptObject o:
                if (o.IsReadOnlyMember(Name))
                {
                    throw context.Error(Span, $"Cannot set a value for the readonly member: {Describe()}");
                }

                o.SetValue(Name, value);
                return;
            case ScriptArray a:
                a.Properties.SetValue(Name, value);
                return;
            case IDictionary<string, object?> d:
                d[Name] = value;
                return;
            case IDictionary nd:
                nd[Name] = value;
                return;
            default:
                if (MemberAccessor.GetAccessor(target.GetType(), context.Renamer).TrySet(target, Name, value))
                {
                    return;
                }

                throw context.Error(Span, $"Cannot set the member {Describe()}: the object does not have a writable member `{Name}`.");
        }
    }

    public override string Describe() => Target.Describe() + (NullConditional ? "?." : ".") + Name;
}
