namespace Personalize.Storage;

/// <summary>The outcome of <see cref="IPersonalizeStore.RecordAsync"/>: one result per customer entry, in order.</summary>
/// <param name="Customers">The results.</param>
public sealed record SendBatchResult(IReadOnlyList<CustomerSendsResult> Customers);
