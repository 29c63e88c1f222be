using System.Collections.Concurrent;
using System.Text;
using Npgsql;
using Personalize.Storage;
using static Personalize.PostgreSql.PostgreSqlRows;
using static Personalize.Storage.StoreRows;
using Personalize.Channels;

namespace Personalize.PostgreSql;

public sealed partial class PostgreSqlPersonalizeStore
{
    private readonly ConcurrentDictionary<int, string> _deliveryQueries = new();
    private readonly ConcurrentDictionary<int, string> _scheduledQueries = new();
    private readonly ConcurrentDictionary<int, string> _runQueries = new();

    /// <inheritdoc />
    /// <remarks>
    /// One transaction: the batch's customers are locked in id order and their versions checked; then one statement
    /// writes every new delivery log entry with its contact history record (raising each customer's version), one the
    /// new scheduled sends, one each kind of completion, one the delivered marks and one the failures.
    /// </remarks>
    public ValueTask<SendBatchResult> RecordAsync(SendBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        StoreChecks.ThrowIfInvalid(batch);
        cancellationToken.ThrowIfCancellationRequested();
        return WriteAsync((connection, transaction, token) => RecordAsync(connection, transaction, batch, token), cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<DeliveryRecord?> FindDeliveryAsync(string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(idempotencyKey);
        return await ReadAsync(async (connection, transaction, token) =>
        {
            await using var command = Command(connection, transaction, _sql.FindDelivery);
            Param(command.Parameters, "key", idempotencyKey);
            await using var data = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
            return await data.ReadAsync(token).ConfigureAwait(false) ? ReadDelivery(data) : null;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<StorePage<DeliveryRecord>> ReadDeliveriesAsync(DeliveryQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        var after = StoreCursor.Parse(query.ContinueAfter);
        var shape = (query.CustomerId is null ? 0 : 1) | (query.RunId is null ? 0 : 2) | (after is null ? 0 : 4) | (query.State switch { null => 0, DeliveryState.Pending => 8, _ => 16 });
        var sql = _deliveryQueries.GetOrAdd(shape, static (shape, s) =>
        {
            var text = new StringBuilder($"SELECT {DeliveryColumns} FROM {s}.delivery_log WHERE true");
            if ((shape & 1) != 0)
            {
                text.Append(" AND customer_id = @customer");
            }

            if ((shape & 2) != 0)
            {
                text.Append(" AND run_id = @run");
            }

            if ((shape & 4) != 0)
            {
                text.Append(" AND (sent_at, idempotency_key) > (@after_ticks, @after_key)");
            }

            // Literal states, so the partial index of pending entries is used.
            text.Append((shape & 24) switch { 8 => " AND state = 0", 16 => " AND state = 1", _ => string.Empty });
            return text.Append(" ORDER BY sent_at, idempotency_key LIMIT @limit").ToString();
        }, _sql.S);
        return ReadAsync(async (connection, transaction, token) =>
        {
            await using var command = Command(connection, transaction, sql);
            AddFilters(command.Parameters, query.CustomerId, query.RunId, after, query.Limit);
            var rows = new List<DeliveryRecord>();
            await using var data = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
            while (await data.ReadAsync(token).ConfigureAwait(false))
            {
                rows.Add(ReadDelivery(data));
            }

            return StoreCursor.Page(rows, query.Limit, static d => StoreCursor.Format(d.SentAt, d.IdempotencyKey));
        }, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<StorePage<ScheduledSend>> ReadScheduledSendsAsync(ScheduledSendQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        var after = StoreCursor.Parse(query.ContinueAfter);
        var state = query.State is { } st ? (int)st : -1;
        var shape = (query.CustomerId is null ? 0 : 1) | (query.DueBy is null ? 0 : 2) | (after is null ? 0 : 4) | ((state + 1) << 3);
        var sql = _scheduledQueries.GetOrAdd(shape, static (shape, s) =>
        {
            var text = new StringBuilder($"SELECT {ScheduledColumns} FROM {s}.scheduled_sends WHERE true");
            if (shape >> 3 is > 0 and var stateFilter)
            {
                text.Append(" AND state = ").Append(stateFilter - 1);
            }

            if ((shape & 1) != 0)
            {
                text.Append(" AND customer_id = @customer");
            }

            if ((shape & 2) != 0)
            {
                text.Append(" AND due_at <= @due_by");
            }

            if ((shape & 4) != 0)
            {
                text.Append(" AND (due_at, idempotency_key) > (@after_ticks, @after_key)");
            }

            return text.Append(" ORDER BY due_at, idempotency_key LIMIT @limit").ToString();
        }, _sql.S);
        return ReadAsync(async (connection, transaction, token) =>
        {
            await using var command = Command(connection, transaction, sql);
            AddFilters(command.Parameters, query.CustomerId, null, after, query.Limit);
            if (query.DueBy is { } dueBy)
            {
                Param(command.Parameters, "due_by", dueBy.UtcTicks);
            }

            var rows = new List<ScheduledSend>();
            await using var data = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
            while (await data.ReadAsync(token).ConfigureAwait(false))
            {
                rows.Add(ReadScheduled(data));
            }

            return StoreCursor.Page(rows, query.Limit, static s => StoreCursor.Format(s.DueAt, s.IdempotencyKey));
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask SaveRunAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentException.ThrowIfNullOrEmpty(run.Id, nameof(run));
        await WriteAsync(async (connection, transaction, token) =>
        {
            await using var command = Command(connection, transaction, _sql.SaveRun);
            AddRunParameters(command.Parameters, run);
            return await command.ExecuteNonQueryAsync(token).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<RunRecord?> GetRunAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        return ReadAsync(async (connection, transaction, token) =>
        {
            await using var command = Command(connection, transaction, _sql.GetRun);
            Param(command.Parameters, "id", runId);
            await using var data = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
            return await data.ReadAsync(token).ConfigureAwait(false) ? ReadRun(data) : null;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<RunPage>> ReadRunPagesAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        return ReadAsync<IReadOnlyList<RunPage>>(async (connection, transaction, token) =>
        {
            await using var command = Command(connection, transaction, $"SELECT first_customer, last_customer, tag FROM {_sql.S}.run_pages WHERE run_id = @run ORDER BY first_customer");
            Param(command.Parameters, "run", runId);
            var pages = new List<RunPage>();
            await using var data = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
            while (await data.ReadAsync(token).ConfigureAwait(false))
            {
                pages.Add(new RunPage { RunId = runId, FirstCustomerId = data.GetString(0), LastCustomerId = data.GetString(1), Tag = data.GetString(2) });
            }

            return pages;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<RunRecord>> ReadRunsAsync(RunQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        var shape = (query.Trigger is null ? 0 : 1) | (query.Status switch { null => 0, RunStatus.Running => 2, _ => 4 });
        var sql = _runQueries.GetOrAdd(shape, static (shape, s) =>
        {
            var text = new StringBuilder($"SELECT {RunColumns} FROM {s}.runs WHERE true");
            if ((shape & 1) != 0)
            {
                text.Append(" AND trigger = @trigger");
            }

            text.Append((shape & 6) switch { 2 => " AND status = 0", 4 => " AND status = 1", _ => string.Empty });
            return text.Append(" ORDER BY started_at DESC, id DESC LIMIT @limit").ToString();
        }, _sql.S);
        return ReadAsync<IReadOnlyList<RunRecord>>(async (connection, transaction, token) =>
        {
            await using var command = Command(connection, transaction, sql);
            if (query.Trigger is not null)
            {
                Param(command.Parameters, "trigger", query.Trigger);
            }

            Param(command.Parameters, "limit", (long)query.Limit);
            var runs = new List<RunRecord>();
            await using var data = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
            while (await data.ReadAsync(token).ConfigureAwait(false))
            {
                runs.Add(ReadRun(data));
            }

            return runs;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<ErasureResult> EraseCustomerAsync(string customerId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        cancellationToken.ThrowIfCancellationRequested();
        return WriteAsync(async (connection, transaction, token) =>
        {
            byte[]? facts;
            await using (var lockRow = Command(connection, transaction, _sql.LockFacts))
            {
                Param(lockRow.Parameters, "id", customerId);
                facts = await lockRow.ExecuteScalarAsync(token).ConfigureAwait(false) as byte[];
            }

            if (facts is null)
            {
                return new ErasureResult { Found = false };
            }

            var points = _json.TryReadCustomer(facts, out var profile, out _) ? profile.ContactPoints : Customers.ContactPoints.None;
            await using var batch = new NpgsqlBatch(connection, transaction);
            foreach (var sql in _sql.EraseCounts)
            {
                var command = new NpgsqlBatchCommand(sql);
                Param(command.Parameters, "id", customerId);
                batch.BatchCommands.Add(command);
            }

            var suppression = SuppressionCommand(StoreChecks.SuppressibleContactPoints(points).Select(p => (p.Kind, p.Value, SuppressionReasons.Erased, at)));
            if (suppression is not null)
            {
                batch.BatchCommands.Add(suppression);
            }

            var counts = new List<long>();
            await using (var data = await batch.ExecuteReaderAsync(token).ConfigureAwait(false))
            {
                do
                {
                    if (await data.ReadAsync(token).ConfigureAwait(false))
                    {
                        counts.Add(data.GetInt64(0));
                    }
                }
                while (await data.NextResultAsync(token).ConfigureAwait(false));
            }

            // No run page keeps the erased id as a bound: it moves to the nearest remaining customer of the page (the page
            // still covers every customer whose keys it tagged), and a page left without customers goes.
            await using (var pages = new NpgsqlBatch(connection, transaction))
            {
                foreach (var sql in new[]
                {
                    $"DELETE FROM {_sql.S}.run_pages p WHERE (p.first_customer = @id OR p.last_customer = @id) AND NOT EXISTS (SELECT 1 FROM {_sql.S}.customers c WHERE c.id >= p.first_customer AND c.id <= p.last_customer)",
                    $"UPDATE {_sql.S}.run_pages p SET first_customer = (SELECT min(c.id) FROM {_sql.S}.customers c WHERE c.id > p.first_customer AND c.id <= p.last_customer) WHERE p.first_customer = @id",
                    $"UPDATE {_sql.S}.run_pages p SET last_customer = (SELECT max(c.id) FROM {_sql.S}.customers c WHERE c.id < p.last_customer AND c.id >= p.first_customer) WHERE p.last_customer = @id",
                })
                {
                    var command = new NpgsqlBatchCommand(sql);
                    Param(command.Parameters, "id", customerId);
                    pages.BatchCommands.Add(command);
                }

                await pages.ExecuteNonQueryAsync(token).ConfigureAwait(false);
            }

            return new ErasureResult
            {
                Found = true,
                ConsentRecords = (int)counts[0],
                HistoryRecords = (int)counts[1],
                ScheduledSends = (int)counts[2],
                DeliveriesAnonymized = (int)counts[3],
                ContactPointsSuppressed = suppression is null ? 0 : (int)counts[5],
            };
        }, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<int> SuppressAsync(IReadOnlyList<SuppressionRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        StoreChecks.ThrowIfInvalid(requests);
        cancellationToken.ThrowIfCancellationRequested();
        if (SuppressionCommand(requests.Select(static r => (r.Kind, r.Value, r.Reason, r.At))) is not { } insert)
        {
            return new(0);
        }

        return WriteAsync(async (connection, transaction, token) =>
        {
            await using var batch = new NpgsqlBatch(connection, transaction) { BatchCommands = { insert } };
            return (int)(long)(await batch.ExecuteScalarAsync(token).ConfigureAwait(false))!;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask<SuppressionEntry?> FindSuppressionAsync(ContactPointKind kind, string value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        cancellationToken.ThrowIfCancellationRequested();
        if (!ContactPointHash.IsSupported(kind) || string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var hash = ContactPointHash.Compute(_salt, kind, value);
        return await ReadAsync(async (connection, transaction, token) =>
        {
            await using var command = Command(connection, transaction, _sql.FindSuppression);
            Param(command.Parameters, "hash", hash);
            await using var data = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
            return await data.ReadAsync(token).ConfigureAwait(false) ? ReadSuppression(data) : null;
        }, cancellationToken).ConfigureAwait(false);
    }

    private static void AddFilters(NpgsqlParameterCollection parameters, string? customerId, string? runId, (long Ticks, string Key)? after, int limit)
    {
        if (customerId is not null)
        {
            Param(parameters, "customer", customerId);
        }

        if (runId is not null)
        {
            Param(parameters, "run", runId);
        }

        if (after is { } cursor)
        {
            Param(parameters, "after_ticks", cursor.Ticks);
            Param(parameters, "after_key", cursor.Key);
        }

        Param(parameters, "limit", (long)limit + 1);
    }

    private static void AddRunParameters(NpgsqlParameterCollection parameters, RunRecord run)
    {
        Param(parameters, "id", run.Id);
        Param(parameters, "trigger", run.Trigger);
        Param(parameters, "at", run.At.UtcTicks);
        Param(parameters, "status", (short)run.Status);
        Param(parameters, "started", run.StartedAt.UtcTicks);
        Param(parameters, "updated", run.UpdatedAt.UtcTicks);
        Param(parameters, "processed", run.Processed);
        Param(parameters, "sent", run.Sent);
        Param(parameters, "scheduled", run.Scheduled);
        Param(parameters, "already", run.AlreadySent);
        Param(parameters, "errors", run.Errors);
        Param(parameters, "key_format", (short)run.KeyFormat);
    }

    /// <summary>One insert of suppression entries (the first of equal hashes wins), or <see langword="null"/> when there are none.</summary>
    private NpgsqlBatchCommand? SuppressionCommand(IEnumerable<(ContactPointKind Kind, string Value, string Reason, DateTimeOffset At)> entries)
    {
        var hashes = new List<string>();
        var kinds = new List<short>();
        var reasons = new List<string>();
        var instants = new List<long>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (kind, value, reason, at) in entries)
        {
            var hash = ContactPointHash.Compute(_salt, kind, value);
            if (seen.Add(hash))
            {
                hashes.Add(hash);
                kinds.Add((short)kind);
                reasons.Add(reason);
                instants.Add(at.UtcTicks);
            }
        }

        if (hashes.Count == 0)
        {
            return null;
        }

        var command = new NpgsqlBatchCommand(_sql.InsertSuppression);
        Param(command.Parameters, "hash", hashes.ToArray());
        Param(command.Parameters, "kind", kinds.ToArray());
        Param(command.Parameters, "reason", reasons.ToArray());
        Param(command.Parameters, "at", instants.ToArray());
        return command;
    }
}
