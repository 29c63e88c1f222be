using Personalize.Templates.Syntax;

namespace Personalize.Templates.Runtime;

/// <summary>Per-render state and helpers of the Liquid front end (counters, partials).</summary>
public sealed partial class TemplateContext
{
    private Dictionary<string, int>? _liquidCounters;
    private int _rootScopeCount;

    /// <summary>Steps the Liquid counter <paramref name="name"/>: <c>increment</c> returns then adds one; <c>decrement</c> subtracts one then returns.</summary>
    internal int StepLiquidCounter(string name, bool increment)
    {
        _liquidCounters ??= new Dictionary<string, int>(StringComparer.Ordinal);
        _liquidCounters.TryGetValue(name, out var value);
        if (increment)
        {
            _liquidCounters[name] = value + 1;
            return value;
        }

        _liquidCounters[name] = value - 1;
        return value - 1;
    }

    /// <summary>
    /// Loads a Liquid partial through <see cref="TemplateOptions.Loader"/> (parsed once per loader, name and content version, see <see cref="TemplateIncludeCache"/>). A name without
    /// an extension that the loader does not know is tried again with <c>.liquid</c> appended, like Shopify's snippets.
    /// </summary>
    internal Template LoadIncludedTemplate(string name)
    {
        var loader = Options.Loader ?? throw Error($"Cannot include `{name}`: no template loader. Set TemplateOptions.Loader (e.g. new FolderTemplateLoader(\"templates\")).");
        var template = TemplateIncludeCache.GetOrLoad(loader, name, Options, liquidFallback: true)
            ?? throw Error($"The included template `{name}` was not found (or its name is not allowed) by the template loader{(Path.HasExtension(name) ? string.Empty : $" (also tried `{name}.liquid`)")}.");

        if (template.HasErrors)
        {
            var first = template.Diagnostics.First(d => d.Severity == TemplateDiagnosticSeverity.Error);
            throw Error($"The included template `{name}` has errors: {first}");
        }

        return template;
    }

    /// <summary>
    /// Renders a partial into the current output with <paramref name="locals"/> on top of the scopes. When <paramref name="isolated"/>,
    /// the caller's template variables are hidden (Liquid <c>render</c>): only host globals, the model and the locals are visible.
    /// </summary>
    internal void RenderLiquidPartial(Template template, string name, ScriptObject locals, bool isolated)
    {
        var previousName = SourceName;
        var previousSpan = CurrentSpan;
        var savedScopes = _scopes;
        var savedAccessors = _scopeAccessors;
        var savedCount = _scopeCount;
        EnterCall();
        try
        {
            if (isolated)
            {
                var scopes = new object[Math.Max(8, _rootScopeCount + 4)];
                var accessors = new MemberAccessor.TypeAccessor?[scopes.Length];
                Array.Copy(_scopes, scopes, _rootScopeCount);
                Array.Copy(_scopeAccessors, accessors, _rootScopeCount);
                _scopes = scopes;
                _scopeAccessors = accessors;
                _scopeCount = _rootScopeCount;
            }

            PushScope(locals);
            SourceName = name;
            var arguments = isolated || locals.Count == 0 ? null : new HashSet<string>(locals.Keys, StringComparer.Ordinal);
            template.Body.Execute(this);
            Flow = ControlFlow.None;
            if (!isolated)
            {
                // Liquid `include` shares the caller's variables: what the partial assigns stays visible after it.
                var caller = (ScriptObject)savedScopes[savedCount - 1];
                foreach (var pair in locals)
                {
                    if (arguments is null || !arguments.Contains(pair.Key))
                    {
                        caller.SetValue(pair.Key, pair.Value);
                    }
                }
            }
        }
        finally
        {
            _callDepth--;
            _scopes = savedScopes;
            _scopeAccessors = savedAccessors;
            _scopeCount = savedCount;
            if (savedCount < _scopes.Length)
            {
                _scopes[savedCount] = null!;
                _scopeAccessors[savedCount] = null;
            }
            SourceName = previousName;
            CurrentSpan = previousSpan;
        }
    }

    /// <summary>Gets the loop <paramref name="parents"/> levels out from the innermost one (Liquid <c>forloop.parentloop</c>), or null.</summary>
    internal LoopState? LoopAt(int parents) => parents < _loopCount ? _loops[_loopCount - 1 - parents] : null;

    /// <summary>
    /// Finds a variable for a Liquid template: like the Scriban global lookup but without Scriban's builtin objects
    /// (<c>date</c>, <c>string</c>, <c>include</c>, … are ordinary, undefined names in Liquid).
    /// </summary>
    internal bool TryGetLiquidVariable(string name, ulong mask, out object? value)
    {
        var builtins = Builtins.BuiltinObjects.Root;
        for (var i = _scopeCount - 1; i >= 0; i--)
        {
            var scope = _scopes[i];
            if (ReferenceEquals(scope, builtins))
            {
                continue;
            }

            if (TryGetInScope(scope, i, name, mask, out value))
            {
                return true;
            }
        }

        value = null;
        return false;
    }

    private void ConfigureLiquid()
    {
        _liquidCounters?.Clear();
    }
}
