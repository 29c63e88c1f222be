namespace Personalize.Storage;

/// <summary>
/// A share of a send run's customers, held by one worker until its lease ends: the customers whose id is after
/// <see cref="After"/> and at most <see cref="UpTo"/> (ordinal order). Read them with <see cref="CustomerQuery"/>
/// (<c>ContinueAfter = claim.ContinueAfter ?? claim.After</c>, <c>UpTo = claim.UpTo</c>), report progress with
/// <see cref="IPersonalizeStore.ReportWorkAsync"/> after each page, and report it completed at the end.
/// </summary>
public sealed record WorkClaim
{
    /// <summary>Gets the run's id.</summary>
    public required string RunId { get; init; }

    /// <summary>Gets the share's number in the run (0-based).</summary>
    public required int Share { get; init; }

    /// <summary>Gets the worker holding the share.</summary>
    public required string Worker { get; init; }

    /// <summary>
    /// Gets how many times the share was claimed, this claim included: 1 for the first holder; more means an earlier
    /// holder stopped before finishing (its lease ran out), so messages it recorded may not have been handed over yet.
    /// A report carrying an older generation than the store's is refused (the share was taken over).
    /// </summary>
    public required long Generation { get; init; }

    /// <summary>Gets the id the share starts after (exclusive), or <see langword="null"/> for the first share.</summary>
    public string? After { get; init; }

    /// <summary>Gets the last id of the share (inclusive), or <see langword="null"/> for the last share.</summary>
    public string? UpTo { get; init; }

    /// <summary>Gets the last customer id an earlier holder reported done, or <see langword="null"/> when none: continue after it.</summary>
    public string? ContinueAfter { get; init; }

    /// <summary>Gets when the lease ends unless renewed, by the store's clock (UTC).</summary>
    public DateTimeOffset LeaseUntil { get; init; }

    /// <summary>Whether an earlier holder stopped before finishing the share (<see cref="Generation"/> is more than 1).</summary>
    public bool IsTakeover => Generation > 1;

    /// <summary>Whether a customer id falls in the share.</summary>
    /// <param name="customerId">The id.</param>
    /// <returns><see langword="true"/> when it is after <see cref="After"/> and at most <see cref="UpTo"/>.</returns>
    public bool Contains(string customerId)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        return (After is null || string.CompareOrdinal(customerId, After) > 0)
            && (UpTo is null || string.CompareOrdinal(customerId, UpTo) <= 0);
    }
}
