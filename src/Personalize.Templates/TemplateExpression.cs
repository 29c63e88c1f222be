using Personalize.Templates.Rendering;
using Personalize.Templates.Runtime;
using Personalize.Templates.Syntax;

namespace Personalize.Templates;

/// <summary>
/// A single compiled expression, e.g. a rule condition <c>customer.stage == "retention" &amp;&amp; customer.days_since_purchase &gt; 60</c>.
/// Parse once (diagnostics, never throws), evaluate per customer cheaply and thread-safely, under the same limits as templates.
/// </summary>
public sealed class TemplateExpression
{
    private readonly ScriptExpression? _expression;
    private readonly SourceText _source;

    private TemplateExpression(SourceText source, ScriptExpression? expression, IReadOnlyList<TemplateDiagnostic> diagnostics, TemplateOptions options)
    {
        _source = source;
        _expression = expression;
        Diagnostics = diagnostics;
        Options = options;
        HasErrors = expression is null || diagnostics.Any(d => d.Severity == TemplateDiagnosticSeverity.Error);
    }

    /// <summary>Gets the problems found while parsing (line and column inside the expression).</summary>
    public IReadOnlyList<TemplateDiagnostic> Diagnostics { get; }

    /// <summary>Gets whether the expression has errors and cannot be evaluated.</summary>
    public bool HasErrors { get; }

    /// <summary>Gets the options the expression was parsed with.</summary>
    public TemplateOptions Options { get; }

    /// <summary>Gets the expression source.</summary>
    public string Source => _source.Text;

    /// <summary>
    /// Gets the variable paths the expression reads, in dotted form and in first-read order: each chain of members and
    /// literal indexers from a global variable (<c>customer.facts.order_count</c>; <c>event.data["order"]</c> as
    /// <c>event.data.order</c>); a computed index ends the chain before it. Empty when the expression has errors.
    /// </summary>
    /// <returns>The paths, each once.</returns>
    public IReadOnlyList<string> GetReadPaths() => HasErrors || _expression is null ? [] : ReadPathWalker.Collect(_expression);

    /// <summary>Parses an expression (Scriban syntax, without <c>{{ }}</c>). Never throws on bad syntax.</summary>
    /// <param name="source">The expression text.</param>
    /// <param name="options">Limits, naming and globals.</param>
    /// <returns>The parsed expression.</returns>
    public static TemplateExpression Parse(string source, TemplateOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        options ??= TemplateOptions.Default;
        if (options.Globals is { IsFrozen: false } globals)
        {
            // As Template.Parse: evaluations share a frozen copy; the host's object stays writable.
            options = options with { Globals = globals.ToFrozen() };
        }

        var text = new SourceText(source, options.SourceName);
        var diagnostics = new DiagnosticBag(text);
        ScriptExpression? expression;
        try
        {
            expression = source.Length > options.Limits.MaxSourceLength ? null : Parser.ParseStandaloneExpression(text, diagnostics, options);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            diagnostics.Internal(ex);
            expression = null;
        }

        if (source.Length > options.Limits.MaxSourceLength)
        {
            diagnostics.Error(0, 0, $"The expression has {source.Length} characters; the limit is {options.Limits.MaxSourceLength} (TemplateLimits.MaxSourceLength).");
        }

        return new TemplateExpression(text, expression, diagnostics.Items, options);
    }

    /// <summary>Parses an expression and throws when it has errors (the message shows the offending position).</summary>
    /// <param name="source">The expression text.</param>
    /// <param name="options">Limits, naming and globals.</param>
    /// <returns>The parsed expression.</returns>
    /// <exception cref="TemplateParseException">The expression has syntax errors.</exception>
    public static TemplateExpression ParseOrThrow(string source, TemplateOptions? options = null)
    {
        var expression = Parse(source, options);
        if (expression.HasErrors)
        {
            throw new TemplateParseException(expression.Diagnostics, expression._source.LineText);
        }

        return expression;
    }

    /// <summary>Evaluates the expression against a model.</summary>
    /// <param name="model">The data whose members are the expression's variables.</param>
    /// <param name="options">Culture, clock, cancellation, extra globals.</param>
    /// <returns>The value.</returns>
    /// <exception cref="TemplateParseException">The expression has syntax errors.</exception>
    /// <exception cref="TemplateRuntimeException">Evaluation failed.</exception>
    public object? Evaluate(object? model = null, RenderOptions? options = null)
    {
        if (HasErrors)
        {
            throw new TemplateParseException(Diagnostics, _source.LineText);
        }

        var context = TemplateContext.Rent();
        try
        {
            return context.EvaluateExpression(_expression!, model, options ?? RenderOptions.Default, Options);
        }
        finally
        {
            TemplateContext.Return(context);
        }
    }

    /// <summary>
    /// Compiles the expression for a model type: <paramref name="binder"/> binds each <c>root.member</c> it reads once,
    /// and literals, those reads, <c>!</c>, <c>&amp;&amp;</c>, <c>||</c>, <c>??</c>, parentheses and the comparisons
    /// become typed closures that evaluate without name lookups or allocation. Other syntax (arithmetic, calls, pipes,
    /// nested members) and paths the binder does not bind leave the expression interpreted
    /// (<see cref="CompiledExpression{TModel}.IsCompiled"/>); either way results and errors are the interpreter's, with
    /// the default <see cref="RenderOptions"/>.
    /// </summary>
    /// <typeparam name="TModel">The model type.</typeparam>
    /// <param name="binder">Binds the expression's variables to the model type.</param>
    /// <returns>The compiled expression.</returns>
    public CompiledExpression<TModel> Compile<TModel>(ExpressionBinder<TModel> binder)
    {
        ArgumentNullException.ThrowIfNull(binder);
        if (HasErrors)
        {
            return new CompiledExpression<TModel>(this, binder, null, "the expression has errors");
        }

        var compiled = Compilation.ExpressionCompiler.Compile(_expression!, binder, Options.StrictVariables, out var reason);
        return new CompiledExpression<TModel>(this, binder, compiled, reason);
    }

    /// <summary>Evaluates the expression as a condition with Scriban truthiness (only <see langword="null"/> and <see langword="false"/> are false).</summary>
    /// <param name="model">The data.</param>
    /// <param name="options">Culture, clock, cancellation, extra globals.</param>
    /// <returns>The truth value.</returns>
    public bool EvaluateCondition(object? model = null, RenderOptions? options = null) => ScriptValue.IsTruthy(Evaluate(model, options));
}
