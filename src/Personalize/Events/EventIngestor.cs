using Personalize.Storage;

namespace Personalize.Events;

/// <summary>
/// Ingests customer events into a store: checks each, leaves out the ones already applied (by id), updates the
/// customers' facts through <see cref="EventOptions.Mappings"/>, moves lifecycle stages by
/// <see cref="EventOptions.Lifecycle"/>, and writes each batch's events, facts and stage changes in one transaction
/// per batch (one customer's part all or nothing). To also decide and send what the events trigger, use
/// <see cref="Sending.SendRunner.IngestAsync"/>.
/// </summary>
/// <remarks>
/// Exactly once: an event is stored with the facts it changed in one transaction, and an id the store holds is
/// never applied again, also when the same file is ingested twice or after a crash. Out of order is safe: a fact is
/// only replaced by an event that happened later than the one that set it (see <see cref="FactEditor"/>). Another
/// writer to a customer meanwhile (a send, another ingester) makes the customer's part be read and applied again.
/// </remarks>
public sealed class EventIngestor
{
    private const int MaxConflictAttempts = 8;
    private readonly EventOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly int _maxRecordedErrors;

    /// <summary>Whether this ingestor writes the events of <see cref="Profiling.ProfilingAnswers"/> (which applied the answer already).</summary>
    private readonly bool _recordsAnswers;

    /// <summary>Creates an ingestor.</summary>
    /// <param name="options">Mappings, lifecycle rules and limits; the defaults when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock (the ingestion instant when none is given); the system clock when <see langword="null"/>.</param>
    public EventIngestor(EventOptions? options = null, TimeProvider? timeProvider = null)
        : this(options, timeProvider, 1000)
    {
    }

