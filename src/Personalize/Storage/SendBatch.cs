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
}
