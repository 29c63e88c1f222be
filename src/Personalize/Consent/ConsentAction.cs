namespace Personalize.Consent;

/// <summary>Whether a consent record gives or takes back consent.</summary>
public enum ConsentAction
{
    /// <summary>The customer gave consent.</summary>
    Grant = 0,

    /// <summary>The customer withdrew consent. A withdrawal is never overridden by an older grant.</summary>
    Withdraw = 1,
}
