namespace Personalize.Consent;

/// <summary>The current state of consent for one scope.</summary>
public enum ConsentStatus
{
    /// <summary>No record for the scope.</summary>
    None = 0,

    /// <summary>The latest decisive record is a (confirmed) grant.</summary>
    Granted = 1,

    /// <summary>A double opt-in waits for confirmation and nothing later granted consent. Pending is not consent.</summary>
    Pending = 2,

    /// <summary>The latest decisive record is a withdrawal.</summary>
    Withdrawn = 3,
}
