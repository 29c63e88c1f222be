namespace Personalize.Templates.Runtime;

/// <summary>
/// A function value: what <c>func</c>, <c>do … end</c>, builtins and host functions are at run time.
/// Implementations must be thread-safe (one instance serves every concurrent render).
/// </summary>
public interface IScriptFunction
{
    /// <summary>Calls the function.</summary>
    /// <param name="context">The render in progress: limits, culture, time, output.</param>
    /// <param name="arguments">The call's positional and named arguments. Only valid during the call: do not keep it.</param>
    /// <returns>The function's value (<see langword="null"/> for none).</returns>
    object? Invoke(TemplateContext context, ScriptArguments arguments);
}
