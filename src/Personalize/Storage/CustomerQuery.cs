namespace Personalize.Storage;

/// <summary>A page of customers to read, in the store's id order.</summary>
public sealed record CustomerQuery
{
    /// <summary>The default page size.</summary>
    public const int DefaultLimit = 500;

    /// <summary>Gets how many customers the page holds at most.</summary>
    /// <value>The default value is <see cref="DefaultLimit"/> (500).</value>
    public int Limit { get; init; } = DefaultLimit;

    /// <summary>
    /// Gets the id the page starts after: the <see cref="StorePage{T}.ContinueAfter"/> of the previous page (the last id
    /// it held), a share's <see cref="WorkClaim.After"/> or <see cref="WorkClaim.ContinueAfter"/>, or
    /// <see langword="null"/> for the first page.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? ContinueAfter { get; init; }

    /// <summary>
    /// Gets the id of a run whose own sends are left out of each customer's contact history (the history records of
    /// delivery log entries with this <see cref="DeliveryRecord.RunId"/>), or <see langword="null"/> for the whole
    /// history. A resumed run reads with its own id, so it decides as its first attempt did (the same messages, the
    /// same keys, found already recorded) instead of counting its own sends toward the caps.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? ExcludeHistoryOfRun { get; init; }

    /// <summary>Gets the last id the pages may hold (inclusive, ordinal order), for example a share's <see cref="WorkClaim.UpTo"/>; <see langword="null"/> reads to the last customer.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? UpTo { get; init; }
}
