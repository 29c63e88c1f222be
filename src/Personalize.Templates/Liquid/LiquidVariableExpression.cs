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

    public override object? Evaluate(TemplateContext context)
    {
        // Inline cache for the template's own variables (loop variables, assigns): the scope and entry index where the
        // name was last found, read without hashing. Immutable records, so sharing the node across threads is safe.
        var top = context.CurrentScope;
        var cache = _cache;
        if (cache is not null && ReferenceEquals(cache.Scope, top) && top.TryGetAt(cache.Index, Name, out var cached))
        {
            return Finish(context, cached);
        }

        if ((top.KeyMask & _mask) != 0)
        {
            var index = top.IndexOf(Name);
            if (index >= 0 && top.TryGetAt(index, Name, out var local))
            {
                _cache = new ScopeCache(top, index);
                return Finish(context, local);
            }
        }

        if (!context.TryGetLiquidVariable(Name, _mask, out var value))
        {
            if (context.Options.StrictVariables)
            {
                throw context.Error(Span, $"The variable `{Name}` was not found. Define it in the model or assign it before use (strict variables mode).");
            }

            return null;
        }

        return Finish(context, value);
    }

    private object? Finish(TemplateContext context, object? value)
    {
        if (value is IScriptFunction function)
        {
            context.CurrentSpan = Span;
            return context.Call(function);
        }

        return ScriptValue.Normalize(value);
    }

    private ScopeCache? _cache;

    private sealed record ScopeCache(ScriptObject Scope, int Index);

    public override string Describe() => Name;
}
