namespace Personalize.Events;

/// <summary>
/// How the lifecycle stage follows from facts. Defaults: no purchase → exposure; a first purchase → adoption;
/// <see cref="RetentionOrders"/> purchases, a renewal, or <see cref="RetentionTenure"/> since the first purchase →
/// retention. Applied when facts change (events) and by a tick (tenure). Stages only move forward: the rules never move
/// a customer back (a host that wants to does so itself and pins the stage, <see cref="Customers.CustomerProfile.StagePinned"/>,
/// which the rules then leave alone). Each change is recorded and triggers <c>stage:NAME</c>.
/// </summary>
public sealed record LifecycleRules
{
    /// <summary>Gets the default rules.</summary>
    public static LifecycleRules Default { get; } = new();

    /// <summary>Gets whether the rules move stages at all.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Enabled { get; init; } = true;

    /// <summary>Gets how many orders make a customer retained.</summary>
    /// <value>The default value is 3.</value>
    public int RetentionOrders { get; init; } = 3;

    /// <summary>Gets whether a renewal (<c>renewed</c>, fact <c>renewal_count</c>) makes a customer retained.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool RetentionOnRenewal { get; init; } = true;

    /// <summary>Gets the tenure since the first purchase that makes a customer retained, or <see langword="null"/> for none.</summary>
    /// <value>The default value is 365 days.</value>
    public TimeSpan? RetentionTenure { get; init; } = TimeSpan.FromDays(365);

    /// <summary>
    /// Gets the host's own rule, asked first: the stage and the name of the fact that decided it, or <see langword="null"/>
    /// to fall back to the rules above.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public Func<CustomerFacts, DateTimeOffset, (LifecycleStage Stage, string Cause)?>? Custom { get; init; }

    /// <summary>The stage the facts call for at an instant, and the fact that decided it.</summary>
    /// <param name="facts">The facts.</param>
    /// <param name="at">The instant (tenure is measured to it).</param>
    /// <returns>The stage and its cause.</returns>
    public (LifecycleStage Stage, string Cause) Derive(CustomerFacts facts, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (Custom?.Invoke(facts, at) is { } custom)
        {
            return custom;
        }

        var orders = facts.NumberOf(FactNames.OrderCount);
        if (RetentionOrders > 0 && orders >= RetentionOrders)
        {
            return (LifecycleStage.Retention, FactNames.OrderCount);
        }

        if (RetentionOnRenewal && facts.NumberOf(FactNames.RenewalCount) >= 1)
        {
            return (LifecycleStage.Retention, FactNames.RenewalCount);
        }

        if (RetentionTenure is { } tenure && facts.InstantOf(FactNames.FirstPurchaseAt) is { } first && at - first >= tenure)
        {
            return (LifecycleStage.Retention, "tenure");
        }

        return orders >= 1 ? (LifecycleStage.Adoption, FactNames.OrderCount) : (LifecycleStage.Exposure, FactNames.OrderCount);
    }
}
