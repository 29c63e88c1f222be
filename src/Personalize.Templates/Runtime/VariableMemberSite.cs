using System.Text.Json.Nodes;

namespace Personalize.Templates.Runtime;

/// <summary>
/// The inline cache of one <c>variable.member</c> site (<c>question.text</c>, Scriban or Liquid), bound once per site and
/// the variable's value type: when the variable's raw value (as its lookup found it, before a function call or a
/// normalization) is exactly the plain .NET type bound here, the member is read with the type's compiled getter straight
/// from it. Such a value is never a function (nothing to call) and normalizes to itself, so the read skips the variable's
/// function check and normalization and the member's own target checks, and gives exactly what the two nodes give.
/// The variable itself is looked up as always (so what a template assigns, a loop variable or an outer scope still
/// wins); any other value (nil, another type, a script object, dictionary, JSON, a function) is read by the nodes as
/// always, and may bind the site to its type for the next render (at most <see cref="MaxBinds"/> times per site, so
/// alternating models stop rebinding). A benign race: the binding is immutable and replaced whole.
/// </summary>
/// <remarks>
/// Only members whose declared type is a reference type bind: a value-type member keeps the member nodes' unboxed
/// decimal output and cached boxes. Works without dynamic code too (it reuses the accessor's getter).
/// </remarks>
internal sealed class VariableMemberSite
{
    /// <summary>How many times a site binds (another value type each time) before it stops rebinding.</summary>
    internal const int MaxBinds = 8;

    private readonly string _name;
    private Binding? _binding;
    private int _attempts;

    public VariableMemberSite(string name) => _name = name;

    /// <summary>
    /// Reads the member from <paramref name="raw"/>, the variable's value as its lookup found it, when that is the type
    /// bound here; false otherwise (the caller reads it through the nodes and then calls <see cref="Learn"/>).
    /// <paramref name="mayBeFunction"/> is false when the member's declared type cannot hold a function (Scriban calls a
    /// function member it reads).
    /// </summary>
    public bool TryRead(TemplateContext context, object raw, out object? value, out bool mayBeFunction)
    {
        var binding = _binding;
        if (binding?.Getter is { } getter && binding.Handle.Equals(Type.GetTypeHandle(raw)) && ReferenceEquals(binding.Policy, context.Members))
        {
            mayBeFunction = binding.MayBeFunction;
            value = getter(raw);
            return true;
        }

        value = null;
        mayBeFunction = true;
        return false;
    }

    /// <summary>
    /// After a read through the nodes: binds the site to the type of <paramref name="raw"/> when the variable's value
    /// <paramref name="target"/> is that very object (not a function's result or a normalized copy), its type is a plain
    /// .NET object that reads as itself, and it has the member with a reference type. A type that does not bind is noted
    /// too, so it does not try again on every render.
    /// </summary>
    public void Learn(TemplateContext context, object? raw, object? target)
    {
        if (raw is null || !ReferenceEquals(raw, target) || _attempts >= MaxBinds)
        {
            return;
        }

        var binding = _binding;
        var handle = Type.GetTypeHandle(raw);
        if (binding is not null && binding.Handle.Equals(handle) && ReferenceEquals(binding.Policy, context.Members))
        {
            return;
        }

        _attempts++;
        var type = raw.GetType();
        Func<object, object?>? getter = null;
        var mayBeFunction = true;
        if (ReadsAsItself(type))
        {
            var accessor = MemberAccessor.GetAccessor(type, context.Members);
            if (accessor.IsPlainObject && accessor.TryGetGetter(_name, out var found) && accessor.MemberType(_name) is { IsValueType: false } memberType)
            {
                getter = found;

                // As MemberSite decides it: a string or a sealed type that is not a function never holds one.
                mayBeFunction = !(memberType == typeof(string) || (memberType.IsSealed && !typeof(IScriptFunction).IsAssignableFrom(memberType)));
            }
        }

        _binding = new Binding(handle, context.Members, getter, mayBeFunction);
    }

    /// <summary>
    /// Whether a value of <paramref name="type"/> is its own variable value: not a function (called on read), not a value
    /// the language normalizes (numbers, characters, JSON) and not a script object or array (read by key).
    /// </summary>
    internal static bool ReadsAsItself(Type type) => !type.IsValueType
        && type != typeof(string)
        && !typeof(IScriptFunction).IsAssignableFrom(type)
        && !typeof(ScriptObject).IsAssignableFrom(type)
        && !typeof(ScriptArray).IsAssignableFrom(type)
        && !typeof(JsonNode).IsAssignableFrom(type);

    /// <summary>The site bound for one value type and member policy; a null getter: that type does not bind (read by the nodes).</summary>
    private sealed record Binding(RuntimeTypeHandle Handle, MemberPolicy Policy, Func<object, object?>? Getter, bool MayBeFunction);
}
