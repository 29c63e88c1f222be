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

    public override object? Evaluate(TemplateContext context) => Finish(context, EvaluateRaw(context));

    /// <summary>What the variable gives for its raw value (<see cref="EvaluateRaw"/>): a function is called, anything else is itself.</summary>
    internal object? Finish(TemplateContext context, object? raw) => CallIfFunction(context, raw, Span);

    public override object? EvaluateRaw(TemplateContext context)
    {
        // Inline cache for variables of the innermost scope (loop variables, template variables): the entry index where
        // the name was last found. The entry's key is checked by identity, so the index serves any scope (every render has
        // its own) and the field is written only when the index changes: concurrent renders of one template on several
        // threads read it without writing to shared memory or allocating.
        var top = context.CurrentScope;
        var cached = _index;
        if (cached >= 0 && top.TryGetAt(cached, Name, out var hit))
        {
            return hit;
        }

        if ((top.KeyMask & _mask) != 0)
        {
            var index = top.IndexOf(Name);
            if (index >= 0)
            {
                if (top.TryGetAt(index, Name, out var value))
                {
                    _index = index;
                    return value;
                }

                top.TryGetValue(Name, out value);
                return value;
            }
        }

        return context.GetGlobal(Name, _mask, ref _root, Span);
    }

    private int _index = -1;

    private RootGetter? _root;

    public override void Assign(TemplateContext context, object? value)
    {
        var top = context.CurrentScope;
        var cached = _index;
        if (cached >= 0 && top.TrySetAt(cached, Name, value))
        {
            return;
        }

        context.SetGlobal(Name, value, Span);
    }

    public override string Describe() => Name;
}
