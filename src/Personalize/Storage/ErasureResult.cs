namespace Personalize.Storage;

/// <summary>What <see cref="IPersonalizeStore.EraseCustomerAsync"/> deleted.</summary>
public sealed record ErasureResult
{
    /// <summary>Gets whether the store had the customer.</summary>
    public bool Found { get; init; }

    /// <summary>Gets how many consent records were deleted.</summary>
    public int ConsentRecords { get; init; }

    /// <summary>Gets how many contact history records were deleted.</summary>
    public int HistoryRecords { get; init; }

    /// <summary>Gets how many scheduled sends were deleted.</summary>
    public int ScheduledSends { get; init; }

    /// <summary>Gets how many delivery log entries lost their customer id (their keys stay, so nothing is sent twice).</summary>
    public int DeliveriesAnonymized { get; init; }

    /// <summary>Gets how many contact points went on the suppression list (already listed ones are not counted).</summary>
    public int ContactPointsSuppressed { get; init; }
}
