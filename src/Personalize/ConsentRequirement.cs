namespace Personalize;

/// <summary>What consent a purpose needs before a customer may be contacted for it.</summary>
public enum ConsentRequirement
{
    /// <summary>A confirmed grant for the channel is required; no record or a pending double opt-in is not consent.</summary>
    OptIn = 0,

    /// <summary>Contact is allowed unless the customer withdrew the channel (or purpose); no record is fine.</summary>
    NotWithdrawn = 1,
}
