using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

/// <summary>A global/property variable such as <c>name</c>, resolved through the scope stack.</summary>
internal sealed class GlobalVariable : ScriptAssignable
{
    private readonly ulong _mask;

    public GlobalVariable(string name)
    {
        Name = name;
        _mask = ScriptObject.MaskOf(name);
    }

    public string Name { get; }

    /// <summary>Gets the Bloom mask of the name (see <see cref="ScriptObject.KeyMask"/>).</summary>
    public ulong Mask => _mask;

    public override object? Evaluate(TemplateContext context) => CallIfFunction(context, EvaluateRaw(context), Span);

    public override object? EvaluateRaw(TemplateContext context)
    {
        // Inline cache for variables of the innermost scope (loop variables, template variables): the scope object and
        // the entry index where the name was last found. Immutable, so sharing the node across threads is safe.
        var top = context.CurrentScope;
        var cache = _cache;
        if (cache is not null && ReferenceEquals(cache.Scope, top) && top.TryGetAt(cache.Index, Name, out var cached))
        {
            return cached;
        }

        if ((top.KeyMask & _mask) != 0)
        {
            var index = top.IndexOf(Name);
            if (index >= 0)
            {
                if (top.TryGetAt(index, Name, out var value))
                {
                    _cache = new ScopeCache(top, index);
                    return value;
                }

                top.TryGetValue(Name, out value);
                return value;
            }
        }

        return context.GetGlobal(Name, _mask, Span);
    }

    private ScopeCache? _cache;

    private sealed record ScopeCache(ScriptObject Scope, int Index);

    public override void Assign(TemplateContext context, object? value)
    {
        var top = context.CurrentScope;
        var cache = _cache;
        if (cache is not null && ReferenceEquals(cache.Scope, top) && top.TrySetAt(cache.Index, Name, value))
        {
            return;
        }

        context.SetGlobal(Name, value, Span);
    }

    public override string Describe() => Name;
}
