using System.Runtime.CompilerServices;
using Personalize.Templates.Syntax;

namespace Personalize.Templates.Runtime;

/// <summary>Per-render state and helpers of the Liquid front end (counters, partials).</summary>
public sealed partial class TemplateContext
{
    private Dictionary<string, int>? _liquidCounters;
    private string _lastIfChanged = string.Empty;
    private Dictionary<string, int>? _liquidLoopOffsets;
    private ScriptObject? _liquidAssignScope;
    private int _loopBase;
    private LoopState? _renderLoop;
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
    /// <summary>
    /// Renders a Liquid partial. <c>include</c> (<paramref name="isolated"/> false) sees the caller's variables, its
    /// <c>assign</c>s land in the caller's template scope (the arguments in <paramref name="locals"/> still shadow them inside
    /// the partial), and a <c>break</c>/<c>continue</c> in it reaches the caller's loop. <c>render</c> sees only the globals,
    /// its locals and <paramref name="renderLoop"/> as <c>forloop</c> (never the caller's loops), and has its own counters.
    /// </summary>
    internal void RenderLiquidPartial(Template template, string name, ScriptObject locals, bool isolated, LoopState? renderLoop = null)
    {
        var previousName = SourceName;
        var previousSpan = CurrentSpan;
        var savedScopes = _scopes;
        var savedAccessors = _scopeAccessors;
        var savedCount = _scopeCount;
        var savedAssignScope = _liquidAssignScope;
        var savedLoopBase = _loopBase;
        var savedRenderLoop = _renderLoop;
        var savedCounters = _liquidCounters;
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
                _liquidAssignScope = locals;
                _loopBase = _loopCount;
                _renderLoop = renderLoop;
                _liquidCounters = null;
            }
            else
            {
                _liquidAssignScope ??= CurrentScope;
            }

            PushScope(locals);
            SourceName = name;
            ChargeWork(IncludeCost + template.Body.Weight);
            template.Body.Execute(this);
            if (isolated)
            {
                Flow = ControlFlow.None;
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

            _liquidAssignScope = savedAssignScope;
            _loopBase = savedLoopBase;
            _renderLoop = savedRenderLoop;
            _liquidCounters = savedCounters;
            SourceName = previousName;
            CurrentSpan = previousSpan;
        }
    }

    /// <summary>The scope a Liquid <c>assign</c> or <c>capture</c> writes to: the template's own, also from inside an <c>include</c>.</summary>
    internal ScriptObject LiquidAssignScope => _liquidAssignScope ?? CurrentScope;

    /// <summary>The loop <paramref name="parents"/> levels out (<c>forloop.parentloop…</c>), never one outside a <c>render</c>.</summary>
    internal LoopState? LoopAt(int parents)
    {
        var index = _loopCount - 1 - parents;
        if (index >= _loopBase)
        {
            return _loops[index];
        }

        return index == _loopBase - 1 && parents == 0 ? _renderLoop : null;
    }

    /// <summary>
    /// Finds a variable for a Liquid template: like the Scriban global lookup but without Scriban's builtin objects
    /// (<c>date</c>, <c>string</c>, <c>include</c>, … are ordinary, undefined names in Liquid).
    /// </summary>
    internal bool TryGetLiquidVariable(string name, ulong mask, out object? value)
        => TryGetLiquidVariable(name, mask, ref Unsafe.NullRef<RootGetter?>(), out value);

    /// <summary><see cref="TryGetLiquidVariable(string, ulong, out object?)"/> for a variable site with its <see cref="RootGetter"/> (a plain .NET model read through the getter the site found last time; a null reference for <paramref name="site"/> looks up without a site).</summary>
    internal bool TryGetLiquidVariable(string name, ulong mask, ref RootGetter? site, out object? value)
    {
        var builtins = Builtins.BuiltinObjects.Root;
        for (var i = _scopeCount - 1; i >= 0; i--)
        {
            if (i == _rootScopeCount - 1 && _liquidCounters is { Count: > 0 } counters && counters.TryGetValue(name, out var counter))
            {
                // `increment`/`decrement` counters read as variables after the template's own variables, before the model.
                value = counter;
                return true;
            }

            var scope = _scopes[i];
            if (ReferenceEquals(scope, builtins))
            {
                continue;
            }

            if (TryGetInScope(scope, i, name, mask, ref site, out value))
            {
                return true;
            }
        }

        value = null;
        return false;
    }

    /// <summary>Records the text of an <c>ifchanged</c> block; true when it differs from the last one (so it is written).</summary>
    internal bool ExchangeIfChanged(string text)
    {
        if (string.Equals(text, _lastIfChanged, StringComparison.Ordinal))
        {
            return false;
        }

        _lastIfChanged = text;
        return true;
    }

    /// <summary>Where <c>offset: continue</c> starts for the loop <paramref name="name"/> (0 when no loop of that name ran).</summary>
    internal int LiquidLoopOffset(string name) => _liquidLoopOffsets is not null && _liquidLoopOffsets.TryGetValue(name, out var offset) ? offset : 0;

    internal void SetLiquidLoopOffset(string name, int offset) => (_liquidLoopOffsets ??= new Dictionary<string, int>(StringComparer.Ordinal))[name] = offset;

    private void ConfigureLiquid()
    {
        _liquidAssignScope = null;
        _loopBase = 0;
        _renderLoop = null;
        _liquidLoopOffsets?.Clear();
        _liquidCounters?.Clear();
        _lastIfChanged = string.Empty;
    }
}