    internal EventIngestor(EventOptions? options, TimeProvider? timeProvider, int maxRecordedErrors, bool recordsAnswers = false)
    {
        _recordsAnswers = recordsAnswers;
        _options = options ?? new EventOptions();
        ArgumentNullException.ThrowIfNull(_options.Mappings, nameof(options));
        ArgumentNullException.ThrowIfNull(_options.Lifecycle, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.BatchSize, 1, nameof(options));
        if (_options.MaxBatchWait < TimeSpan.Zero && _options.MaxBatchWait != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.MaxBatchWait, "EventOptions.MaxBatchWait must be zero or more, or Timeout.InfiniteTimeSpan.");
        }
        _timeProvider = timeProvider ?? TimeProvider.System;
        _maxRecordedErrors = maxRecordedErrors;
    }

    /// <summary>The options.</summary>
    public EventOptions Options => _options;

    /// <summary>Ingests events (facts and stages; no messages).</summary>
    /// <param name="events">The events, in any order.</param>
    /// <param name="store">The store.</param>
    /// <param name="at">The ingestion instant (events later than it plus <see cref="EventOptions.MaxClockSkew"/> are rejected); the clock when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops after the batch in hand (what was written stays; ingest again to go on: applied events are skipped).</param>
    /// <returns>What was applied, left out and rejected.</returns>
    public Task<EventIngestionSummary> IngestAsync(IAsyncEnumerable<CustomerEvent> events, IPersonalizeStore store, DateTimeOffset? at = null, CancellationToken cancellationToken = default)
        => IngestAsync(events, store, at ?? _timeProvider.GetUtcNow(), null, cancellationToken);

    internal async Task<EventIngestionSummary> IngestAsync(IAsyncEnumerable<CustomerEvent> events, IPersonalizeStore store, DateTimeOffset at, IUpdateHandler? handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(store);
        var tally = new Tally(_maxRecordedErrors);
        var batch = new List<(long Index, CustomerEvent Event)>(Math.Min(_options.BatchSize, 16_384));
        long index = 0;
        long batchStarted = 0;
        var enumerator = events.GetAsyncEnumerator(cancellationToken);
        Task<bool>? pending = null;
        try
        {
            while (true)
            {
                var next = enumerator.MoveNextAsync();
                bool more;
                if (batch.Count > 0 && !next.IsCompleted)
                {
                    // The stream has nothing ready: a live stream may wait long for its next event, so the batch in hand
                    // is written once it has waited MaxBatchWait (a file or a fast stream fills its batches first).
                    var moved = pending = next.AsTask();
                    if (!await ArrivesInTimeAsync(moved, batchStarted).ConfigureAwait(false))
                    {
                        await ApplyBatchAsync(batch, store, at, handler, tally, cancellationToken).ConfigureAwait(false);
                        batch.Clear();
                    }

                    more = await moved.ConfigureAwait(false);
                    pending = null;
                }
                else
                {
                    more = await next.ConfigureAwait(false);
                }

                if (!more)
                {
                    break;
                }

                var e = enumerator.Current;
                var i = index++;
                tally.Received++;
                if (Check(e, at) is { } rejection)
                {
                    tally.Reject(new EventRejection(i, e?.Id, rejection.Code, rejection.Message));
                    continue;
                }

                var normalized = Normalize(e!);
                if (!_recordsAnswers && string.Equals(normalized.Type, Profiling.ProfilingAnswers.AnswerEventType, StringComparison.Ordinal))
                {
                    // An answer is more than a fact (consent evidence, a preference): it goes through the question bank, in stream order.
                    if (batch.Count > 0)
                    {
                        await ApplyBatchAsync(batch, store, at, handler, tally, cancellationToken).ConfigureAwait(false);
                        batch.Clear();
                    }

                    await AnswerAsync(i, normalized, store, tally, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (batch.Count == 0)
                {
                    batchStarted = _timeProvider.GetTimestamp();
                }

                batch.Add((i, normalized));
                if (batch.Count >= _options.BatchSize)
                {
                    await ApplyBatchAsync(batch, store, at, handler, tally, cancellationToken).ConfigureAwait(false);
                    batch.Clear();
                }
            }
        }
        finally
        {
            // A batch write that failed while the stream was producing its next event leaves the enumerator to its owner:
            // disposing it in the middle of a step is not allowed.
            if (pending is null || pending.IsCompleted)
            {
                await enumerator.DisposeAsync().ConfigureAwait(false);
            }
        }

        if (batch.Count > 0)
        {
            await ApplyBatchAsync(batch, store, at, handler, tally, cancellationToken).ConfigureAwait(false);
        }

        return tally.Summary(at);
    }

    /// <summary>Whether the stream's next event arrives before the batch in hand has waited <see cref="EventOptions.MaxBatchWait"/> (counted from its first event).</summary>
    private async Task<bool> ArrivesInTimeAsync(Task<bool> moved, long batchStarted)
    {
        if (_options.MaxBatchWait == Timeout.InfiniteTimeSpan)
        {
            return true;
        }

        var left = _options.MaxBatchWait - _timeProvider.GetElapsedTime(batchStarted);
        if (left <= TimeSpan.Zero)
        {
            return false;
        }

        using var stop = new CancellationTokenSource();
        var first = await Task.WhenAny(moved, Task.Delay(left, _timeProvider, stop.Token)).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        return first == moved;
    }

    /// <summary>Records a <c>preference_answered</c> event as an answer (<see cref="EventOptions.Questions"/>), or rejects it without them.</summary>
    private async Task AnswerAsync(long index, CustomerEvent e, IPersonalizeStore store, Tally tally, CancellationToken cancellationToken)
    {
        if (_options.Questions is not { } questions)
        {
            tally.Reject(new EventRejection(index, e.Id, EventCodes.AnswerWithoutQuestions, $"Event '{e.Id}' answers a profiling question, which grants consent and sets preferences, not only a fact: set EventOptions.Questions to the question bank, or record it with ProfilingAnswers.AnswerEventAsync."));
            return;
        }

        var answers = new Profiling.ProfilingAnswers(questions, store, _timeProvider, _options with { Questions = null });
        var result = await answers.AnswerEventAsync(e, cancellationToken).ConfigureAwait(false);
        switch (result.Code)
        {
            case Profiling.ProfilingCodes.Recorded:
                tally.Applied++;
                break;
            case Profiling.ProfilingCodes.AlreadyAnswered:
                tally.Duplicates++;
                break;
            default:
                tally.Reject(new EventRejection(index, e.Id, result.Code, $"Event '{e.Id}': {result.Message}"));
                break;
        }
    }

    /// <summary>Checks an event against the limits; null when it is fine.</summary>
    internal (string Code, string Message)? Check(CustomerEvent? e, DateTimeOffset at)
    {
        if (e is null)
        {
            return (EventCodes.InvalidJson, "The event is null.");
        }

        if (string.IsNullOrWhiteSpace(e.Id) || e.Id.Length > _options.MaxIdLength)
        {
            return (EventCodes.InvalidId, $"The event needs an id of 1 to {_options.MaxIdLength} characters (the same id twice is applied once).");
        }

        if (string.IsNullOrEmpty(e.Type) || !Consent.ConsentScope.TryNormalizeTopic(e.Type, out _))
        {
            return (EventCodes.InvalidType, $"Event '{e.Id}': the type '{e.Type}' is not an event type; use 1 to 64 letters, digits, '_', '-' or '.' (for example order_shipped).");
        }

        if (string.IsNullOrWhiteSpace(e.CustomerId))
        {
            return (EventCodes.MissingCustomer, $"Event '{e.Id}' names no customer; set its customer id.");
        }

        if (e.OccurredAt > at + _options.MaxClockSkew)
        {
            return (EventCodes.InFuture, $"Event '{e.Id}' happened at {Fact.Format(e.OccurredAt)}, after the ingestion instant {Fact.Format(at)}; check its time and zone.");
        }

        if (e.Data.ValueKind is not (System.Text.Json.JsonValueKind.Undefined or System.Text.Json.JsonValueKind.Null or System.Text.Json.JsonValueKind.Object))
        {
            return (EventCodes.DataNotObject, $"Event '{e.Id}': data must be a JSON object, not {e.Data.ValueKind.ToString().ToLowerInvariant()}.");
        }

        if (e.Data.ValueKind == System.Text.Json.JsonValueKind.Object && DataBytes(e.Data) > _options.MaxDataBytes)
        {
            return (EventCodes.DataTooLarge, $"Event '{e.Id}': data is larger than {_options.MaxDataBytes} bytes (EventOptions.MaxDataBytes); send a reference instead of the content.");
        }

        return null;
    }

    /// <summary>The size of an event's data in bytes of UTF-8 JSON, as it was read (without copying it where the runtime allows).</summary>
    private static int DataBytes(System.Text.Json.JsonElement data)
    {
#if NET9_0_OR_GREATER
        return System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(data).Length;
#else
        return System.Text.Encoding.UTF8.GetByteCount(data.GetRawText());
#endif
    }

    private static CustomerEvent Normalize(CustomerEvent e)
    {
        Consent.ConsentScope.TryNormalizeTopic(e.Type, out var type);
        return type == e.Type ? e : e with { Type = type };
    }

    private async Task ApplyBatchAsync(List<(long Index, CustomerEvent Event)> batch, IPersonalizeStore store, DateTimeOffset at, IUpdateHandler? handler, Tally tally, CancellationToken cancellationToken)
    {
        // The same id twice in the stream: the first one counts. Each customer's events in stream order.
        var seen = new HashSet<string>(batch.Count, StringComparer.Ordinal);
        var pending = new Dictionary<string, List<(long Index, CustomerEvent Event)>>(StringComparer.Ordinal);
        foreach (var item in batch)
        {
            if (!seen.Add(item.Event.Id))
            {
                tally.Duplicates++;
                continue;
            }

            if (!pending.TryGetValue(item.Event.CustomerId, out var items))
            {
                pending.Add(item.Event.CustomerId, items = new List<(long Index, CustomerEvent Event)>(2));
            }

            items.Add(item);
        }

        for (var attempt = 1; pending.Count > 0; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Ids the store holds are looked up before applying, except while this ingestion (facts only) has met none: the
            // store's write refuses a held id anyway (the customer's entry is a conflict, applied again after this lookup),
            // so a stream of new events skips a b-tree search per event, and a stream ingested again pays one batch twice.
            IReadOnlyCollection<string> known = handler is null && attempt == 1 && !tally.MetConflict
                ? []
                : await store.FindEventsAsync(pending.Values.SelectMany(static l => l).Select(static p => p.Event.Id).ToList(), cancellationToken).ConfigureAwait(false);
            var (customers, screened) = await ReadAsync(store, handler, pending.Keys.ToList(), cancellationToken).ConfigureAwait(false);
            var updates = new List<CustomerUpdate>(pending.Count);
            List<string>? whole = null;
            foreach (var (customerId, items) in pending)
            {
                if (known.Count > 0)
                {
                    tally.Duplicates += items.RemoveAll(p => known.Contains(p.Event.Id));
                }

                if (items.Count > 0 && Apply(customerId, items, customers.GetValueOrDefault(customerId), at, tally) is { } update)
                {
                    // A screened customer whose events change more than facts is read whole and applied again: the
                    // profile, consent evidence and contact points are written or read from the whole customer.
                    if (screened && update.OnlyStageChanged && store is IScreenReader { WritesStage: true })
                    {
                        // A new stage alone: the store writes it beside the facts, without the whole profile.
                        update.WritesStageOnly = true;
                        updates.Add(update);
                    }
                    else if (screened && (update.ProfileFieldsChanged || update.Suppressions.Count > 0 || update.Consents.Count > 0))
                    {
                        (whole ??= []).Add(customerId);
                    }
                    else
                    {
                        updates.Add(update);
                    }
                }
            }

            if (whole is not null)
            {
                var read = (await store.GetCustomersAsync(whole, cancellationToken).ConfigureAwait(false)).ToDictionary(static c => c.Id, StringComparer.Ordinal);
                foreach (var customerId in whole)
                {
                    if (Apply(customerId, pending[customerId], read.GetValueOrDefault(customerId), at, tally) is { } update)
                    {
                        updates.Add(update);
                    }
                }
            }

            // Suppressions and consent evidence go first, each written so that doing it again changes nothing: a crash
            // before the update is written leaves them in place, and ingesting again finds them there.
            var retry = new Dictionary<string, List<(long Index, CustomerEvent Event)>>(StringComparer.Ordinal);
            for (var u = updates.Count - 1; u >= 0; u--)
            {
                var update = updates[u];
                if (update.Suppressions.Count > 0)
                {
                    await store.SuppressAsync(update.Suppressions, cancellationToken).ConfigureAwait(false);
                }

                var missing = update.Consents.Where(r => !Holds(update.Stored.Profile.Consents, r)).ToList();
                if (missing.Count == 0)
                {
                    continue;
                }

                var appended = await store.AppendConsentAsync(update.Stored.Id, missing, update.Stored.Version, cancellationToken).ConfigureAwait(false);
                if (appended.Status == WriteStatus.Written)
                {
                    update.ExpectedVersion = appended.Version;
                    continue;
                }

                updates.RemoveAt(u);
                if (appended.Status == WriteStatus.Conflict && attempt < MaxConflictAttempts)
                {
                    tally.MetConflict = true;
                    retry[update.Stored.Id] = update.Events.Select((e, n) => (update.Indexes[n], e)).ToList();
                    continue;
                }

                for (var n = 0; n < update.Events.Count; n++)
                {
                    tally.Reject(new EventRejection(update.Indexes[n], update.Events[n].Id, appended.Status == WriteStatus.Conflict ? StoreConflictCode : EventCodes.UnknownCustomer, $"Event '{update.Events[n].Id}': its consent evidence could not be appended ({appended.Status}); ingest again."));
                }
            }

            var sends = new List<CustomerSends>(updates.Count);
            var plans = new object?[updates.Count];
            for (var u = 0; u < updates.Count; u++)
            {
                var write = updates[u].ToSends();
                if (handler is not null)
                {
                    (write, plans[u]) = handler.Plan(updates[u], write, cancellationToken);
                }

                sends.Add(write);
            }

            var result = sends.Count == 0
                ? new SendBatchResult([])
                : handler is not null
                    ? await handler.WriteAsync(store, sends, cancellationToken).ConfigureAwait(false)
                    : await store.RecordAsync(new SendBatch { Customers = sends }, cancellationToken).ConfigureAwait(false);
            for (var u = 0; u < updates.Count; u++)
            {
                var update = updates[u];
                var written = result.Customers[u];
                if (written.Status == WriteStatus.Written)
                {
                    tally.Applied += update.Events.Count;
                    tally.FactsChanged += update.FactChanges;
                    tally.StageChanges += update.Changes.Count(static c => c.Kind == ChangeKinds.Stage);
                    tally.TooOld += update.Events.Count(e => at - e.OccurredAt > _options.MaxTriggerAge);
                    if (handler is not null)
                    {
                        tally.Triggered += update.Triggers.Count;
                        await handler.WrittenAsync(update, written, plans[u], cancellationToken).ConfigureAwait(false);
                    }
                }
                else if (written.Status == WriteStatus.Conflict && attempt < MaxConflictAttempts)
                {
                    tally.MetConflict = true;
                    retry[update.Stored.Id] = update.Events.Select((e, n) => (update.Indexes[n], e)).ToList();
                }
                else
                {
                    var why = written.Status == WriteStatus.Conflict
                        ? $"the customer was written to by someone else {attempt} times while its events were applied; ingest again"
                        : "the customer is gone (erased meanwhile)";
                    for (var n = 0; n < update.Events.Count; n++)
                    {
                        tally.Reject(new EventRejection(update.Indexes[n], update.Events[n].Id, written.Status == WriteStatus.Conflict ? StoreConflictCode : EventCodes.UnknownCustomer, $"Event '{update.Events[n].Id}': {why}."));
                    }
                }
            }

            pending = retry;
        }
    }

    /// <summary>
    /// The customers of a batch: screening rows (facts, stage, pinned, zone; <see cref="IScreenReader"/>) when the store
    /// has them and nothing is decided (<paramref name="handler"/> is null), else whole customers. Returns whether they
    /// are screening rows.
    /// </summary>
    private static async Task<(Dictionary<string, StoredCustomer> Customers, bool Screened)> ReadAsync(IPersonalizeStore store, IUpdateHandler? handler, List<string> ids, CancellationToken cancellationToken)
    {
        if (handler is null && store is IScreenReader screens)
        {
            var rows = await screens.ReadScreensAsync(ids, cancellationToken).ConfigureAwait(false);
            var customers = new Dictionary<string, StoredCustomer>(rows.Count, StringComparer.Ordinal);
            List<string>? unreadable = null;
            foreach (var row in rows)
            {
                if (row.Screen is { } screen)
                {
                    customers[row.Id] = screen;
                }
                else
                {
                    (unreadable ??= []).Add(row.Id);
                }
            }

            if (unreadable is not null)
            {
                // A profile the screen could not read is read whole (and reported as the store reports it).
                foreach (var customer in await store.GetCustomersAsync(unreadable, cancellationToken).ConfigureAwait(false))
                {
                    customers[customer.Id] = customer;
                }
            }

            return (customers, true);
        }

        return ((await store.GetCustomersAsync(ids, cancellationToken).ConfigureAwait(false)).ToDictionary(static c => c.Id, StringComparer.Ordinal), false);
    }

    /// <summary>Applies a customer's events, or rejects them (no such customer, or a mapping failed); null when rejected.</summary>
    private CustomerUpdate? Apply(string customerId, List<(long Index, CustomerEvent Event)> items, StoredCustomer? stored, DateTimeOffset at, Tally tally)
    {
        if (stored is null)
        {
            foreach (var (i, e) in items)
            {
                tally.Reject(new EventRejection(i, e.Id, EventCodes.UnknownCustomer, $"Event '{e.Id}': the store has no customer '{customerId}'; import the customer before its events."));
            }

            return null;
        }

        try
        {
            return FactUpdater.Apply(stored, items, _options, at);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            foreach (var (i, e) in items)
            {
                tally.Reject(new EventRejection(i, e.Id, EventCodes.MappingFailed, $"Event '{e.Id}' of customer '{customerId}': applying the customer's events failed ({ex.GetType().Name}: {ex.Message}); nothing of them was written."));
            }

            return null;
        }
    }

    private const string StoreConflictCode = "store.conflict";

    /// <summary>Whether the ledger already holds the record (the same scope, action, source and instant to the millisecond, as every store keeps it).</summary>
    private static bool Holds(Consent.ConsentLedger ledger, Consent.ConsentRecord record)
    {
        foreach (var held in ledger.Records)
        {
            if (held.Scope == record.Scope && held.Action == record.Action && Equals(held.Source, record.Source)
                && (held.RecordedAt - record.RecordedAt).Duration() < TimeSpan.FromMilliseconds(1))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Counts what happened.</summary>
    private sealed class Tally(int maxRecorded)
    {
        private readonly List<EventRejection> _rejected = [];

        public long Received { get; set; }

        public long Applied { get; set; }

        public long Duplicates { get; set; }

        public long RejectedCount { get; private set; }

        public long FactsChanged { get; set; }

        public long StageChanges { get; set; }

        public long Triggered { get; set; }

        public long TooOld { get; set; }

        /// <summary>Gets or sets a value indicating whether a write of this ingestion was a conflict (a held event id or another writer): the ids are then looked up before applying.</summary>
        public bool MetConflict { get; set; }

        public void Reject(EventRejection rejection)
        {
            RejectedCount++;
            if (_rejected.Count < maxRecorded)
            {
                _rejected.Add(rejection);
            }
        }

        public EventIngestionSummary Summary(DateTimeOffset at) => new()
        {
            Received = Received,
            Applied = Applied,
            Duplicates = Duplicates,
            Rejected = _rejected.OrderBy(static r => r.Index).ToList(),
            RejectedCount = RejectedCount,
            FactsChanged = FactsChanged,
            StageChanges = StageChanges,
            Triggered = Triggered,
            TooOldToTrigger = TooOld,
            At = at,
        };
    }
}

/// <summary>What the send side adds to an ingestion or tick: decisions for an update's triggers, the write, and the hand-over after it.</summary>
internal interface IUpdateHandler
{
    /// <summary>Decides the update's triggers and adds the sends to its write; returns the write and what to hand over once it is written.</summary>
    (CustomerSends Write, object? Plan) Plan(CustomerUpdate update, CustomerSends write, CancellationToken cancellationToken);

    /// <summary>Writes a page (with the delivered marks of the previous one).</summary>
    Task<SendBatchResult> WriteAsync(IPersonalizeStore store, IReadOnlyList<CustomerSends> writes, CancellationToken cancellationToken);

    /// <summary>Hands over what a written update's plan holds.</summary>
    ValueTask WrittenAsync(CustomerUpdate update, CustomerSendsResult result, object? plan, CancellationToken cancellationToken);
}
