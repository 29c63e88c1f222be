namespace Personalize.Storage;

/// <summary>A page of sends written in one transaction by <see cref="IPersonalizeStore.RecordAsync"/>.</summary>
public sealed record SendBatch
{
    /// <summary>Gets the writes per customer.</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<CustomerSends> Customers { get; init; } = [];

    /// <summary>Gets keys of pending deliveries the sink took, to mark <see cref="DeliveryState.Delivered"/>.</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<string> Delivered { get; init; } = [];

    /// <summary>Gets pending deliveries the sink refused for good, to remove with their history.</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<DeliveryFailure> Failed { get; init; } = [];

    /// <summary>Gets a run record to save in the same transaction (a run's progress, page by page), or <see langword="null"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public RunRecord? Run { get; init; }

    /// <summary>
    /// Gets pages of a send run to record in the same transaction as its messages (ADR 0077). A page whose range
    /// overlaps a page the store already holds for the run (another process recorded it meanwhile) is not recorded,
    /// and every entry of <see cref="Customers"/> whose customer lies in it is refused with
    /// <see cref="WriteStatus.Conflict"/>, nothing of it written: the caller reads the run's pages again
    /// (<see cref="IPersonalizeStore.ReadRunPagesAsync"/>) and decides those customers again with the recorded tags.
    /// The same page recorded again (same range and tag) is no overlap.
    /// </summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<RunPage> RunPages { get; init; } = [];
}
