using Personalize.Templates.Runtime;

namespace Personalize.Templates.Builtins;

/// <summary><c>include "name" args…</c>: renders a template supplied by <see cref="TemplateOptions.Loader"/> and returns its output.</summary>
internal sealed class IncludeFunction : IScriptFunction
{
    public static readonly IncludeFunction Instance = new();

    private IncludeFunction()
    {
    }

    public object? Invoke(TemplateContext context, ScriptArguments arguments) => context.Include(arguments);
}
