using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Events;
using Personalize.Journeys;

namespace Personalize.Storage;

/// <summary>
/// Where Personalize keeps its memory: customer profiles (preferences, contact points, flags, attributes), the
/// append-only consent ledger, contact history, scheduled (deferred) sends, the delivery log (every message handed to
/// a sink, unique by idempotency key), run state and the suppression list. Implementations:
/// <see cref="InMemoryPersonalizeStore"/> (tests, small hosts), <c>Personalize.Sqlite</c> (the embedded default) and
/// <c>Personalize.PostgreSql</c> (several workers). All of them pass the same contract test suite.
/// </summary>
/// <remarks>
/// <para><b>Transactions.</b> Every method is one transaction: it happens entirely or not at all, also across a crash.
/// <see cref="RecordAsync"/> writes a whole page of sends (delivery log entries, their contact history, scheduled
/// sends and completions) at once; the idempotency key is unique, so recording a key again writes nothing.</para>
/// <para><b>One customer at a time.</b> Every customer has a <see cref="StoredCustomer.Version"/> that grows with each
/// write that changes what a decision reads (profile facts, consent evidence, contact history). A write that carries
/// the version its decision read (<see cref="CustomerSends.ExpectedVersion"/>) is refused with
/// <see cref="WriteStatus.Conflict"/> when another write came in between; the caller reloads the customer and decides
/// again. So a campaign send and an event-triggered send for one customer can never both pass the same cap, and a
/// withdrawal recorded while a decision was being made stops that decision's send. A SQL store implements this with
/// <c>UPDATE … SET version = version + 1 WHERE id = @id AND version = @expected</c> inside the write's transaction
/// (PostgreSQL holds the row lock to the commit).</para>
/// <para><b>Paging.</b> Reads that can return many rows take a query with a <c>Limit</c> and an opaque
/// <c>ContinueAfter</c> token and answer one <see cref="StorePage{T}"/>: one round trip per page, never one per
/// customer.</para>
/// <para><b>Events and facts.</b> <see cref="RecordAsync"/> also stores applied events (unique by id), the customer's
/// facts (<see cref="CustomerProfile.Facts"/>, read back with the profile) and stage and tier changes, in the same
/// transaction as the sends they caused: an event is applied, and its messages recorded, exactly once.</para>
/// <para><b>Erasure.</b> <see cref="EraseCustomerAsync"/> is the only deletion of evidence: it removes the profile,
/// facts, events, changes, consent records, contact history and scheduled sends, keeps delivery log keys without the customer (so nothing is
/// sent twice) and puts a salted hash of each contact point on the suppression list, so a later import of the same
/// address or number is refused.</para>
/// <para><b>Several workers.</b> Workers running the same send run split its customers through the store
/// (<see cref="ClaimWorkAsync"/>): each claims a share (an id range) under a lease, reports progress after each page
/// (<see cref="ReportWorkAsync"/>, which renews the lease), and claims the next share when done. A worker that stops
/// reporting loses its share when the lease runs out, and another worker takes it over from the last reported
/// customer. The PostgreSQL store splits a run into many shares shared by every process on every machine; the
/// in-memory and SQLite stores keep one share per run, claimed within the process.</para>
/// <para>Implementations are thread-safe. Times are stored in UTC with at least microsecond precision.</para>
/// </remarks>
public interface IPersonalizeStore
{
    /// <summary>Reads one customer: profile facts, consent ledger and contact history, with its version.</summary>
    /// <param name="customerId">The customer's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The customer, or <see langword="null"/> when the store has none with this id.</returns>
    ValueTask<StoredCustomer?> GetCustomerAsync(string customerId, CancellationToken cancellationToken = default);

    /// <summary>Reads several customers in one round trip (ids not found are left out).</summary>
    /// <param name="customerIds">The ids.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The customers found, in the order of <paramref name="customerIds"/>.</returns>
    ValueTask<IReadOnlyList<StoredCustomer>> GetCustomersAsync(IReadOnlyCollection<string> customerIds, CancellationToken cancellationToken = default);

    /// <summary>Reads one page of customers in the store's id order (full profiles, as <see cref="GetCustomerAsync"/>).</summary>
    /// <param name="query">The page size and where to continue.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The page; its <see cref="StorePage{T}.ContinueAfter"/> is <see langword="null"/> after the last one.</returns>
    ValueTask<StorePage<StoredCustomer>> ReadCustomersAsync(CustomerQuery query, CancellationToken cancellationToken = default);

