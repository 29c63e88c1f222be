using System.Runtime.CompilerServices;
using System.Text;
using Personalize.Templates.Builtins;
using Personalize.Templates.Rendering;
using Personalize.Templates.Syntax;

namespace Personalize.Templates.Runtime;

public sealed partial class TemplateContext
{
    [ThreadStatic]
    private static TemplateContext? t_cached;

    private Type? _lastScopeType;
    private MemberPolicy? _lastScopePolicy;
    private MemberAccessor.TypeAccessor? _lastScopeAccessor;
    private ScriptObject? _expressionScope;
    private ScriptObject? _templateScope;
    private object[] _scopes = new object[8];
    private MemberAccessor.TypeAccessor?[] _scopeAccessors = new MemberAccessor.TypeAccessor?[8];
    private int _scopeCount;
    private readonly List<LocalFrame> _frames = new();
    private int _frameCount;
    private readonly List<LoopState> _loops = new();
    private int _loopCount;

    // The last JSON array a loop walked on this thread (the boxed element, by reference) and its normalized items; kept
    // across renders so the parts of one message that loop over the same value normalize its items once.
    private object? _jsonItemsSource;
    private object?[]? _jsonItems;

    internal ControlFlow Flow { get; set; }

    /// <summary>The items a loop normalized from <paramref name="source"/> (a boxed JSON array) when it was the last one kept on this thread.</summary>
    internal bool TryGetJsonItems(object source, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out object?[]? items)
    {
        items = ReferenceEquals(source, _jsonItemsSource) ? _jsonItems : null;
        return items is not null;
    }

    /// <summary>Keeps the items a loop normalized from the boxed JSON array <paramref name="source"/> (replacing the last ones).</summary>
    internal void KeepJsonItems(object source, object?[] items)
    {
        _jsonItemsSource = source;
        _jsonItems = items;
    }

    internal object? ReturnValue { get; set; }

    internal ScriptBlock? PendingWrapBody { get; set; }

    internal static TemplateContext Rent()
    {
        var context = t_cached;
        if (context is not null)
        {
            t_cached = null;
            return context;
        }

        return new TemplateContext();
    }

    internal static void Return(TemplateContext context)
    {
        context.Reset();
        t_cached = context;
    }

    private void Reset()
    {
        Array.Clear(_scopes, 0, _scopeCount);
        Array.Clear(_scopeAccessors, 0, _scopeCount);
        _scopeCount = 0;
        for (var i = 0; i < _frameCount; i++)
        {
            _frames[i].Clear();
        }

        _frameCount = 0;
        for (var i = 0; i < _loopCount; i++)
        {
            _loops[i].Reset(LoopKind.For);
        }

        _loopCount = 0;
        Flow = ControlFlow.None;
        ReturnValue = null;
        PendingWrapBody = null;
        if (ScopeEscaped)
        {
            // `this` handed a scope object out (a host function may keep it, whatever the render or expression returned):
            // never empty or reuse it. Only one of the two was in use since the context was rented; dropping both keeps
            // this simple and costs one new object, only after `this` was used.
            _templateScope = null;
            _expressionScope = null;
            ScopeEscaped = false;
        }
        else
        {
            // The variables of the render or expression go with it; the emptied object serves the next one on this thread.
            _templateScope?.Clear();
            _expressionScope?.Clear();
        }

        Output = NullOutput.Instance;
    }

    /// <summary>
    /// Gets or sets whether <c>this</c> handed the current scope object out during this render or expression evaluation,
    /// so the context neither empties nor reuses it (set by <see cref="ThisExpression"/>).
    /// </summary>
    internal bool ScopeEscaped { get; set; }

    internal object? EvaluateExpression(ScriptExpression expression, object? model, RenderOptions render, TemplateOptions options)
    {
        // Expressions are evaluated per customer: reuse one top scope per context instead of allocating one each time.
        var scope = _expressionScope ??= new ScriptObject();
        scope.Clear();
        Begin(model, render, options, NullOutput.Instance, scope);
        try
        {
            // When `this` hands the scope out (returned, or passed to a host function), Reset stops reusing it.
            return expression.Evaluate(this);
        }
        catch (Exception ex) when (TryTranslate(ex) is { } translated)
        {
            throw translated;
        }
    }

    /// <summary>Runs a compiled template body with the standard scope stack: builtins, host globals, render globals, model, template variables.</summary>
    internal void Run(ScriptBlock body, object? model, RenderOptions render, TemplateOptions options, TemplateOutput output)
    {
        // Templates are rendered per recipient: one top scope per context, emptied after each render, instead of a new one.
        Begin(model, render, options, output, _templateScope ??= new ScriptObject());
        try
        {
            body.Execute(this);
        }
        catch (Exception ex) when (TryTranslate(ex) is { } translated)
        {
            throw translated;
        }
    }

