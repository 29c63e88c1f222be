namespace Personalize.Templates.Runtime;

/// <summary>
/// The inline cache of one <c>target.name</c> in a template, shared by Scriban's and Liquid's member expressions: the
/// last plain .NET type read here with its compiled getters, so a loop over one model type reads the member without a
/// lookup; and the last type that is not a plain object (a dictionary, JSON value or sequence), so reading those skips the
/// accessor lookup (a hash of the type and the renamer). A benign race: each cache entry is immutable and replaced whole.
/// </summary>
internal sealed class MemberSite
{
    private readonly string _name;
    private Entry? _entry;
    private Type? _notPlain;

    public MemberSite(string name)
    {
        _name = name;
        Utf8Name = MemberAccessor.Utf8Name(name);
    }

    /// <summary>Gets the member name in UTF-8 when it is ASCII (JSON lookups without transcoding the name), else null.</summary>
    public byte[]? Utf8Name { get; }

    /// <summary>
    /// Reads the member of a plain .NET object under the context's member policy; false when the target is not one
    /// (a script object, dictionary, JSON value or sequence) or has no such readable member, for the caller to read it
    /// the general way. <paramref name="mayBeFunction"/> is false when the member's declared type cannot hold a function.
    /// </summary>
    public bool TryRead(TemplateContext context, object target, out object? value, out bool mayBeFunction)
    {
        var entry = _entry;
        if (entry is not null && ReferenceEquals(entry.Policy, context.Members))
        {
            if (entry.Guarded is { } guarded)
            {
                var cached = guarded(target);
                if (!ReferenceEquals(cached, MemberAccessor.Miss))
                {
                    mayBeFunction = entry.MayBeFunction;
                    value = cached;
                    return true;
                }
            }
            else if (entry.Handle.Equals(Type.GetTypeHandle(target)))
            {
                mayBeFunction = entry.MayBeFunction;
                value = entry.Getter(target);
                return true;
            }
        }

        mayBeFunction = true;
        if (target is not ScriptObject)
        {
            var type = target.GetType();
            if (!ReferenceEquals(_notPlain, type))
            {
                var accessor = MemberAccessor.GetAccessor(type, context.Members);
                if (accessor.IsPlainObject && accessor.TryGetGetter(_name, out var getter))
                {
                    var memberType = accessor.MemberType(_name);
                    mayBeFunction = memberType is null || !(memberType.IsValueType || memberType == typeof(string) || (memberType.IsSealed && !typeof(IScriptFunction).IsAssignableFrom(memberType)));
                    _entry = new Entry(type.TypeHandle, context.Members, getter, accessor.GuardedGetter(_name), accessor.DecimalGetter(_name), mayBeFunction);
                    value = getter(target);
                    return true;
                }

                if (!accessor.IsPlainObject)
                {
                    _notPlain = type;
                }
            }
        }

        value = null;
        return false;
    }

    /// <summary>
    /// Reads a <see cref="decimal"/> member unboxed when the target is the plain .NET type last read here (so output can
    /// format it without boxing); false otherwise.
    /// </summary>
    public bool TryReadDecimal(TemplateContext context, object target, out decimal number)
    {
        var entry = _entry;
        if (entry?.Decimal is { } getter && entry.Handle.Equals(Type.GetTypeHandle(target)) && ReferenceEquals(entry.Policy, context.Members))
        {
            number = getter(target);
            return true;
        }

        number = default;
        return false;
    }

    private sealed record Entry(RuntimeTypeHandle Handle, MemberPolicy Policy, Func<object, object?> Getter, Func<object, object?>? Guarded, Func<object, decimal>? Decimal, bool MayBeFunction);
}
