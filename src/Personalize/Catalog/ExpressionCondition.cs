using Personalize.Templates;

namespace Personalize.Catalog;

/// <summary>
/// A condition written in the template expression language, for example
/// <c>customer.days_since_purchase &gt; 60 &amp;&amp; customer.tier == "gold"</c>. Parsed once (diagnostics with line and
/// column inside the expression, never a throw), evaluated against <see cref="ConditionContext.Model"/> with
/// Scriban truthiness (only <c>null</c> and <c>false</c> are false). See <see cref="ConditionContext"/> for the variables.
/// </summary>
/// <remarks>
/// The condition is compiled when it is parsed (<see cref="TemplateExpression.Compile{TModel}"/>): each
/// <c>customer.X</c> and <c>trigger.X</c> it reads is bound to the profile once, and literals, those reads, <c>!</c>,
/// <c>&amp;&amp;</c>, <c>||</c>, <c>??</c>, parentheses and comparisons evaluate as typed closures without allocating.
/// Results and errors are exactly the interpreter's; a condition using other syntax (arithmetic, calls, pipes, nested
/// members) is interpreted (<see cref="IsCompiled"/>, <see cref="InterpretedBecause"/>).
/// </remarks>
public sealed class ExpressionCondition : ICondition
{
    private readonly CompiledExpression<ConditionContext> _compiled;

    private ExpressionCondition(TemplateExpression expression)
    {
        Expression = expression;
        _compiled = expression.Compile(ConditionBinder.Instance);
    }

    /// <summary>The parsed expression.</summary>
    public TemplateExpression Expression { get; }

    /// <summary>The expression text.</summary>
    public string Source => Expression.Source;

    /// <inheritdoc />
    public string Description => Expression.Source;

    /// <summary>The parse problems, each with line and column inside the expression.</summary>
    public IReadOnlyList<TemplateDiagnostic> Diagnostics => Expression.Diagnostics;

    /// <summary>Whether the expression does not parse (it then never holds; catalog validation reports it).</summary>
    public bool HasErrors => Expression.HasErrors;

    /// <summary>Gets whether the condition is compiled (otherwise it is interpreted; see <see cref="InterpretedBecause"/>).</summary>
    public bool IsCompiled => _compiled.IsCompiled;

    /// <summary>Gets why the condition is interpreted (the first construct the compiler does not handle), or null when it is compiled.</summary>
    public string? InterpretedBecause => _compiled.InterpretedBecause;

    /// <summary>Parses a condition. Never throws on bad syntax: check <see cref="HasErrors"/> and <see cref="Diagnostics"/>.</summary>
    /// <param name="source">The expression, without <c>{{ }}</c>.</param>
    /// <param name="options">Template options (limits, strict variables); <see langword="null"/> for the defaults with source name <c>condition</c>.</param>
    /// <returns>The condition.</returns>
    public static ExpressionCondition Parse(string source, TemplateOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new ExpressionCondition(TemplateExpression.Parse(source, options ?? DefaultOptions));
    }

    /// <inheritdoc />
    /// <exception cref="TemplateRuntimeException">Evaluation failed (the engine reports it as <c>eligibility.condition_error</c>).</exception>
    public bool IsSatisfiedBy(ConditionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return !HasErrors && _compiled.EvaluateCondition(context);
    }

    /// <inheritdoc />
    public override string ToString() => Source;

    private static readonly TemplateOptions DefaultOptions = TemplateOptions.Default with { SourceName = "condition" };
}
