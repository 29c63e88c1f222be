namespace Personalize.Catalog;

/// <summary>
/// An eligibility condition of a message: an expression in the template language (<see cref="ExpressionCondition"/>)
/// or a typed C# predicate (<see cref="PredicateCondition"/>). Implementations must be thread-safe: one compiled
/// catalog serves all customers at once.
/// </summary>
public interface ICondition
{
    /// <summary>A description for explanations, for example the expression text.</summary>
    string Description { get; }

    /// <summary>Whether the condition holds for the customer and trigger of a decision.</summary>
    /// <param name="context">The customer, trigger and instant; its <see cref="ConditionContext.Model"/> is built once per decision.</param>
    /// <returns><see langword="true"/> when the message is eligible.</returns>
    bool IsSatisfiedBy(ConditionContext context);
}