    private void Begin(object? model, RenderOptions render, TemplateOptions options, TemplateOutput output, ScriptObject? top = null)
    {
        Configure(options, render, output);
        PushScope(BuiltinObjects.Root);
        if (options.Globals is not null)
        {
            PushScope(options.Globals);
        }

        if (render.Globals is not null)
        {
            render.Globals.Freeze();
            PushScope(render.Globals);
        }

        if (model is not null)
        {
            PushScope(ScriptValue.Normalize(model)!);
        }

        _rootScopeCount = _scopeCount;
        PushScope(top ?? new ScriptObject());
        PushFrame(null);
    }

    /// <summary>Turns unexpected .NET exceptions from evaluation into positioned render errors; template errors and cancellation pass through.</summary>
    private Exception? TryTranslate(Exception ex) => ex switch
    {
        TemplateRuntimeException or OperationCanceledException => null,
        InsufficientExecutionStackException => new TemplateLimitExceededException(nameof(TemplateLimits.MaxRecursionDepth), Limits.MaxRecursionDepth, "The template nests calls too deeply for the stack (TemplateLimits.MaxRecursionDepth).", CurrentSpan, SourceName),
        InvalidCastException or ArgumentException or InvalidOperationException or NotSupportedException or IndexOutOfRangeException or OverflowException or FormatException or KeyNotFoundException or NullReferenceException or DivideByZeroException
            => new TemplateRuntimeException(ex.Message, CurrentSpan, SourceName, ex),
        _ => null,
    };

    internal void PushScope(object scope)
    {
        if (_scopeCount == _scopes.Length)
        {
            Array.Resize(ref _scopes, _scopes.Length * 2);
            Array.Resize(ref _scopeAccessors, _scopes.Length);
        }

        MemberAccessor.TypeAccessor? accessor = null;
        if (scope is not ScriptObject)
        {
            var type = scope.GetType();
            if (ReferenceEquals(type, _lastScopeType) && ReferenceEquals(Members, _lastScopePolicy))
            {
                accessor = _lastScopeAccessor;
            }
            else
            {
                accessor = MemberAccessor.GetAccessor(type, Members);
                _lastScopeType = type;
                _lastScopePolicy = Members;
                _lastScopeAccessor = accessor;
            }

            if (!accessor!.IsPlainObject)
            {
                accessor = null;
            }
        }

        _scopeAccessors[_scopeCount] = accessor;
        _scopes[_scopeCount++] = scope;
    }

    internal void PopScope()
    {
        _scopes[--_scopeCount] = null!;
        _scopeAccessors[_scopeCount] = null;
    }

    /// <summary>The innermost scope, where plain assignments go (always a <see cref="ScriptObject"/>).</summary>
    internal ScriptObject CurrentScope => (ScriptObject)_scopes[_scopeCount - 1];

    internal bool TryGetGlobal(string name, out object? value) => TryGetGlobal(name, ScriptObject.MaskOf(name), out value);

    internal bool TryGetGlobal(string name, ulong mask, out object? value)
        => TryGetGlobal(name, mask, ref Unsafe.NullRef<RootGetter?>(), out value);

    /// <summary>
    /// <see cref="TryGetGlobal(string, ulong, out object?)"/> for a variable site with its <see cref="RootGetter"/>: a plain
    /// .NET model scope is read through the getter the site found last time for that scope's accessor (same type, same
    /// member policy) instead of looking the name up in the accessor's table; every scope above is searched as always.
    /// A null reference for <paramref name="site"/> (<see cref="Unsafe.NullRef{T}"/>) looks up without a site.
    /// </summary>
    internal bool TryGetGlobal(string name, ulong mask, ref RootGetter? site, out object? value)
    {
        for (var i = _scopeCount - 1; i >= 0; i--)
        {
            if (TryGetInScope(_scopes[i], i, name, mask, ref site, out value))
            {
                return true;
            }
        }

        value = null;
        return false;
    }

    /// <summary><see cref="TryGetInScope(object, int, string, ulong, out object?)"/> with a site's <see cref="RootGetter"/> for a plain .NET scope.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryGetInScope(object scope, int index, string name, ulong mask, ref RootGetter? site, out object? value)
    {
        if (!Unsafe.IsNullRef(ref site) && _scopeAccessors[index] is { } accessor)
        {
            if ((accessor.KeyMask & mask) != 0)
            {
                if (site is { } cached && ReferenceEquals(cached.Accessor, accessor))
                {
                    value = cached.Getter(scope);
                    return true;
                }

                if (accessor.TryGetGetter(name, out var getter))
                {
                    site = new RootGetter(accessor, getter);
                    value = getter(scope);
                    return true;
                }
            }

            value = null;
            return false;
        }

        return TryGetInScope(scope, index, name, mask, out value);
    }

