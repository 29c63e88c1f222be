using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

internal abstract class ScriptExpression : ScriptNode
{
    /// <summary>Evaluates to a value; a variable path that holds a function calls it with no arguments.</summary>
    public abstract object? Evaluate(TemplateContext context);

    /// <summary>Evaluates without calling a function found at the end of a variable path (for <c>@f</c> and call targets).</summary>
    public virtual object? EvaluateRaw(TemplateContext context) => Evaluate(context);

    /// <summary>Gets the source-like text used in error messages.</summary>
    public virtual string Describe() => GetType().Name;
}
