namespace Personalize.Delivery.Security;

/// <summary>The outcome of verifying a signed token. The zero value is <see cref="Malformed"/>, so a default result never reads as valid.</summary>
public enum TokenStatus
{
    /// <summary>The token is not in the token format (empty, cut short, bad base64, unknown version).</summary>
    Malformed = 0,

    /// <summary>The token is genuine, unexpired and for the expected scope.</summary>
    Valid = 1,

    /// <summary>The signature does not match: a forgery, a changed payload or another key.</summary>
    InvalidSignature = 2,

    /// <summary>The token is genuine but expired.</summary>
    Expired = 3,

    /// <summary>The token is genuine but for another scope (for example a preference-center token used to unsubscribe).</summary>
    WrongScope = 4,
}
