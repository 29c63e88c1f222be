using BenchmarkDotNet.Attributes;
using Personalize.Templates;

namespace Personalize.Benchmarks.Templates;

/// <summary>A rule condition as the decision engine evaluates it once per customer.</summary>
[MemoryDiagnoser]
public class ConditionBenchmarks
{
    private const string Source = "customer.stage == \"retention\" && customer.days_since_purchase > 60";

    private readonly TemplateExpression _expression = TemplateExpression.ParseOrThrow(Source);
    private readonly object _model = new ConditionModel(new ConditionCustomer("retention", 75));

    /// <summary>Parses (compiles) the condition.</summary>
    [Benchmark]
    public object Parse() => TemplateExpression.Parse(Source);

    /// <summary>Evaluates the pre-parsed condition for one customer.</summary>
    [Benchmark]
    public bool Evaluate() => _expression.EvaluateCondition(_model);

    /// <summary>The customer.</summary>
    public sealed record ConditionCustomer(string Stage, int DaysSincePurchase);

    /// <summary>The model: its members are the expression's variables.</summary>
    public sealed record ConditionModel(ConditionCustomer Customer);
}
