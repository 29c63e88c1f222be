namespace Personalize.Storage;

/// <summary>
/// A page of a send run over the store, recorded with the page's messages (<see cref="SendBatch.RunPages"/>): the
/// range of customer ids it covered and the tag its <see cref="Delivery.IdempotencyKeyFormat.PageTagged"/> keys carry.
/// A resumed run gives each customer the tag of the recorded page that holds it, so it makes the same keys for what it
/// recorded (ADR 0077). A run's recorded pages never overlap.
/// </summary>
/// <remarks>Erasing a customer moves a bound that names it to the nearest remaining customer of the page (a page left without customers is removed), so no erased id stays here.</remarks>
public sealed record RunPage
{
    /// <summary>Gets the run's id (<see cref="RunRecord.Id"/>).</summary>
    public required string RunId { get; init; }

    /// <summary>Gets the page's first customer id (ordinal order, as the store pages customers).</summary>
    public required string FirstCustomerId { get; init; }

    /// <summary>Gets the page's last customer id (at or after <see cref="FirstCustomerId"/>).</summary>
    public required string LastCustomerId { get; init; }

    /// <summary>Gets the page's key tag (<see cref="Delivery.IdempotencyKey.TagLength"/> characters of <c>a-z2-7</c>, <see cref="Delivery.IdempotencyKey.CreateTag"/>).</summary>
    public required string Tag { get; init; }

    /// <summary>Whether a customer id lies in the page's range.</summary>
    /// <param name="customerId">The customer's id.</param>
    /// <returns><see langword="true"/> when it does.</returns>
    public bool Contains(string customerId)
        => string.CompareOrdinal(customerId, FirstCustomerId) >= 0 && string.CompareOrdinal(customerId, LastCustomerId) <= 0;

    /// <summary>Whether two pages' ranges share a customer id.</summary>
    /// <param name="other">The other page.</param>
    /// <returns><see langword="true"/> when they do.</returns>
    public bool Overlaps(RunPage other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return string.CompareOrdinal(FirstCustomerId, other.LastCustomerId) <= 0 && string.CompareOrdinal(other.FirstCustomerId, LastCustomerId) <= 0;
    }
}
