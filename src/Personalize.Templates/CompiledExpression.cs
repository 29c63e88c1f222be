using Personalize.Templates.Compilation;

namespace Personalize.Templates;

/// <summary>
/// An expression compiled for one model type (<see cref="TemplateExpression.Compile{TModel}"/>): its variables are
/// bound once, and evaluating it walks typed closures without looking names up, boxing numbers or allocating.
/// Results and errors are the interpreter's in every case: a value the compiled form does not handle exactly (a
/// decimal, an array, a date, a comparison the interpreter reports as an error) makes that evaluation run interpreted.
/// Thread-safe.
/// </summary>
/// <typeparam name="TModel">The model type.</typeparam>
public sealed class CompiledExpression<TModel>
{
    private readonly ExpressionCompiler.Node<TModel>? _compiled;
    private readonly ExpressionBinder<TModel> _binder;

    internal CompiledExpression(TemplateExpression expression, ExpressionBinder<TModel> binder, ExpressionCompiler.Node<TModel>? compiled, string? reason)
    {
        Expression = expression;
        _binder = binder;
        _compiled = compiled;
        InterpretedBecause = reason;
    }

    /// <summary>Gets the expression.</summary>
    public TemplateExpression Expression { get; }

    /// <summary>Gets whether the expression compiled (otherwise every evaluation is interpreted; see <see cref="InterpretedBecause"/>).</summary>
    public bool IsCompiled => _compiled is not null;

    /// <summary>Gets why the expression is interpreted (the first construct the compiler does not handle), or null when it compiled.</summary>
    public string? InterpretedBecause { get; }

    /// <summary>Evaluates the expression as a condition (Scriban truthiness), exactly as <see cref="TemplateExpression.EvaluateCondition"/> over <see cref="ExpressionBinder{TModel}.ToModel"/> does.</summary>
    /// <param name="model">The model.</param>
    /// <returns>The truth value.</returns>
    /// <exception cref="TemplateParseException">The expression has syntax errors.</exception>
    /// <exception cref="TemplateRuntimeException">Evaluation failed.</exception>
    public bool EvaluateCondition(TModel model)
    {
        if (_compiled is { } compiled)
        {
            var state = compiled.Test(model);
            if (state != ExpressionCompiler.Ask)
            {
                return state == ExpressionCompiler.True;
            }
        }

        return Expression.EvaluateCondition(_binder.ToModel(model));
    }

    /// <summary>Evaluates the expression, exactly as <see cref="TemplateExpression.Evaluate"/> over <see cref="ExpressionBinder{TModel}.ToModel"/> does.</summary>
    /// <param name="model">The model.</param>
    /// <returns>The value.</returns>
    /// <exception cref="TemplateParseException">The expression has syntax errors.</exception>
    /// <exception cref="TemplateRuntimeException">Evaluation failed.</exception>
    public object? Evaluate(TModel model)
    {
        if (_compiled is { } compiled)
        {
            var value = compiled.Eval(model);
            if (value.Kind is not (ExpressionValue.ValueKind.Bail or ExpressionValue.ValueKind.Missing))
            {
                return value.ToObject();
            }
        }

        return Expression.Evaluate(_binder.ToModel(model));
    }
}
