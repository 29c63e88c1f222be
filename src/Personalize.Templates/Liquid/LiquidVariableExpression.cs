using Personalize.Templates.Runtime;
using Personalize.Templates.Syntax;

namespace Personalize.Templates.Liquid;

/// <summary>
/// A Liquid variable such as <c>customer</c>: looked up in the template's variables, the model and the host globals (not in
/// Scriban's builtin objects). A host function found here is called without arguments. Undefined is nil, or an error in strict mode.
/// </summary>
internal sealed class LiquidVariableExpression : ScriptExpression
{
    private readonly ulong _mask;

    public LiquidVariableExpression(string name)
    {
        Name = name;
        _mask = ScriptObject.MaskOf(name);
    }

    public string Name { get; }

    public override object? Evaluate(TemplateContext context) => Finish(context, Lookup(context));

    /// <summary>
    /// The variable's value as its lookup finds it, before <see cref="Finish"/> (a host function is not called yet, a value
    /// not normalized yet); nil when undefined (an error in strict mode).
    /// </summary>
    internal object? Lookup(TemplateContext context)
    {
        // Inline cache for the template's own variables (loop variables, assigns): the entry index where the name was
        // last found, read without hashing. The entry's key is checked by identity, so the index serves any scope and is
        // written only when it changes (concurrent renders neither allocate nor write shared memory here).
        var top = context.CurrentScope;
        var cachedIndex = _index;
        if (cachedIndex >= 0 && top.TryGetAt(cachedIndex, Name, out var cached))
        {
            return cached;
        }

        if ((top.KeyMask & _mask) != 0)
        {
            var index = top.IndexOf(Name);
            if (index >= 0 && top.TryGetAt(index, Name, out var local))
            {
                _index = index;
                return local;
            }
        }

        if (!context.TryGetLiquidVariable(Name, _mask, ref _root, out var value))
        {
            if (context.IsStrict)
            {
                throw context.Error(Span, $"The variable `{Name}` was not found. Define it in the model or assign it before use (strict variables mode).");
            }

            return null;
        }

        return value;
    }

    /// <summary>What the variable gives for its raw value: a host function called without arguments, any other value normalized.</summary>
    internal object? Finish(TemplateContext context, object? value)
    {
        if (value is IScriptFunction function)
        {
            context.CurrentSpan = Span;
            return context.Call(function);
        }

        return ScriptValue.Normalize(value);
    }

    private int _index = -1;

    private RootGetter? _root;

    public override string Describe() => Name;
}
