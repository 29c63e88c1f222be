using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using Personalize.Channels;
using Personalize.Storage;

namespace Personalize.Sqlite;

public sealed partial class SqlitePersonalizeStore
{
    private const int DeliveredChunk = 50;
    private static readonly string[] DeliveredChunkParameters = [.. Enumerable.Range(0, DeliveredChunk).Select(static i => "$k" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
    private static readonly string MarkDeliveredChunk = "UPDATE delivery_log SET state = 1 WHERE state = 0 AND idempotency_key IN (" + string.Join(", ", DeliveredChunkParameters) + ")";

    /// <inheritdoc />
    public ValueTask<SendBatchResult> RecordAsync(SendBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        StoreChecks.ThrowIfInvalid(batch);
        cancellationToken.ThrowIfCancellationRequested();
        return WriteAsync(transaction =>
        {
            // The suppression list as it is now, in this transaction: a contact point listed since the decision refuses its delivery.
            var hashes = SuppressionFilter.HasContactPoints(batch) && HasSuppressions(transaction) ? SuppressionFilter.HashesOf(batch, _salt) : null;
            var listed = hashes is null ? null : ListedHashes(transaction, hashes.Distinct);
            var results = new CustomerSendsResult[batch.Customers.Count];
            var refused = batch.RunPages.Count > 0 ? RecordRunPages(transaction, batch.RunPages) : null;
            for (var i = 0; i < results.Length; i++)
            {
                var sends = batch.Customers[i];
                if (StoreChecks.InRefusedPage(refused, sends.CustomerId))
                {
                    results[i] = VersionOf(transaction, sends.CustomerId) is { } current
                        ? new CustomerSendsResult(sends.CustomerId, WriteStatus.Conflict, current, [])
                        : new CustomerSendsResult(sends.CustomerId, WriteStatus.NotFound, 0, []);
                    continue;
                }

                IReadOnlyList<string> suppressed = [];
                if (listed is { Count: > 0 })
                {
                    sends = SuppressionFilter.Apply(sends, hashes!.Of(i), listed.Contains, out suppressed);
                }

                results[i] = SuppressionFilter.RefusesAll(sends, suppressed) ? SuppressionFilter.Refused(sends, suppressed) : SuppressionFilter.With(Record(transaction, sends), suppressed);
            }

            MarkDelivered(batch.Delivered);

            foreach (var failure in batch.Failed)
            {
                Fail(transaction, failure);
            }

            if (batch.Run is { } run)
            {
                SaveRun(transaction, run);
            }

            return new SendBatchResult(results);
        }, cancellationToken, customersChecked: IngestionOnly(batch) || SendsOnly(batch));
    }

    /// <summary>
    /// Whether a batch writes only what a send run or due pass writes (delivery log entries, history, scheduled sends
    /// and their completions, delivered marks, failures, the run): each customer's entry updates or reads its
    /// customer's row (the version check of <see cref="RecordSends"/> or <see cref="Record"/>) before it inserts
    /// anything that refers to it and inserts nothing when the customer is gone, and the marks and failures only update
    /// or delete rows that refer to a customer, so the write needs no foreign key check per row (two searches of the
    /// customers' key per message: the delivery log entry's and the history record's). Facts (the asks of the messages'
    /// questions) are a column of the customer's row, written by the same update. Batches with events, profiles,
    /// consent records, changes or journey instances keep the checks (<see cref="IngestionOnly"/> covers events).
    /// </summary>
    private static bool SendsOnly(SendBatch batch)
    {
        foreach (var sends in batch.Customers)
        {
            if (sends.Events.Count > 0 || sends.Profile is not null || sends.Consents.Count > 0 || sends.Changes.Count > 0 || sends.Journeys.Count > 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether a batch writes only what event ingestion writes (events, facts, a stage, changes, a profile): each such
    /// entry reads or updates its customer's row (the version check) before it inserts anything that refers to it, and
    /// an entry whose customer is gone is undone and reported not found, so the write needs no foreign key check per event.
    /// </summary>
    private static bool IngestionOnly(SendBatch batch)
    {
        if (batch.Delivered.Count > 0 || batch.Failed.Count > 0 || batch.Run is not null)
        {
            return false;
        }

        foreach (var sends in batch.Customers)
        {
            if (sends.Deliveries.Count > 0 || sends.Scheduled.Count > 0 || sends.Completions.Count > 0 || sends.Journeys.Count > 0 || sends.Consents.Count > 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public ValueTask<DeliveryRecord?> FindDeliveryAsync(string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(idempotencyKey);
        cancellationToken.ThrowIfCancellationRequested();
        using var reader = OpenReader();
        using var command = reader.Command($"SELECT {StoreRows.DeliveryColumns} FROM delivery_log WHERE idempotency_key = $key");
        command.Parameters.AddWithValue("$key", idempotencyKey);
        using var data = command.ExecuteReader();
        return new(data.Read() ? StoreRows.ReadDelivery(data) : null);
    }

    /// <inheritdoc />
    public ValueTask<StorePage<DeliveryRecord>> ReadDeliveriesAsync(DeliveryQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        cancellationToken.ThrowIfCancellationRequested();
        var after = StoreCursor.Parse(query.ContinueAfter);
        var sql = new StringBuilder($"SELECT {StoreRows.DeliveryColumns} FROM delivery_log WHERE 1 = 1");
        if (query.CustomerId is not null)
        {
            sql.Append(" AND customer_id = $customer");
        }

        if (query.State is { } state)
        {
            // The pending index covers (sent_at, idempotency_key) WHERE state = 0: say it literally so it is used.
            sql.Append(state == DeliveryState.Pending ? " AND state = 0" : " AND state = 1");
        }

        if (query.RunId is not null)
        {
            sql.Append(" AND run_id = $run");
        }

        if (after is not null)
        {
            sql.Append(" AND (sent_at > $afterTicks OR (sent_at = $afterTicks AND idempotency_key > $afterKey))");
        }

        sql.Append(" ORDER BY sent_at, idempotency_key LIMIT $limit");
        using var reader = OpenReader();
        using var command = reader.Command(sql.ToString());
        AddFilters(command, query.CustomerId, query.RunId, after, query.Limit);
        var rows = new List<DeliveryRecord>();
        using (var data = command.ExecuteReader())
        {
            while (data.Read())
            {
                rows.Add(StoreRows.ReadDelivery(data));
            }
        }

        return new(StoreCursor.Page(rows, query.Limit, static d => StoreCursor.Format(d.SentAt, d.IdempotencyKey)));
    }

    /// <inheritdoc />
    public ValueTask<StorePage<ScheduledSend>> ReadScheduledSendsAsync(ScheduledSendQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        cancellationToken.ThrowIfCancellationRequested();
        var after = StoreCursor.Parse(query.ContinueAfter);
        var sql = new StringBuilder($"SELECT {StoreRows.ScheduledColumns} FROM scheduled_sends WHERE 1 = 1");
        if (query.State is { } state)
        {
            sql.Append(" AND state = ").Append((int)state);
        }

        if (query.CustomerId is not null)
        {
            sql.Append(" AND customer_id = $customer");
        }

        if (query.DueBy is not null)
        {
            sql.Append(" AND due_at <= $dueBy");
        }

        if (after is not null)
        {
            sql.Append(" AND (due_at > $afterTicks OR (due_at = $afterTicks AND idempotency_key > $afterKey))");
        }

        sql.Append(" ORDER BY due_at, idempotency_key LIMIT $limit");
        using var reader = OpenReader();
        using var command = reader.Command(sql.ToString());
        AddFilters(command, query.CustomerId, null, after, query.Limit);
        if (query.DueBy is { } dueBy)
        {
            command.Parameters.AddWithValue("$dueBy", dueBy.UtcTicks);
        }

        var rows = new List<ScheduledSend>();
        using (var data = command.ExecuteReader())
        {
            while (data.Read())
            {
                rows.Add(StoreRows.ReadScheduled(data));
            }
        }

        return new(StoreCursor.Page(rows, query.Limit, static s => StoreCursor.Format(s.DueAt, s.IdempotencyKey)));
    }

    /// <inheritdoc />
    public ValueTask SaveRunAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentException.ThrowIfNullOrEmpty(run.Id, nameof(run));
        cancellationToken.ThrowIfCancellationRequested();
        return new(WriteAsync(transaction =>
        {
            SaveRun(transaction, run);
            return true;
        }, cancellationToken).AsTask());
    }

    private void SaveRun(SqliteTransaction transaction, RunRecord run)
    {
        // A run's key format is the one of its first record (never updated): a resumed run's keys match what it recorded.
        var command = Writer(
            $"INSERT INTO runs ({StoreRows.RunColumns}) VALUES ($id, $trigger, $at, $status, $started, $updated, $processed, $sent, $scheduled, $already, $errors, $keyFormat)"
            + " ON CONFLICT (id) DO UPDATE SET trigger = excluded.trigger, at = excluded.at, status = excluded.status, started_at = excluded.started_at, updated_at = excluded.updated_at,"
            + " processed = excluded.processed, sent = excluded.sent, scheduled = excluded.scheduled, already_sent = excluded.already_sent, errors = excluded.errors",
            transaction);
        command.Parameters.AddWithValue("$id", run.Id);
        command.Parameters.AddWithValue("$trigger", run.Trigger);
        command.Parameters.AddWithValue("$at", run.At.UtcTicks);
        command.Parameters.AddWithValue("$status", (int)run.Status);
        command.Parameters.AddWithValue("$started", run.StartedAt.UtcTicks);
        command.Parameters.AddWithValue("$updated", run.UpdatedAt.UtcTicks);
        command.Parameters.AddWithValue("$processed", run.Processed);
        command.Parameters.AddWithValue("$sent", run.Sent);
        command.Parameters.AddWithValue("$scheduled", run.Scheduled);
        command.Parameters.AddWithValue("$already", run.AlreadySent);
        command.Parameters.AddWithValue("$errors", run.Errors);
        command.Parameters.AddWithValue("$keyFormat", (int)run.KeyFormat);
        command.ExecuteNonQuery();
    }

    /// <summary>Records a batch's run pages (in the write's transaction, before its customers); returns the ones refused because they overlap a page the run holds.</summary>
    private List<RunPage>? RecordRunPages(SqliteTransaction transaction, IReadOnlyList<RunPage> pages)
    {
        List<RunPage>? refused = null;
        foreach (var page in pages)
        {
            // A run's pages never overlap, so the last one starting at or before this page's last customer is the only
            // one that can overlap it.
            var command = Writer("SELECT first_customer, last_customer, tag FROM run_pages WHERE run_id = $run AND first_customer <= $last ORDER BY first_customer DESC LIMIT 1", transaction);
            command.Parameters.AddWithValue("$run", page.RunId);
            command.Parameters.AddWithValue("$last", page.LastCustomerId);
            RunPage? held = null;
            using (var data = command.ExecuteReader())
            {
                if (data.Read())
                {
                    held = new RunPage { RunId = page.RunId, FirstCustomerId = data.GetString(0), LastCustomerId = data.GetString(1), Tag = data.GetString(2) };
                }
            }

            if (!StoreChecks.InsertsRunPage(page, held, ref refused))
            {
                continue;
            }

            command = Writer("INSERT INTO run_pages (run_id, first_customer, last_customer, tag) VALUES ($run, $first, $last, $tag)", transaction);
            command.Parameters.AddWithValue("$run", page.RunId);
            command.Parameters.AddWithValue("$first", page.FirstCustomerId);
            command.Parameters.AddWithValue("$last", page.LastCustomerId);
            command.Parameters.AddWithValue("$tag", page.Tag);
            command.ExecuteNonQuery();
        }

        return refused;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<RunPage>> ReadRunPagesAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        cancellationToken.ThrowIfCancellationRequested();
        using var reader = OpenReader();
        using var command = reader.Command("SELECT first_customer, last_customer, tag FROM run_pages WHERE run_id = $run ORDER BY first_customer");
        command.Parameters.AddWithValue("$run", runId);
        var pages = new List<RunPage>();
        using var data = command.ExecuteReader();
        while (data.Read())
        {
            pages.Add(new RunPage { RunId = runId, FirstCustomerId = data.GetString(0), LastCustomerId = data.GetString(1), Tag = data.GetString(2) });
        }

        return new(pages);
    }

    /// <inheritdoc />
    public ValueTask<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        cancellationToken.ThrowIfCancellationRequested();
        using var reader = OpenReader();
        using var command = reader.Command($"SELECT {StoreRows.RunColumns} FROM runs WHERE id = $id");
        command.Parameters.AddWithValue("$id", runId);
        using var data = command.ExecuteReader();
        return new(data.Read() ? StoreRows.ReadRun(data) : null);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<RunRecord>> ReadRunsAsync(RunQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        cancellationToken.ThrowIfCancellationRequested();
        var sql = new StringBuilder($"SELECT {StoreRows.RunColumns} FROM runs WHERE 1 = 1");
        if (query.Trigger is not null)
        {
            sql.Append(" AND trigger = $trigger");
        }

        if (query.Status is { } status)
        {
            sql.Append(" AND status = ").Append((int)status);
        }

        sql.Append(" ORDER BY started_at DESC, id DESC LIMIT $limit");
        using var reader = OpenReader();
        using var command = reader.Command(sql.ToString());
        if (query.Trigger is not null)
        {
            command.Parameters.AddWithValue("$trigger", query.Trigger);
        }

        command.Parameters.AddWithValue("$limit", query.Limit);
        var runs = new List<RunRecord>();
        using var data = command.ExecuteReader();
        while (data.Read())
        {
            runs.Add(StoreRows.ReadRun(data));
        }

        return new(runs);
    }

    /// <inheritdoc />
    public ValueTask<ErasureResult> EraseCustomerAsync(string customerId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        cancellationToken.ThrowIfCancellationRequested();
        return WriteAsync(transaction =>
        {
            var command = Writer("SELECT profile FROM customer_profiles WHERE id = $id", transaction);
            command.Parameters.AddWithValue("$id", customerId);
            if (command.ExecuteScalar() is not byte[] facts)
            {
                return new ErasureResult { Found = false };
            }

            var points = _json.TryReadCustomer(facts, out var profile, out _) ? profile.ContactPoints : Customers.ContactPoints.None;
            var consents = Count(transaction, "SELECT COUNT(*) FROM consent_records WHERE customer_id = $id", customerId);
            var history = Count(transaction, "SELECT COUNT(*) FROM contact_history WHERE customer_id = $id", customerId);
            var scheduled = Count(transaction, "SELECT COUNT(*) FROM scheduled_sends WHERE customer_id = $id", customerId);
            command = Writer("UPDATE delivery_log SET customer_id = NULL WHERE customer_id = $id", transaction);
            command.Parameters.AddWithValue("$id", customerId);
            var anonymized = command.ExecuteNonQuery();

            // Each entry that named the customer was one of their history records (ADR 0083).
            history += anonymized;

            // Consent records, history and scheduled sends go with the customer (ON DELETE CASCADE).
            command = Writer("DELETE FROM customers WHERE id = $id", transaction);
            command.Parameters.AddWithValue("$id", customerId);
            command.ExecuteNonQuery();

            // No run page keeps the erased id as a bound: it moves to the nearest remaining customer of the page (the
            // page still covers every customer whose keys it tagged), and a page left without customers goes.
            command = Writer(
                "DELETE FROM run_pages WHERE (first_customer = $id OR last_customer = $id) AND NOT EXISTS (SELECT 1 FROM customers c WHERE c.id >= run_pages.first_customer AND c.id <= run_pages.last_customer);"
                + " UPDATE run_pages SET first_customer = (SELECT min(c.id) FROM customers c WHERE c.id > run_pages.first_customer AND c.id <= run_pages.last_customer) WHERE first_customer = $id;"
                + " UPDATE run_pages SET last_customer = (SELECT max(c.id) FROM customers c WHERE c.id < run_pages.last_customer AND c.id >= run_pages.first_customer) WHERE last_customer = $id;",
                transaction);
            command.Parameters.AddWithValue("$id", customerId);
            command.ExecuteNonQuery();
            var suppressed = 0;
            foreach (var (_, kind, value) in StoreChecks.SuppressibleContactPoints(points))
            {
                suppressed += AddSuppression(transaction, kind, value, SuppressionReasons.Erased, at);
            }

            return new ErasureResult
            {
                Found = true,
                ConsentRecords = consents,
                HistoryRecords = history,
                ScheduledSends = scheduled,
                DeliveriesAnonymized = anonymized,
                ContactPointsSuppressed = suppressed,
            };
        }, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<int> SuppressAsync(IReadOnlyList<SuppressionRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        StoreChecks.ThrowIfInvalid(requests);
        cancellationToken.ThrowIfCancellationRequested();
        return WriteAsync(transaction => requests.Sum(r => AddSuppression(transaction, r.Kind, r.Value, r.Reason, r.At)), cancellationToken);
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

        using var reader = OpenReader();
        using var command = reader.Command($"SELECT {StoreRows.SuppressionColumns} FROM suppression WHERE hash = $hash");
        command.Parameters.AddWithValue("$hash", ContactPointHash.Compute(_salt, kind, value));
        using var data = command.ExecuteReader();
        return new(data.Read() ? StoreRows.ReadSuppression(data) : null);
    }

    private static void AddFilters(SqliteCommand command, string? customerId, string? runId, (long Ticks, string Key)? after, int limit)
    {
        if (customerId is not null)
        {
            command.Parameters.AddWithValue("$customer", customerId);
        }

        if (runId is not null)
        {
            command.Parameters.AddWithValue("$run", runId);
        }

        if (after is { } cursor)
        {
            command.Parameters.AddWithValue("$afterTicks", cursor.Ticks);
            command.Parameters.AddWithValue("$afterKey", cursor.Key);
        }

        command.Parameters.AddWithValue("$limit", limit + 1);
    }

    /// <summary>At most how many recorded-pending entries <see cref="_pendingRows"/> holds before it starts again empty.</summary>
    /// <remarks>Settable by the tests only (a small limit shows the restart without recording tens of thousands of entries).</remarks>
    internal int MaxPendingRows { get; set; } = 65_536;

    /// <summary>
    /// The row ids of the delivery log entries this store's writer recorded as pending and has not seen marked or failed
    /// yet (a send run marks them with its next write): a mark then finds its row by row id, not by a search of the key's
    /// index. Only used under the write gate. A row id from a write that was rolled back, or of a row deleted since, can
    /// be stale: the mark checks the key on the row and falls back to the key when no row matched.
    /// </summary>
    private readonly Dictionary<string, long> _pendingRows = new(StringComparer.Ordinal);

    /// <summary>Remembers the row id of a delivery log entry just inserted as pending (<see cref="_pendingRows"/>).</summary>
    private void RememberPendingRow(DeliveryRecord delivery)
    {
        if (delivery.State != DeliveryState.Pending)
        {
            return;
        }

        // Full: start again empty. Entries that are never marked (a host that records pending and marks elsewhere,
        // or never) would otherwise fill it for good, and every later mark would search the key's index. An entry
        // dropped here, stale or live, is marked by its key like any entry this writer did not record: correct, only
        // slower for the live ones, and the next 65,536 entries are remembered again.
        if (_pendingRows.Count >= MaxPendingRows)
        {
            _pendingRows.Clear();
        }

        _pendingRows[delivery.IdempotencyKey] = raw.sqlite3_last_insert_rowid(_writer.Handle);
    }

    /// <summary>
    /// Marks keys delivered: a key whose row id this writer remembers (<see cref="_pendingRows"/>) by row id; the others
    /// <see cref="DeliveredChunk"/> keys per statement, the rest one by one (prepared statements all).
    /// </summary>
    private void MarkDelivered(IReadOnlyList<string> keys)
    {
        if (_pendingRows.Count > 0)
        {
            keys = MarkDeliveredByRow(keys);
        }

        var i = 0;
        if (keys.Count >= DeliveredChunk)
        {
            var chunk = Statement(MarkDeliveredChunk);
            for (; i + DeliveredChunk <= keys.Count; i += DeliveredChunk)
            {
                for (var k = 0; k < DeliveredChunk; k++)
                {
                    BindText(chunk, k + 1, keys[i + k]);
                }

                Step(chunk);
            }
        }

        if (i < keys.Count)
        {
            var one = Statement("UPDATE delivery_log SET state = 1 WHERE idempotency_key = $key AND state = 0");
            for (; i < keys.Count; i++)
            {
                BindText(one, 1, keys[i]);
                Step(one);
            }
        }
    }

    /// <summary>How many recorded-pending entries this writer remembers by row id (tests: the remembering keeps working however many entries are never marked).</summary>
    internal int RememberedPendingRows
    {
        get
        {
            _writeGate.Wait();
            try
            {
                return _pendingRows.Count;
            }
            finally
            {
                _writeGate.Release();
            }
        }
    }

    /// <summary>Marks by row id the keys whose rows this writer remembers; returns the keys left to mark by key.</summary>
    private IReadOnlyList<string> MarkDeliveredByRow(IReadOnlyList<string> keys)
    {
        List<string>? rest = null;
        var byRow = Statement(ref _markByRow, "UPDATE delivery_log SET state = 1 WHERE rowid = $row AND idempotency_key = $key AND state = 0");
        foreach (var key in keys)
        {
            if (_pendingRows.Remove(key, out var row))
            {
                BindInt64(byRow, 1, row);
                BindText(byRow, 2, key);
                if (Step(byRow) > 0)
                {
                    continue;
                }
            }

            // Not remembered, or the row id is stale (the row was not there or was already delivered): by key.
            (rest ??= new List<string>(keys.Count)).Add(key);
        }

        return (IReadOnlyList<string>?)rest ?? [];
    }

    /// <summary>
    /// The common case of a send run, in as few statements as it can: a customer with messages to record, the version
    /// its decision read, and no events or journeys. The version check and the version bump are one statement (which also takes
    /// the row for the transaction); then each delivery log entry, which is also its contact history record (ADR 0083). Both are the writer's
    /// own prepared statements (<see cref="Statement(ref sqlite3_stmt?, string)"/>), bound by position.
    /// </summary>
    private CustomerSendsResult? RecordSends(SqliteTransaction transaction, CustomerSends sends)
    {
        if (sends.ExpectedVersion is not { } expected || sends.Deliveries.Count == 0 || sends.Events.Count > 0 || sends.Profile is not null || sends.Consents.Count > 0 || (sends.Stage is not null && sends.HasFacts) || sends.Changes.Count > 0)
        {
            return null;
        }

        // The facts a send writes (the asks of its messages' questions) go with the version bump: one rewrite of the row.
        var facts = sends.Facts;
        sqlite3_stmt bump;
        if (facts is null)
        {
            bump = Statement(ref _bumpVersion, "UPDATE customers SET version = version + 1 WHERE id = $id AND version = $expected");
            BindText(bump, 1, sends.CustomerId);
            BindInt64(bump, 2, expected);
        }
        else
        {
            bump = Statement(ref _bumpWithFacts, WriteFactsSql);
            BindText(bump, 1, sends.CustomerId);
            BindFacts(bump, 2, facts);
            BindInt64(bump, 3, expected);
        }

        if (Step(bump) == 0)
        {
            return VersionOf(transaction, sends.CustomerId) is { } current
                ? new CustomerSendsResult(sends.CustomerId, WriteStatus.Conflict, current, [])
                : new CustomerSendsResult(sends.CustomerId, WriteStatus.NotFound, 0, []);
        }

        List<string>? already = null;
        var added = false;
        var insert = Statement(ref _insertDelivery, SqliteRows.InsertDelivery);
        foreach (var delivery in sends.Deliveries)
        {
            BindDelivery(insert, delivery);
            if (Step(insert) == 0)
            {
                (already ??= []).Add(delivery.IdempotencyKey);
                continue;
            }

            // The entry is also the customer's contact history record (ADR 0083): no second row.
            RememberPendingRow(delivery);
            added = true;
        }

        // A journey step's send comes with the instance's new state (the same statements as the general path).
        added |= WriteJourneys(sends, ref already);
        if (sends.Scheduled.Count > 0 || sends.Completions.Count > 0)
        {
            // The rest of a mixed write takes the general path below; its version bump is already done.
            var rest = Record(transaction, sends with { Deliveries = [], Journeys = [], Facts = null, ExpectedVersion = expected + 1 }, bumped: true);
            if (rest.AlreadyRecorded.Count > 0)
            {
                (already ??= []).AddRange(rest.AlreadyRecorded);
            }
        }

        if (!added && facts is null)
        {
            // Nothing new reached the history (every key was recorded before): the version stays what it was (written
            // facts grow it, as on the general path).
            var restore = Statement("UPDATE customers SET version = $expected WHERE id = $id");
            BindInt64(restore, 1, expected);
            BindText(restore, 2, sends.CustomerId);
            Step(restore);
            return new CustomerSendsResult(sends.CustomerId, WriteStatus.Written, expected, already ?? (IReadOnlyList<string>)[]);
        }

        return new CustomerSendsResult(sends.CustomerId, WriteStatus.Written, expected + 1, already ?? (IReadOnlyList<string>)[]);
    }

    /// <summary>Binds a delivery log entry to <see cref="SqliteRows.InsertDelivery"/> (its parameters in <see cref="SqliteRows.DeliveryParameters"/>' order).</summary>
    private static void BindDelivery(sqlite3_stmt statement, DeliveryRecord delivery)
    {
        BindText(statement, 1, delivery.IdempotencyKey);
        BindText(statement, 2, delivery.CustomerId);
        BindText(statement, 3, delivery.MessageId);
        BindText(statement, 4, delivery.Channel.Name);
        BindInt64(statement, 5, (int)delivery.Purpose);
        BindInt64(statement, 6, (int)delivery.Kind);
        BindInt64(statement, 7, delivery.SentAt.UtcTicks);
        BindText(statement, 8, delivery.Trigger);
        BindText(statement, 9, delivery.Template);
        BindText(statement, 10, delivery.RunId);
        BindInt64(statement, 11, (int)delivery.State);
    }

    private CustomerSendsResult Record(SqliteTransaction transaction, CustomerSends sends, bool bumped = false)
    {
        if (!bumped && RecordSends(transaction, sends) is { } fast)
        {
            return fast;
        }

        if (!bumped && RecordEvents(transaction, sends) is { } ingested)
        {
            return ingested;
        }

        if (VersionOf(transaction, sends.CustomerId) is not { } version)
        {
            return new CustomerSendsResult(sends.CustomerId, WriteStatus.NotFound, 0, []);
        }

        if (sends.ExpectedVersion is { } expected && expected != version)
        {
            return new CustomerSendsResult(sends.CustomerId, WriteStatus.Conflict, version, []);
        }

        if (sends.Events.Count > 0 && !InsertEvents(transaction, sends))
        {
            return new CustomerSendsResult(sends.CustomerId, WriteStatus.Conflict, version, []);
        }

        List<string>? already = null;
        var historyAdded = WriteEvents(transaction, sends, bumped, out var factsVersion);
        historyAdded |= WriteJourneys(sends, ref already);
        foreach (var delivery in sends.Deliveries)
        {
            var command = Bound(SqliteRows.InsertDelivery, SqliteRows.DeliveryParameters, transaction);
            SqliteRows.SetDelivery(command, delivery);
            if (command.ExecuteNonQuery() == 0)
            {
                (already ??= []).Add(delivery.IdempotencyKey);
                continue;
            }

            // The entry is also the customer's contact history record (ADR 0083).
            historyAdded = true;
        }

        foreach (var scheduled in sends.Scheduled)
        {
            var exists = Writer("SELECT 1 FROM delivery_log WHERE idempotency_key = $key", transaction);
            exists.Parameters.AddWithValue("$key", scheduled.IdempotencyKey);
            var command = Writer(SqliteRows.InsertScheduled, transaction);
            SqliteRows.AddScheduledParameters(command, scheduled);
            if (exists.ExecuteScalar() is not null || command.ExecuteNonQuery() == 0)
            {
                (already ??= []).Add(scheduled.IdempotencyKey);
            }
        }

        foreach (var completion in sends.Completions)
        {
            var command = completion.State == ScheduledSendState.Scheduled
                ? Writer("UPDATE scheduled_sends SET due_at = $due WHERE idempotency_key = $key AND customer_id = $customer AND state = 0", transaction)
                : Writer("UPDATE scheduled_sends SET state = $state, reason = $reason, completed_at = $at WHERE idempotency_key = $key AND customer_id = $customer AND state = 0", transaction);
            command.Parameters.AddWithValue("$key", completion.IdempotencyKey);
            command.Parameters.AddWithValue("$customer", sends.CustomerId);
            if (completion.State == ScheduledSendState.Scheduled)
            {
                command.Parameters.AddWithValue("$due", completion.DueAt!.Value.UtcTicks);
            }
            else
            {
                command.Parameters.AddWithValue("$state", (int)completion.State);
                command.Parameters.AddWithValue("$reason", SqliteRows.Db(completion.Reason));
                command.Parameters.AddWithValue("$at", completion.At.UtcTicks);
            }

            if (command.ExecuteNonQuery() > 0)
            {
                continue;
            }

            var owner = Writer("SELECT customer_id FROM scheduled_sends WHERE idempotency_key = $key", transaction);
            owner.Parameters.AddWithValue("$key", completion.IdempotencyKey);
            if (owner.ExecuteScalar() as string != sends.CustomerId)
            {
                // Thrown inside the transaction: nothing of the batch is committed.
                throw new ArgumentException($"Completion of '{completion.IdempotencyKey}': customer {sends.CustomerId} has no scheduled send with this key.", "batch");
            }

            (already ??= []).Add(completion.IdempotencyKey);
        }

        if (factsVersion is { } grown)
        {
            // The facts' update grew the version (one rewrite of the customer's row).
            version = grown;
        }
        else if (historyAdded && !bumped)
        {
            version = BumpVersion(transaction, sends.CustomerId);
        }

        return new CustomerSendsResult(sends.CustomerId, WriteStatus.Written, version, already ?? (IReadOnlyList<string>)[]);
    }

    private void Fail(SqliteTransaction transaction, DeliveryFailure failure)
    {
        _pendingRows.Remove(failure.IdempotencyKey);
        var command = Writer("DELETE FROM delivery_log WHERE idempotency_key = $key RETURNING customer_id", transaction);
        command.Parameters.AddWithValue("$key", failure.IdempotencyKey);
        var found = false;
        string? customerId = null;
        using (var data = command.ExecuteReader())
        {
            if (data.Read())
            {
                found = true;
                customerId = StoreRows.NullableString(data, 0);
            }
        }

        if (!found)
        {
            return;
        }

        // The entry was the customer's history record (ADR 0083; migration 17 removed the history rows that repeated
        // logged messages, and none is written since), so the history changed: the version grows. An erased customer's
        // entry names no customer.
        if (customerId is not null)
        {
            BumpVersion(transaction, customerId);
        }

        command = Writer("UPDATE scheduled_sends SET state = 2, reason = $reason WHERE idempotency_key = $key", transaction);
        command.Parameters.AddWithValue("$key", failure.IdempotencyKey);
        command.Parameters.AddWithValue("$reason", failure.Reason);
        command.ExecuteNonQuery();
    }

    private int Count(SqliteTransaction transaction, string sql, string customerId)
    {
        var command = Writer(sql, transaction);
        command.Parameters.AddWithValue("$id", customerId);
        return (int)(long)command.ExecuteScalar()!;
    }

    private bool HasSuppressions(SqliteTransaction transaction)
        => Writer("SELECT EXISTS (SELECT 1 FROM suppression)", transaction).ExecuteScalar() is long and not 0;

    private static readonly string[] HashParameter = ["$hash"];

    private HashSet<string> ListedHashes(SqliteTransaction transaction, List<string> hashes)
    {
        var listed = new HashSet<string>(StringComparer.Ordinal);
        var command = Bound("SELECT 1 FROM suppression WHERE hash = $hash", HashParameter, transaction);
        foreach (var hash in hashes)
        {
            command.Parameters[0].Value = hash;
            if (command.ExecuteScalar() is not null)
            {
                listed.Add(hash);
            }
        }

        return listed;
    }

    private SuppressionEntry? FindSuppression(SqliteTransaction transaction, ContactPointKind kind, string value)
    {
        var command = Writer($"SELECT {StoreRows.SuppressionColumns} FROM suppression WHERE hash = $hash", transaction);
        command.Parameters.AddWithValue("$hash", ContactPointHash.Compute(_salt, kind, value));
        using var data = command.ExecuteReader();
        return data.Read() ? StoreRows.ReadSuppression(data) : null;
    }

    private int AddSuppression(SqliteTransaction transaction, ContactPointKind kind, string value, string reason, DateTimeOffset at)
    {
        var command = Writer("INSERT OR IGNORE INTO suppression (hash, kind, reason, at) VALUES ($hash, $kind, $reason, $at)", transaction);
        command.Parameters.AddWithValue("$hash", ContactPointHash.Compute(_salt, kind, value));
        command.Parameters.AddWithValue("$kind", (int)kind);
        command.Parameters.AddWithValue("$reason", reason);
        command.Parameters.AddWithValue("$at", at.UtcTicks);
        return command.ExecuteNonQuery();
    }
}
