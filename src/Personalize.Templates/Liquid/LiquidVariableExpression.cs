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
        if (!context.TryGetLiquidVariable(Name, _mask, out var value))
        {
            if (context.Options.StrictVariables)
            {
                throw context.Error(Span, $"The variable `{Name}` was not found. Define it in the model or assign it before use (strict variables mode).");
            }

            return null;
        }

        if (value is IScriptFunction function)
        {
            context.CurrentSpan = Span;
            return context.Call(function);
        }

        return ScriptValue.Normalize(value);
    }

    public override string Describe() => Name;
}