    /// <summary>Counts the customers.</summary>
    /// <param name="cancellationToken">Cancels the count.</param>
    /// <returns>The number of customers.</returns>
    ValueTask<long> CountCustomersAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Imports customers in one transaction: creates new ones, replaces the profile facts of known ones, appends the
    /// consent records and contact history they carry that the store does not hold yet (equal records are not added
    /// twice, so importing the same file again changes nothing). A customer whose email, phone or device token is on the
    /// suppression list is refused; when anything is refused or invalid, nothing is written.
    /// </summary>
    /// <param name="customers">The customers.</param>
    /// <param name="cancellationToken">Cancels the import (nothing is written).</param>
    /// <returns>What was written, or every refusal (and then nothing was written).</returns>
    ValueTask<ImportResult> ImportCustomersAsync(IReadOnlyList<CustomerProfile> customers, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates a customer or replaces its profile facts (stage, language, time zone, contact points, preferences,
    /// service flags, attributes). The consent ledger and contact history of <paramref name="profile"/> are ignored:
    /// use <see cref="AppendConsentAsync"/> and <see cref="RecordAsync"/>.
    /// </summary>
    /// <param name="profile">The profile.</param>
    /// <param name="expectedVersion">The version the change was based on, or <see langword="null"/> to write whatever the version is (0 creates only a new customer).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns><see cref="WriteStatus.Written"/> with the new version, <see cref="WriteStatus.Conflict"/>, or <see cref="WriteStatus.Refused"/> (a suppressed contact point) with the reason.</returns>
    ValueTask<WriteResult> SaveProfileAsync(CustomerProfile profile, long? expectedVersion = null, CancellationToken cancellationToken = default);

    /// <summary>Appends consent evidence to a customer's ledger. Records are never changed or removed afterwards (erasure aside).</summary>
    /// <param name="customerId">The customer's id.</param>
    /// <param name="records">The records, in the order they happened.</param>
    /// <param name="expectedVersion">The version the change was based on, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The outcome and the new version; <see cref="WriteStatus.NotFound"/> when the customer is unknown.</returns>
    ValueTask<WriteResult> AppendConsentAsync(string customerId, IReadOnlyList<ConsentRecord> records, long? expectedVersion = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records a batch of sends in one transaction: per customer, new delivery log entries (state
    /// <see cref="DeliveryState.Pending"/>) each with its contact history record, new scheduled sends and completions
    /// of scheduled sends; then marks <see cref="SendBatch.Delivered"/> keys delivered and removes the
    /// <see cref="SendBatch.Failed"/> ones, and saves <see cref="SendBatch.Run"/> when given. A key the store already holds is not written again and is reported in
    /// <see cref="CustomerSendsResult.AlreadyRecorded"/>.
    /// </summary>
    /// <param name="batch">The batch.</param>
    /// <param name="cancellationToken">Cancels the write (nothing is written).</param>
    /// <returns>One result per <see cref="SendBatch.Customers"/> entry, in the same order.</returns>
    ValueTask<SendBatchResult> RecordAsync(SendBatch batch, CancellationToken cancellationToken = default);

    /// <summary>Reads one delivery log entry.</summary>
    /// <param name="idempotencyKey">The key.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The entry, or <see langword="null"/>.</returns>
    ValueTask<DeliveryRecord?> FindDeliveryAsync(string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary>Reads one page of the delivery log, ordered by send instant then key.</summary>
    /// <param name="query">Filters, page size and where to continue.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The page.</returns>
    ValueTask<StorePage<DeliveryRecord>> ReadDeliveriesAsync(DeliveryQuery query, CancellationToken cancellationToken = default);

    /// <summary>Reads one page of scheduled sends, ordered by due instant then key.</summary>
    /// <param name="query">Filters (due by, customer, state), page size and where to continue.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The page.</returns>
    ValueTask<StorePage<ScheduledSend>> ReadScheduledSendsAsync(ScheduledSendQuery query, CancellationToken cancellationToken = default);

    /// <summary>Creates or replaces the record of a send run.</summary>
    /// <param name="run">The run.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the record is durable.</returns>
    ValueTask SaveRunAsync(RunRecord run, CancellationToken cancellationToken = default);

    /// <summary>Reads the record of a send run.</summary>
    /// <param name="runId">The run's id (see <see cref="RunRecord.CreateId"/>).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The record, or <see langword="null"/>.</returns>
    ValueTask<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Reads the pages a send run recorded (<see cref="SendBatch.RunPages"/>), ordered by first customer id: a few per thousand customers of the run.</summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The pages; empty for a run that recorded none.</returns>
    ValueTask<IReadOnlyList<RunPage>> ReadRunPagesAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Reads run records, the most recently started first.</summary>
    /// <param name="query">Filters and how many.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The records.</returns>
    ValueTask<IReadOnlyList<RunRecord>> ReadRunsAsync(RunQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Erases a customer (right to be forgotten): deletes the profile, attributes, consent evidence, contact history
    /// and scheduled sends; keeps the delivery log's keys without the customer id; puts a salted hash of each email,
    /// phone and device token on the suppression list with reason <see cref="SuppressionReasons.Erased"/>.
    /// </summary>
    /// <param name="customerId">The customer's id.</param>
    /// <param name="at">When the erasure was requested (recorded with the suppression entries).</param>
    /// <param name="cancellationToken">Cancels the erasure (nothing is deleted).</param>
    /// <returns>What was deleted; <see cref="ErasureResult.Found"/> is <see langword="false"/> when the store had no such customer.</returns>
    ValueTask<ErasureResult> EraseCustomerAsync(string customerId, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Adds contact points to the suppression list (hard bounces, complaints, manual blocks); one already listed keeps its first entry.</summary>
    /// <param name="requests">The contact points and reasons.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>How many entries were added.</returns>
    ValueTask<int> SuppressAsync(IReadOnlyList<SuppressionRequest> requests, CancellationToken cancellationToken = default);

    /// <summary>Looks a contact point up on the suppression list (by its salted hash; the list holds no addresses).</summary>
    /// <param name="kind">The kind: <see cref="ContactPointKind.Email"/>, <see cref="ContactPointKind.Phone"/> or <see cref="ContactPointKind.DeviceToken"/>.</param>
    /// <param name="value">The address, number or token.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The entry, or <see langword="null"/> when the contact point is not suppressed.</returns>
    ValueTask<SuppressionEntry?> FindSuppressionAsync(ContactPointKind kind, string value, CancellationToken cancellationToken = default);

    /// <summary>
    /// Claims a share of a send run's customers for a worker: a share nobody holds, or one whose holder's lease ran out
    /// (a takeover: <see cref="WorkClaim.Generation"/> grows, and the claim continues after the last customer the
    /// earlier holder reported). The first claim of a run splits its customers into shares of about
    /// <see cref="WorkRequest.ShareSize"/> (stores that do not split make one share). Claims of one share by several
    /// workers at once give it to one of them.
    /// </summary>
    /// <param name="request">The run, the worker, the lease and the share size.</param>
    /// <param name="cancellationToken">Cancels the claim.</param>
    /// <returns>The claim, or none with how many shares remain and when a held one may be free.</returns>
    ValueTask<WorkClaimResult> ClaimWorkAsync(WorkRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reports a worker's progress in its share: saves where it got to, adds its counts to the run's totals, marks the
    /// share completed when it is, and renews the lease (by the claim's lease duration). Refused when the share was
    /// taken over (the store's generation is not the claim's): nothing is saved, and the worker stops working on it.
    /// </summary>
    /// <param name="claim">The claim (as claimed or as last returned by this method).</param>
    /// <param name="report">Where the worker got to, whether the share is completed, and its counts since the last report.</param>
    /// <param name="cancellationToken">Cancels the report (nothing is saved).</param>
    /// <returns>The claim with its renewed lease, or <see langword="null"/> when the share is no longer the worker's.</returns>
    ValueTask<WorkClaim?> ReportWorkAsync(WorkClaim claim, WorkReport report, CancellationToken cancellationToken = default);

    /// <summary>Reads where a run split into shares is: how many shares, how many completed, and the totals its workers reported.</summary>
    /// <param name="runId">The run's id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The progress (<see cref="WorkProgress.Shares"/> is 0 when no worker claimed any share of the run).</returns>
    ValueTask<WorkProgress> ReadWorkAsync(string runId, CancellationToken cancellationToken = default);

    /// <summary>Tells which of the given event ids the store holds (events already applied: ingestion leaves them out).</summary>
    /// <param name="eventIds">The ids.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The ids the store holds.</returns>
    ValueTask<IReadOnlyCollection<string>> FindEventsAsync(IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads one page of double opt-in requests recorded at or after <see cref="PendingConsentQuery.Since"/> (grants
    /// with <see cref="OptInMethod.Double"/> and no confirmation), ordered by the instant recorded, then customer, from
    /// an index of such requests rather than by reading every customer: the preference center's sweep of confirmations
    /// a crash left unsent reads the requests of the confirmation window this way.
    /// </summary>
    /// <param name="query">The earliest instant, page size and where to continue.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The page: each request with its customer (a later confirmation or withdrawal does not remove it).</returns>
    ValueTask<StorePage<PendingConsent>> ReadPendingConsentsAsync(PendingConsentQuery query, CancellationToken cancellationToken = default);

    /// <summary>Reads one page of stored (applied) events, ordered by the instant they happened, then id.</summary>
    /// <param name="query">The customer, page size and where to continue.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The page.</returns>
    ValueTask<StorePage<CustomerEvent>> ReadEventsAsync(EventQuery query, CancellationToken cancellationToken = default);

    /// <summary>Reads one page of recorded stage and tier changes, ordered by instant, then customer.</summary>
    /// <param name="query">Filters, page size and where to continue.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The page.</returns>
    ValueTask<StorePage<CustomerChange>> ReadChangesAsync(ChangeQuery query, CancellationToken cancellationToken = default);

    /// <summary>Reads one page of journey instances, ordered by customer, journey and instance id.</summary>
    /// <param name="query">Filters (customer, journey, due by, active only), page size and where to continue.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The page.</returns>
    ValueTask<StorePage<JourneyInstance>> ReadJourneysAsync(JourneyQuery query, CancellationToken cancellationToken = default);
}