    /// <summary>
    /// Looks <paramref name="name"/> up in one scope (<paramref name="scope"/> = <c>_scopes[index]</c>): a script object or a
    /// typed accessor when its Bloom mask may hold the name, else <see cref="MemberAccessor"/> for any other host object. Shared by the
    /// Scriban global lookup and the Liquid variable lookup.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryGetInScope(object scope, int index, string name, ulong mask, out object? value)
    {
        if (scope is ScriptObject o)
        {
            if ((o.KeyMask & mask) != 0)
            {
                return o.TryGetValue(name, out value);
            }
        }
        else if (_scopeAccessors[index] is { } accessor)
        {
            if ((accessor.KeyMask & mask) != 0)
            {
                return accessor.TryGet(scope, name, out value);
            }
        }
        else
        {
            return MemberAccessor.TryGet(scope, name, Members, out value);
        }

        value = null;
        return false;
    }

    /// <summary>
    /// Gets whether a global named with <paramref name="mask"/> certainly resolves to the builtins (no scope above them can
    /// hold it, by their Bloom masks). Lets call sites cache <c>string.truncate</c> instead of looking it up every time.
    /// </summary>
    internal bool IsBuiltinVisible(ulong mask)
    {
        for (var i = _scopeCount - 1; i >= 1; i--)
        {
            if (_scopes[i] is ScriptObject o)
            {
                if ((o.KeyMask & mask) != 0)
                {
                    return false;
                }
            }
            else if (_scopeAccessors[i] is { } accessor)
            {
                if ((accessor.KeyMask & mask) != 0)
                {
                    return false;
                }
            }
            else
            {
                return false;
            }
        }

        return _scopeCount > 0 && ReferenceEquals(_scopes[0], BuiltinObjects.Root);
    }

    internal object? GetGlobal(string name, SourceSpan span) => GetGlobal(name, ScriptObject.MaskOf(name), span);

    internal object? GetGlobal(string name, ulong mask, SourceSpan span)
        => GetGlobal(name, mask, ref Unsafe.NullRef<RootGetter?>(), span);

    /// <summary><see cref="GetGlobal(string, ulong, SourceSpan)"/> for a variable site with its <see cref="RootGetter"/> (see <see cref="TryGetGlobal(string, ulong, ref RootGetter?, out object?)"/>).</summary>
    internal object? GetGlobal(string name, ulong mask, ref RootGetter? site, SourceSpan span)
    {
        if (TryGetGlobal(name, mask, ref site, out var value))
        {
            return value;
        }

        if (IsStrict)
        {
            throw Error(span, $"The variable `{name}` was not found. Define it in the model or assign it before use (strict variables mode).");
        }

        return null;
    }

    internal void SetGlobal(string name, object? value, SourceSpan span)
    {
        var scope = CurrentScope;
        if (scope.IsReadOnlyMember(name))
        {
            throw Error(span, $"Cannot set the readonly variable `{name}`");
        }

        scope.SetValue(name, value);
    }

    internal LocalFrame CurrentFrame => _frames[_frameCount - 1];

    internal LocalFrame PushFrame(ScriptArray? arguments)
    {
        if (_frameCount == _frames.Count)
        {
            _frames.Add(new LocalFrame());
        }

        var frame = _frames[_frameCount++];
        frame.Arguments = arguments;
        frame.WrapBody = PendingWrapBody;
        PendingWrapBody = null;
        return frame;
    }

    internal void PopFrame() => _frames[--_frameCount].Clear();

    internal LoopState PushLoop(LoopKind kind)
    {
        if (_loopCount == _loops.Count)
        {
            _loops.Add(new LoopState());
        }

        var loop = _loops[_loopCount++];
        loop.Reset(kind);
        return loop;
    }

    internal void PopLoop() => _loops[--_loopCount].Reset(LoopKind.For);

    internal LoopState? CurrentLoop => _loopCount > 0 ? _loops[_loopCount - 1] : null;

    /// <summary>The innermost running <c>while</c> loop (<paramref name="whileLoop"/>) or <c>for</c>/<c>tablerow</c> loop, or null.</summary>
    internal LoopState? FindLoop(bool whileLoop)
    {
        for (var i = _loopCount - 1; i >= 0; i--)
        {
            if ((_loops[i].Kind == LoopKind.While) == whileLoop)
            {
                return _loops[i];
            }
        }

        return null;
    }

    internal void CheckStack()
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw new TemplateLimitExceededException(nameof(TemplateLimits.MaxRecursionDepth), Limits.MaxRecursionDepth, "The template nests calls too deeply for the stack (TemplateLimits.MaxRecursionDepth).", CurrentSpan, SourceName);
        }
    }

    internal string Capture(ScriptBlock body)
    {
        var previous = Output;
        var previousAtLineStart = _atLineStart;
        var builder = new StringBuilder();
        Output = new StringBuilderOutput(builder);
        _atLineStart = false;
        try
        {
            body.Execute(this);
        }
        finally
        {
            Output = previous;
            _atLineStart = previousAtLineStart;
        }

        return builder.ToString();
    }
}
