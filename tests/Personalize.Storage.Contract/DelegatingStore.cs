using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Storage;

namespace Personalize.Storage.Contract;

/// <summary>A store that hands every call to another; tests override the one call they interfere with.</summary>
public abstract class DelegatingStore(IPersonalizeStore inner) : IPersonalizeStore
{
    /// <summary>The store every call goes to.</summary>
    protected IPersonalizeStore Inner => inner;

    /// <inheritdoc />
    public virtual ValueTask<SendBatchResult> RecordAsync(SendBatch batch, CancellationToken cancellationToken = default) => inner.RecordAsync(batch, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<StoredCustomer?> GetCustomerAsync(string customerId, CancellationToken cancellationToken = default) => inner.GetCustomerAsync(customerId, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<IReadOnlyList<StoredCustomer>> GetCustomersAsync(IReadOnlyCollection<string> customerIds, CancellationToken cancellationToken = default) => inner.GetCustomersAsync(customerIds, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<StorePage<StoredCustomer>> ReadCustomersAsync(CustomerQuery query, CancellationToken cancellationToken = default) => inner.ReadCustomersAsync(query, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<long> CountCustomersAsync(CancellationToken cancellationToken = default) => inner.CountCustomersAsync(cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<ImportResult> ImportCustomersAsync(IReadOnlyList<CustomerProfile> customers, CancellationToken cancellationToken = default) => inner.ImportCustomersAsync(customers, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<WriteResult> SaveProfileAsync(CustomerProfile profile, long? expectedVersion = null, CancellationToken cancellationToken = default) => inner.SaveProfileAsync(profile, expectedVersion, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<WriteResult> AppendConsentAsync(string customerId, IReadOnlyList<ConsentRecord> records, long? expectedVersion = null, CancellationToken cancellationToken = default) => inner.AppendConsentAsync(customerId, records, expectedVersion, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<DeliveryRecord?> FindDeliveryAsync(string idempotencyKey, CancellationToken cancellationToken = default) => inner.FindDeliveryAsync(idempotencyKey, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<StorePage<DeliveryRecord>> ReadDeliveriesAsync(DeliveryQuery query, CancellationToken cancellationToken = default) => inner.ReadDeliveriesAsync(query, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<StorePage<ScheduledSend>> ReadScheduledSendsAsync(ScheduledSendQuery query, CancellationToken cancellationToken = default) => inner.ReadScheduledSendsAsync(query, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask SaveRunAsync(RunRecord run, CancellationToken cancellationToken = default) => inner.SaveRunAsync(run, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken = default) => inner.GetRunAsync(runId, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<IReadOnlyList<RunPage>> ReadRunPagesAsync(string runId, CancellationToken cancellationToken = default) => inner.ReadRunPagesAsync(runId, cancellationToken);

    public virtual ValueTask<IReadOnlyList<RunRecord>> ReadRunsAsync(RunQuery query, CancellationToken cancellationToken = default) => inner.ReadRunsAsync(query, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<ErasureResult> EraseCustomerAsync(string customerId, DateTimeOffset at, CancellationToken cancellationToken = default) => inner.EraseCustomerAsync(customerId, at, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<int> SuppressAsync(IReadOnlyList<SuppressionRequest> requests, CancellationToken cancellationToken = default) => inner.SuppressAsync(requests, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<SuppressionEntry?> FindSuppressionAsync(ContactPointKind kind, string value, CancellationToken cancellationToken = default) => inner.FindSuppressionAsync(kind, value, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<WorkClaimResult> ClaimWorkAsync(WorkRequest request, CancellationToken cancellationToken = default) => inner.ClaimWorkAsync(request, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<WorkClaim?> ReportWorkAsync(WorkClaim claim, WorkReport report, CancellationToken cancellationToken = default) => inner.ReportWorkAsync(claim, report, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<WorkProgress> ReadWorkAsync(string runId, CancellationToken cancellationToken = default) => inner.ReadWorkAsync(runId, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<StorePage<PendingConsent>> ReadPendingConsentsAsync(PendingConsentQuery query, CancellationToken cancellationToken = default) => inner.ReadPendingConsentsAsync(query, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<IReadOnlyCollection<string>> FindEventsAsync(IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken = default) => inner.FindEventsAsync(eventIds, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<StorePage<Personalize.Events.CustomerEvent>> ReadEventsAsync(EventQuery query, CancellationToken cancellationToken = default) => inner.ReadEventsAsync(query, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<StorePage<Personalize.Events.CustomerChange>> ReadChangesAsync(ChangeQuery query, CancellationToken cancellationToken = default) => inner.ReadChangesAsync(query, cancellationToken);

    /// <inheritdoc />
    public virtual ValueTask<StorePage<Personalize.Journeys.JourneyInstance>> ReadJourneysAsync(Personalize.Journeys.JourneyQuery query, CancellationToken cancellationToken = default) => inner.ReadJourneysAsync(query, cancellationToken);
}
