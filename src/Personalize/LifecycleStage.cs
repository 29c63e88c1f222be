namespace Personalize;

/// <summary>The stage of a customer's relationship with the business.</summary>
public enum LifecycleStage
{
    /// <summary>A suspect becomes a prospect: first contacts, awareness, interest.</summary>
    Exposure = 0,

    /// <summary>A prospect buys and starts using: onboarding and first value.</summary>
    Adoption = 1,

    /// <summary>A customer stays, renews and becomes an advocate.</summary>
    Retention = 2,
}
