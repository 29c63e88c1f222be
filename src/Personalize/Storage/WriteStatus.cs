namespace Personalize.Storage;

/// <summary>The outcome of a write for one customer.</summary>
public enum WriteStatus
{
    /// <summary>Written (or, for sends the store already held, nothing new to write).</summary>
    Written = 0,

    /// <summary>The customer's version is not the one the write expected: another write came in between. Nothing was written; reload and try again.</summary>
    Conflict = 1,

    /// <summary>The store has no such customer (never imported, or erased). Nothing was written.</summary>
    NotFound = 2,

    /// <summary>The write was refused (for example a contact point on the suppression list); the result says why. Nothing was written.</summary>
    Refused = 3,
}
