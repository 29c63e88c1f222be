using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Events;

namespace Personalize.Storage;

/// <summary>
/// A store in memory, for tests and small hosts: everything is lost when the process ends. One lock serialises
/// every call, which makes each call a transaction. It passes the same contract tests as the durable stores.
/// </summary>
public sealed partial class InMemoryPersonalizeStore : IPersonalizeStore
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Entry> _customers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DeliveryRecord> _deliveries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ScheduledSend> _scheduled = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RunRecord> _runs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SuppressionEntry> _suppressed = new(StringComparer.Ordinal);
    private readonly byte[] _salt;
    private readonly InProcessWork _work;
    private string[]? _sortedIds;

    /// <summary>Creates an empty store with a new random salt for the suppression list.</summary>
    public InMemoryPersonalizeStore()
        : this(ContactPointHash.CreateSalt())
    {
    }

    /// <summary>Creates an empty store with the given suppression salt.</summary>
    /// <param name="salt">The salt (at least 16 bytes).</param>
    public InMemoryPersonalizeStore(byte[] salt)
        : this(salt, TimeProvider.System)
    {
    }

    /// <summary>Creates an empty store with the given suppression salt and clock (work leases are measured by it).</summary>
    /// <param name="salt">The salt (at least 16 bytes).</param>
    /// <param name="timeProvider">The clock of work claim leases.</param>
    public InMemoryPersonalizeStore(byte[] salt, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(salt);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _work = new InProcessWork(timeProvider);
        if (salt.Length < 16)
        {
            throw new ArgumentException("The salt must be at least 16 bytes.", nameof(salt));
        }

        _salt = (byte[])salt.Clone();
    }

    /// <inheritdoc />
    public ValueTask<StoredCustomer?> GetCustomerAsync(string customerId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return new(_customers.TryGetValue(customerId, out var entry) ? entry.ToStored() : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredCustomer>> GetCustomersAsync(IReadOnlyCollection<string> customerIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(customerIds);
        cancellationToken.ThrowIfCancellationRequested();
        var found = new List<StoredCustomer>(customerIds.Count);
        lock (_gate)
        {
            foreach (var id in customerIds)
            {
                if (id is not null && _customers.TryGetValue(id, out var entry))
                {
                    found.Add(entry.ToStored());
                }
            }
        }

        return new(found);
    }

    /// <inheritdoc />
    public ValueTask<StorePage<StoredCustomer>> ReadCustomersAsync(CustomerQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var ids = _sortedIds ??= SortedIds();
            var start = 0;
            if (query.ContinueAfter is { } after)
            {
                start = Array.BinarySearch(ids, after, StringComparer.Ordinal);
                start = start >= 0 ? start + 1 : ~start;
            }

            var last = ids.Length;
            if (query.UpTo is { } upTo)
            {
                last = Array.BinarySearch(ids, upTo, StringComparer.Ordinal);
                last = last >= 0 ? last + 1 : ~last;
            }

            var end = Math.Max(start, Math.Min(last, start + query.Limit));
            var items = new StoredCustomer[end - start];
            for (var i = start; i < end; i++)
            {
                items[i - start] = _customers[ids[i]].ToStored(query.ExcludeHistoryOfRun is { } run ? key => _deliveries.TryGetValue(key, out var d) && d.RunId == run : null);
            }

            return new(new StorePage<StoredCustomer>(items, end < last && items.Length > 0 ? ids[end - 1] : null));
        }
    }

    /// <inheritdoc />
    public ValueTask<long> CountCustomersAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return new(_customers.Count);
        }
    }

    /// <inheritdoc />
    public ValueTask<ImportResult> ImportCustomersAsync(IReadOnlyList<CustomerProfile> customers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(customers);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var errors = new List<ImportError>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < customers.Count; i++)
            {
                var customer = customers[i];
                if (customer is null || string.IsNullOrEmpty(customer.Id))
                {
                    errors.Add(new ImportError(i, customer?.Id ?? string.Empty, "id", StoreCodes.InvalidId, "The customer has no id."));
                    continue;
                }

                if (!seen.Add(customer.Id))
                {
                    errors.Add(new ImportError(i, customer.Id, "id", StoreCodes.DuplicateId, $"Customer id '{customer.Id}' appears more than once in the import."));
                }

                if (StoreChecks.AttributeProblem(customer) is { } problem)
                {
                    errors.Add(new ImportError(i, customer.Id, problem.Field, problem.Code, problem.Message));
                }

                foreach (var (field, kind, value) in StoreChecks.SuppressibleContactPoints(customer.ContactPoints))
                {
                    if (_suppressed.TryGetValue(ContactPointHash.Compute(_salt, kind, value), out var entry))
                    {
                        errors.Add(new ImportError(i, customer.Id, field, StoreCodes.Suppressed(entry.Reason), StoreChecks.SuppressedMessage(kind, entry)));
                    }
                }
            }

            if (errors.Count > 0)
            {
                return new(new ImportResult { Errors = errors });
            }

            int created = 0, updated = 0, consents = 0, history = 0;
            foreach (var customer in customers)
            {
                if (_customers.TryGetValue(customer.Id, out var entry))
                {
                    updated++;
                    entry.Facts = StoreChecks.FactsOf(customer);
                }
                else
                {
                    created++;
                    entry = new Entry(StoreChecks.FactsOf(customer));
                    _customers.Add(customer.Id, entry);
                    _sortedIds = null;
                }

                foreach (var record in customer.Consents.Records)
                {
                    if (!entry.Consents.Contains(record))
                    {
                        entry.Consents.Add(record);
                        consents++;
                    }
                }

                foreach (var record in customer.History.Records)
                {
                    if (!entry.History.Exists(h => h.Record == record))
                    {
                        entry.History.Add(new HistoryRow(record, null));
                        history++;
                    }
                }

                entry.Version++;
            }

            return new(new ImportResult { Created = created, Updated = updated, ConsentRecordsAdded = consents, HistoryRecordsAdded = history });
        }
    }

    /// <inheritdoc />
    public ValueTask<WriteResult> SaveProfileAsync(CustomerProfile profile, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentException.ThrowIfNullOrEmpty(profile.Id, nameof(profile));
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _customers.TryGetValue(profile.Id, out var entry);
            var current = entry?.Version ?? 0;
            if (expectedVersion is { } expected && expected != current)
            {
                return new(new WriteResult(WriteStatus.Conflict, current));
            }

            if (StoreChecks.AttributeProblem(profile) is { } problem)
            {
                return new(new WriteResult(WriteStatus.Refused, current, problem.Field + ": " + problem.Message + " (" + problem.Code + ")"));
            }

            foreach (var (field, kind, value) in StoreChecks.SuppressibleContactPoints(profile.ContactPoints))
            {
                if (_suppressed.TryGetValue(ContactPointHash.Compute(_salt, kind, value), out var suppressed))
                {
                    return new(new WriteResult(WriteStatus.Refused, current, field + ": " + StoreChecks.SuppressedMessage(kind, suppressed)));
                }
            }

            if (entry is null)
            {
                entry = new Entry(StoreChecks.FactsOf(profile));
                _customers.Add(profile.Id, entry);
                _sortedIds = null;
            }
            else
            {
                entry.Facts = StoreChecks.FactsOf(profile);
            }

            entry.Version++;
            return new(new WriteResult(WriteStatus.Written, entry.Version));
        }
    }

    /// <inheritdoc />
    public ValueTask<WriteResult> AppendConsentAsync(string customerId, IReadOnlyList<ConsentRecord> records, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        ArgumentNullException.ThrowIfNull(records);
        StoreChecks.ThrowIfInvalid(records);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_customers.TryGetValue(customerId, out var entry))
            {
                return new(new WriteResult(WriteStatus.NotFound, 0));
            }

            if (expectedVersion is { } expected && expected != entry.Version)
            {
                return new(new WriteResult(WriteStatus.Conflict, entry.Version));
            }

            if (records.Count == 0)
            {
                return new(new WriteResult(WriteStatus.Written, entry.Version));
            }

            entry.Consents.AddRange(records);
            entry.Version++;
            return new(new WriteResult(WriteStatus.Written, entry.Version));
        }
    }

    /// <inheritdoc />
    public ValueTask<SendBatchResult> RecordAsync(SendBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        StoreChecks.ThrowIfInvalid(batch);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            // Check everything before changing anything: a bad completion throws with the store unchanged.
            foreach (var sends in batch.Customers)
            {
                if (!_customers.ContainsKey(sends.CustomerId))
                {
                    continue;
                }

                foreach (var completion in sends.Completions)
                {
                    if (!_scheduled.TryGetValue(completion.IdempotencyKey, out var scheduled) || scheduled.CustomerId != sends.CustomerId)
                    {
                        throw new ArgumentException($"Completion of '{completion.IdempotencyKey}': customer {sends.CustomerId} has no scheduled send with this key.", nameof(batch));
                    }
                }
            }

            var results = new CustomerSendsResult[batch.Customers.Count];
            var hashes = _suppressed.Count > 0 && SuppressionFilter.HasContactPoints(batch) ? SuppressionFilter.HashesOf(batch, _salt) : null;
            var refused = batch.RunPages.Count > 0 ? RecordRunPages(batch.RunPages) : null;
            for (var i = 0; i < results.Length; i++)
            {
                if (StoreChecks.InRefusedPage(refused, batch.Customers[i].CustomerId))
                {
                    var id = batch.Customers[i].CustomerId;
                    results[i] = _customers.TryGetValue(id, out var held)
                        ? new CustomerSendsResult(id, WriteStatus.Conflict, held.Version, [])
                        : new CustomerSendsResult(id, WriteStatus.NotFound, 0, []);
                    continue;
                }

                IReadOnlyList<string> suppressed = [];
                var sends = hashes is null ? batch.Customers[i] : SuppressionFilter.Apply(batch.Customers[i], hashes.Of(i), _suppressed.ContainsKey, out suppressed);
                results[i] = SuppressionFilter.RefusesAll(sends, suppressed) ? SuppressionFilter.Refused(sends, suppressed) : SuppressionFilter.With(Record(sends), suppressed);
            }

            foreach (var key in batch.Delivered)
            {
                if (_deliveries.TryGetValue(key, out var delivery) && delivery.State == DeliveryState.Pending)
                {
                    _deliveries[key] = delivery with { State = DeliveryState.Delivered };
                }
            }

            foreach (var failure in batch.Failed)
            {
                if (!_deliveries.Remove(failure.IdempotencyKey, out var delivery))
                {
                    continue;
                }

                if (delivery.CustomerId is { } customerId && _customers.TryGetValue(customerId, out var entry)
                    && entry.History.RemoveAll(h => h.Key == failure.IdempotencyKey) > 0)
                {
                    entry.Version++;
                }

                if (_scheduled.TryGetValue(failure.IdempotencyKey, out var scheduled))
                {
                    _scheduled[failure.IdempotencyKey] = scheduled with { State = ScheduledSendState.Dropped, Reason = failure.Reason };
                }
            }

            if (batch.Run is { } run)
            {
                KeepRun(run);
            }

            return new(new SendBatchResult(results));
        }
    }

    /// <inheritdoc />
    public ValueTask<DeliveryRecord?> FindDeliveryAsync(string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(idempotencyKey);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return new(_deliveries.TryGetValue(idempotencyKey, out var delivery) ? delivery : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<StorePage<DeliveryRecord>> ReadDeliveriesAsync(DeliveryQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return new(StoreCursor.PageByInstant(
                _deliveries.Values,
                d => (query.CustomerId is null || d.CustomerId == query.CustomerId)
                    && (query.State is null || d.State == query.State)
                    && (query.RunId is null || d.RunId == query.RunId),
                static d => d.SentAt,
                static d => d.IdempotencyKey,
                query.Limit,
                query.ContinueAfter));
        }
    }

    /// <inheritdoc />
    public ValueTask<StorePage<ScheduledSend>> ReadScheduledSendsAsync(ScheduledSendQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return new(StoreCursor.PageByInstant(
                _scheduled.Values,
                s => (query.CustomerId is null || s.CustomerId == query.CustomerId)
                    && (query.State is null || s.State == query.State)
                    && (query.DueBy is null || s.DueAt <= query.DueBy),
                static s => s.DueAt,
                static s => s.IdempotencyKey,
                query.Limit,
                query.ContinueAfter));
        }
    }

    /// <summary>Keeps a run record (under the gate); a run's key format is the one of its first record, never changed, so a resumed run's keys match.</summary>
    private void KeepRun(RunRecord run)
        => _runs[run.Id] = _runs.TryGetValue(run.Id, out var first) && first.KeyFormat != run.KeyFormat ? run with { KeyFormat = first.KeyFormat } : run;

    /// <inheritdoc />
    public ValueTask SaveRunAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentException.ThrowIfNullOrEmpty(run.Id, nameof(run));
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            KeepRun(run);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return new(_runs.TryGetValue(runId, out var run) ? run : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<RunRecord>> ReadRunsAsync(RunQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlyList<RunRecord> runs = _runs.Values
                .Where(r => (query.Trigger is null || r.Trigger == query.Trigger) && (query.Status is null || r.Status == query.Status))
                .OrderByDescending(r => r.StartedAt.UtcTicks)
                .ThenByDescending(r => r.Id, StringComparer.Ordinal)
                .Take(query.Limit)
                .ToList();
            return new(runs);
        }
    }

    /// <inheritdoc />
    public ValueTask<ErasureResult> EraseCustomerAsync(string customerId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (!_customers.Remove(customerId, out var entry))
            {
                return new(new ErasureResult { Found = false });
            }

            _sortedIds = null;
            ForgetRunPageBounds(customerId);
            ForgetEvents(customerId);
            ForgetJourneys(customerId);
            var scheduled = 0;
            foreach (var key in _scheduled.Where(p => p.Value.CustomerId == customerId).Select(p => p.Key).ToList())
            {
                _scheduled.Remove(key);
                scheduled++;
            }

            var anonymized = 0;
            foreach (var key in _deliveries.Where(p => p.Value.CustomerId == customerId).Select(p => p.Key).ToList())
            {
                _deliveries[key] = _deliveries[key] with { CustomerId = null };
                anonymized++;
            }

            var suppressed = 0;
            foreach (var (_, kind, value) in StoreChecks.SuppressibleContactPoints(entry.Facts.ContactPoints))
            {
                if (TryAddSuppression(kind, value, SuppressionReasons.Erased, at))
                {
                    suppressed++;
                }
            }

            return new(new ErasureResult
            {
                Found = true,
                ConsentRecords = entry.Consents.Count,
                HistoryRecords = entry.History.Count,
                ScheduledSends = scheduled,
                DeliveriesAnonymized = anonymized,
                ContactPointsSuppressed = suppressed,
            });
        }
    }

    /// <inheritdoc />
    public ValueTask<int> SuppressAsync(IReadOnlyList<SuppressionRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        StoreChecks.ThrowIfInvalid(requests);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var added = 0;
            foreach (var request in requests)
            {
                if (TryAddSuppression(request.Kind, request.Value, request.Reason, request.At))
                {
                    added++;
                }
            }

            return new(added);
        }
    }

    /// <inheritdoc />
    public ValueTask<SuppressionEntry?> FindSuppressionAsync(ContactPointKind kind, string value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        cancellationToken.ThrowIfCancellationRequested();
        if (!ContactPointHash.IsSupported(kind) || string.IsNullOrWhiteSpace(value))
        {
            return new((SuppressionEntry?)null);
        }

        lock (_gate)
        {
            return new(_suppressed.TryGetValue(ContactPointHash.Compute(_salt, kind, value), out var entry) ? entry : null);
        }
    }

    /// <inheritdoc />
    /// <remarks>One share per run covering every customer, claimed within this store (<see cref="WorkRequest.ShareSize"/> is ignored).</remarks>
    public ValueTask<WorkClaimResult> ClaimWorkAsync(WorkRequest request, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new(_work.Claim(request));
    }

    /// <inheritdoc />
    public ValueTask<WorkClaim?> ReportWorkAsync(WorkClaim claim, WorkReport report, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new(_work.Report(claim, report));
    }

    /// <inheritdoc />
    public ValueTask<WorkProgress> ReadWorkAsync(string runId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return new(_work.Read(runId));
    }

    private bool TryAddSuppression(ContactPointKind kind, string value, string reason, DateTimeOffset at)
    {
        var hash = ContactPointHash.Compute(_salt, kind, value);
        return _suppressed.TryAdd(hash, new SuppressionEntry(kind, hash, reason, at.ToUniversalTime()));
    }

    private CustomerSendsResult Record(CustomerSends sends)
    {
        if (!_customers.TryGetValue(sends.CustomerId, out var entry))
        {
            return new CustomerSendsResult(sends.CustomerId, WriteStatus.NotFound, 0, []);
        }

        if (sends.ExpectedVersion is { } expected && expected != entry.Version)
        {
            return new CustomerSendsResult(sends.CustomerId, WriteStatus.Conflict, entry.Version, []);
        }

        foreach (var @event in sends.Events)
        {
            if (_events.ContainsKey(@event.Id))
            {
                return new CustomerSendsResult(sends.CustomerId, WriteStatus.Conflict, entry.Version, []);
            }
        }

        List<string>? already = null;
        var historyAdded = ApplyEventWrites(sends, entry);
        historyAdded |= ApplyJourneyWrites(sends, ref already);
        foreach (var delivery in sends.Deliveries)
        {
            if (!_deliveries.TryAdd(delivery.IdempotencyKey, delivery))
            {
                (already ??= []).Add(delivery.IdempotencyKey);
                continue;
            }

            entry.History.Add(new HistoryRow(delivery.ToContactRecord(), delivery.IdempotencyKey));
            historyAdded = true;
        }

        foreach (var scheduled in sends.Scheduled)
        {
            if (_deliveries.ContainsKey(scheduled.IdempotencyKey) || !_scheduled.TryAdd(scheduled.IdempotencyKey, scheduled with { State = ScheduledSendState.Scheduled, Reason = null, CompletedAt = null }))
            {
                (already ??= []).Add(scheduled.IdempotencyKey);
            }
        }

        foreach (var completion in sends.Completions)
        {
            var scheduled = _scheduled[completion.IdempotencyKey];
            if (scheduled.State != ScheduledSendState.Scheduled)
            {
                (already ??= []).Add(completion.IdempotencyKey);
                continue;
            }

            _scheduled[completion.IdempotencyKey] = completion.State == ScheduledSendState.Scheduled
                ? scheduled with { DueAt = completion.DueAt!.Value }
                : scheduled with { State = completion.State, Reason = completion.Reason, CompletedAt = completion.At };
        }

        if (historyAdded)
        {
            entry.Version++;
        }

        return new CustomerSendsResult(sends.CustomerId, WriteStatus.Written, entry.Version, already ?? (IReadOnlyList<string>)[]);
    }

    private string[] SortedIds()
    {
        var ids = _customers.Keys.ToArray();
        Array.Sort(ids, StringComparer.Ordinal);
        return ids;
    }

    private sealed record HistoryRow(ContactRecord Record, string? Key);

    private sealed class Entry(CustomerProfile facts)
    {
        public CustomerProfile Facts { get; set; } = facts;

        public long Version { get; set; }

        public CustomerFacts EventFacts { get; set; } = CustomerFacts.Empty;

        public List<ConsentRecord> Consents { get; } = [];

        public List<HistoryRow> History { get; } = [];

        public StoredCustomer ToStored(Func<string, bool>? leaveOut = null) => new(
            Facts with
            {
                Facts = EventFacts,
                Consents = Consents.Count == 0 ? ConsentLedger.Empty : new ConsentLedger(Consents),
                History = History.Count == 0 ? ContactHistory.Empty : new ContactHistory(History.Where(h => leaveOut is null || h.Key is null || !leaveOut(h.Key)).Select(h => h.Record)),
            },
            Version);
    }
}
