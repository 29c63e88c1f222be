namespace Personalize.Catalog;

/// <summary>A condition written as a typed C# predicate over the <see cref="ConditionContext"/>.</summary>
public sealed class PredicateCondition : ICondition
{
    private readonly Func<ConditionContext, bool> _predicate;

    /// <summary>Creates the condition.</summary>
    /// <param name="predicate">The predicate; it must be thread-safe and should not allocate.</param>
    /// <param name="description">What it checks, in words, for explanations (for example <c>gold tier</c>).</param>
    public PredicateCondition(Func<ConditionContext, bool> predicate, string description)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        _predicate = predicate;
        Description = description;
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public bool IsSatisfiedBy(ConditionContext context) => _predicate(context);

    /// <inheritdoc />
    public override string ToString() => Description;
}
