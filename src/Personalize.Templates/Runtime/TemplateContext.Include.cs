using Personalize.Templates.Syntax;

namespace Personalize.Templates.Runtime;

public sealed partial class TemplateContext
{
    /// <summary>
    /// The fixed work units of rendering an included template (<c>include</c>, Liquid <c>include</c>/<c>render</c>,
    /// <c>object.eval_template</c>) on top of its body's size: a nested render sets up scopes and a capture.
    /// </summary>
    internal const int IncludeCost = 32;

    /// <summary>
    /// <c>include "name" args…</c>: loads the template through <see cref="TemplateOptions.Loader"/> (parsed once per loader, name
    /// and content version, see <see cref="TemplateIncludeCache"/>), renders it with the current variables and <c>$</c> = the extra arguments, and returns its output.
    /// </summary>
    internal object? Include(ScriptArguments arguments)
    {
        var loader = Options.Loader ?? throw Error("`include` needs a template loader: set TemplateOptions.Loader (e.g. new FolderTemplateLoader(\"templates\")).");
        if (arguments.Count == 0 || arguments[0] is not { } nameValue || ToText(nameValue) is not { Length: > 0 } name)
        {
            throw Error("`include` expects the name of a template, e.g. include \"footer.html\".");
        }

        var template = TemplateIncludeCache.GetOrLoad(loader, name, Options, liquidFallback: false)
            ?? throw Error($"The included template `{name}` was not found (or its name is not allowed) by the template loader.");

        if (template.HasErrors)
        {
            var first = template.Diagnostics.First(d => d.Severity == TemplateDiagnosticSeverity.Error);
            throw Error($"The included template `{name}` has errors: {first}");
        }

        var includeArguments = new ScriptArray(Math.Max(0, arguments.Count - 1));
        for (var i = 1; i < arguments.Count; i++)
        {
            includeArguments.Add(arguments[i]);
        }

        return RenderNested(template, includeArguments);
    }

    /// <summary>
    /// Renders another parsed template inside this render (same variables and limits, its own <c>$</c> arguments and
    /// local variables) and returns its output. Used by <c>include</c>; builtins such as <c>object.eval_template</c> can use it too.
    /// The caller is responsible for the recursion depth (calls through <see cref="Invoke"/> already count).
    /// </summary>
    internal string RenderNested(Template template, ScriptArray? arguments)
    {
        if (template.HasErrors)
        {
            var first = template.Diagnostics.First(d => d.Severity == TemplateDiagnosticSeverity.Error);
            throw Error($"The template `{template.Options.SourceName}` has errors: {first}");
        }

        var previousName = SourceName;
        var previousSpan = CurrentSpan;
        PushFrame(arguments ?? new ScriptArray());
        try
        {
            SourceName = template.Options.SourceName;
            ChargeWork(IncludeCost + template.Body.Weight);
            var output = Capture(template.Body);
            if (Flow == ControlFlow.Return)
            {
                Flow = ControlFlow.None;
                ReturnValue = null;
            }

            return output;
        }
        finally
        {
            PopFrame();
            SourceName = previousName;
            CurrentSpan = previousSpan;
        }
    }
}
