namespace Personalize.Consent;

/// <summary>How a grant was obtained.</summary>
public enum OptInMethod
{
    /// <summary>One action by the customer (a ticked box, a spoken yes) is the grant.</summary>
    Single = 0,

    /// <summary>The grant counts only once the customer confirmed it (for example by clicking a link sent to the address).</summary>
    Double = 1,
}
