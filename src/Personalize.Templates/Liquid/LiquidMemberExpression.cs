using Personalize.Templates.Runtime;
using Personalize.Templates.Syntax;

namespace Personalize.Templates.Liquid;

/// <summary>
/// Liquid <c>target.name</c>: a member of nil is nil (never an error), and lists answer <c>size</c>, <c>first</c> and <c>last</c>.
/// </summary>
internal sealed class LiquidMemberExpression : ScriptExpression
{
    public LiquidMemberExpression(ScriptExpression target, string name)
    {
        Target = target;
        Name = name;
        _utf8Name = MemberAccessor.Utf8Name(name);
    }

    public ScriptExpression Target { get; }

    public string Name { get; }

    public override object? Evaluate(TemplateContext context) => FromTarget(context, Target.Evaluate(context));

    /// <summary>
    /// Evaluates for an output statement, evaluating the target exactly once, and writes the value itself when it can
    /// without building it: a <see cref="decimal"/> member of a plain .NET object seen here before is formatted unboxed,
    /// and a JSON string member of a JSON object is copied as UTF-8 (with <paramref name="span"/> as the current position
    /// for errors); then it returns <see langword="true"/>. Otherwise it returns <see langword="false"/> with
    /// <paramref name="value"/> set to what <see cref="Evaluate(TemplateContext)"/> returns, for the statement to write.
    /// </summary>
    internal bool TryWriteOutput(TemplateContext context, SourceSpan span, out object? value)
    {
        var target = Target.Evaluate(context);
        var cache = _cache;
        if (target is not null && cache?.Decimal is { } getter && ReferenceEquals(cache.Type, target.GetType()) && ReferenceEquals(cache.Policy, context.Members))
        {
            var number = getter(target);
            context.CurrentSpan = span;
            context.WriteDecimal(number);
            value = null;
            return true;
        }

        // A member of a JSON object: one property lookup, a string copied to the output as UTF-8 (see TryWriteJsonMember).
        if (target is System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Object } element && !context.IsStrict)
        {
            return context.TryWriteJsonMember(element, Name, _utf8Name, span, out value);
        }

        value = FromTarget(context, target);
        return false;
    }

    /// <summary>The member name in UTF-8 when it is ASCII (JSON lookups without transcoding the name), else null.</summary>
    private readonly byte[]? _utf8Name;

    private object? FromTarget(TemplateContext context, object? target)
    {
        if (target is null)
        {
            return null;
        }

        if (target is ScriptObject obj && obj.TryGetValue(Name, out var member))
        {
            return ScriptValue.Normalize(member);
        }

        // Inline cache: the last plain .NET type seen here and its compiled getter (immutable record, safe across threads).
        var type = target.GetType();
        var cache = _cache;
        if (cache is not null && ReferenceEquals(cache.Type, type) && ReferenceEquals(cache.Policy, context.Members))
        {
            return ScriptValue.Normalize(cache.Getter(target));
        }

        if (target is not ScriptObject && !ReferenceEquals(_notPlain, type))
        {
            var accessor = MemberAccessor.GetAccessor(type, context.Members);
            if (accessor.IsPlainObject && accessor.TryGetGetter(Name, out var getter))
            {
                _cache = new MemberCache(type, context.Members, getter, accessor.DecimalGetter(Name));
                return ScriptValue.Normalize(getter(target));
            }

            if (!accessor.IsPlainObject)
            {
                // A dictionary, JSON value or sequence: read by MemberAccessor; skip the accessor lookup next time.
                _notPlain = type;
            }
        }

        if (TryGet(context, target, Name, out var found))
        {
            return found;
        }

        if (target is not null && context.IsStrict)
        {
            throw context.MissingMember(Span, Target.Describe(), Name);
        }

        return null;
    }

    private MemberCache? _cache;

    /// <summary>The last type seen here that is not a plain .NET object (that depends on the type only, not the renamer).</summary>
    private Type? _notPlain;

    private sealed record MemberCache(Type Type, MemberPolicy Policy, Func<object, object?> Getter, Func<object, decimal>? Decimal);

    internal static object? Get(TemplateContext context, object? target, string name) => TryGet(context, target, name, out var value) ? value : null;

    /// <summary>Reads a member as Liquid does (<c>first</c>/<c>last</c> of lists too); false when the target does not have it.</summary>
    internal static bool TryGet(TemplateContext context, object? target, string name, out object? value)
    {
        if (target is null)
        {
            value = null;
            return false;
        }

        if (context.TryGetMember(target, name, out value))
        {
            value = ScriptValue.Normalize(value);
            return true;
        }

        if (name == "first" && LiquidValue.IsHash(target))
        {
            // A hash's first member, as a [key, value] pair.
            var pairs = LiquidValue.Pairs(context, target);
            value = pairs.Count == 0 ? null : pairs[0];
            return true;
        }

        if (name is "first" or "last" && target is string text)
        {
            value = LiquidValue.FirstOrLastCharacter(text, name == "first");
            return true;
        }

        if (name is "first" or "last" && LiquidValue.IsList(target))
        {
            var list = LiquidValue.ToList(context, target);
            value = list.Count == 0 ? null : list[name == "first" ? 0 : list.Count - 1];
            return true;
        }

        value = null;
        return false;
    }

    public override string Describe() => Target.Describe() + "." + Name;
}
