using Npgsql;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Storage;
using static Personalize.PostgreSql.PostgreSqlRows;
using static Personalize.Storage.StoreRows;
using Personalize.Channels;

namespace Personalize.PostgreSql;

public sealed partial class PostgreSqlPersonalizeStore
{
    private const int IdsPerRead = 1_000;

    /// <inheritdoc />
    public async ValueTask<StoredCustomer?> GetCustomerAsync(string customerId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        var found = await GetCustomersAsync([customerId], cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<StoredCustomer>> GetCustomersAsync(IReadOnlyCollection<string> customerIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(customerIds);
        cancellationToken.ThrowIfCancellationRequested();
        var ids = customerIds.Where(static id => id is not null).Distinct(StringComparer.Ordinal).ToArray();
        if (ids.Length == 0)
        {
            return [];
        }

        var found = await ReadAsync(async (connection, transaction, token) =>
        {
            var customers = new Dictionary<string, StoredCustomer>(StringComparer.Ordinal);
            foreach (var chunk in ids.Chunk(IdsPerRead))
            {
                await using var batch = new NpgsqlBatch(connection, transaction);
                foreach (var sql in _sql.CustomersById)
                {
                    var command = new NpgsqlBatchCommand(sql);
                    Param(command.Parameters, "ids", chunk);
                    batch.BatchCommands.Add(command);
                }

                foreach (var customer in await ReadCustomerRowsAsync(batch, null, token).ConfigureAwait(false))
                {
                    customers[customer.Id] = customer;
                }
            }

            return customers;
        }, cancellationToken).ConfigureAwait(false);

        var ordered = new List<StoredCustomer>(found.Count);
        foreach (var id in customerIds)
        {
            if (id is not null && found.Remove(id, out var customer))
            {
                ordered.Add(customer);
            }
        }

        return ordered;
    }

    /// <inheritdoc />
    public ValueTask<StorePage<StoredCustomer>> ReadCustomersAsync(CustomerQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        cancellationToken.ThrowIfCancellationRequested();
        var variant = (query.ContinueAfter is null ? 0 : 1) + (query.UpTo is null ? 0 : 2) + (query.ExcludeHistoryOfRun is null ? 0 : 4);
        return ReadAsync(async (connection, transaction, token) =>
        {
            await using var batch = new NpgsqlBatch(connection, transaction);
            foreach (var sql in _sql.CustomerPage[variant])
            {
                var command = new NpgsqlBatchCommand(sql);
                Param(command.Parameters, "limit", (long)query.Limit + 1);
                if (query.ContinueAfter is { } after)
                {
                    Param(command.Parameters, "after", after);
                }

                if (query.UpTo is { } upTo)
                {
                    Param(command.Parameters, "up_to", upTo);
                }

                if (query.ExcludeHistoryOfRun is { } run && command.CommandText.Contains("@exclude_run", StringComparison.Ordinal))
                {
                    Param(command.Parameters, "exclude_run", run);
                }

                batch.BatchCommands.Add(command);
            }

            // Rows come in id order; the page holds one more than asked only to tell that more follow.
            var rows = await ReadCustomerRowsAsync(batch, query.Limit + 1, token).ConfigureAwait(false);
            if (rows.Count <= query.Limit)
            {
                return new StorePage<StoredCustomer>(rows, null);
            }

            rows.RemoveAt(rows.Count - 1);
            return new StorePage<StoredCustomer>(rows, rows[^1].Id);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<long> CountCustomersAsync(CancellationToken cancellationToken = default)
        => ReadAsync(async (connection, transaction, token) =>
        {
            await using var command = Command(connection, transaction, _sql.Count);
            return (long)(await command.ExecuteScalarAsync(token).ConfigureAwait(false))!;
        }, cancellationToken);

    /// <inheritdoc />
    public ValueTask<ImportResult> ImportCustomersAsync(IReadOnlyList<CustomerProfile> customers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(customers);
        cancellationToken.ThrowIfCancellationRequested();

        // Check what needs no database and serialise the facts before the transaction: it only reads and writes.
        var errors = new List<ImportError>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var facts = new byte[customers.Count][];
        var points = new List<(int Index, string Field, ContactPointKind Kind, string Hash)>();
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
                points.Add((i, field, kind, ContactPointHash.Compute(_salt, kind, value)));
            }

            facts[i] = _json.WriteCustomer(StoreChecks.FactsOf(customer));
        }

        return WriteAsync((connection, transaction, token) => ImportAsync(connection, transaction, customers, facts, errors, points, token), cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<WriteResult> SaveProfileAsync(CustomerProfile profile, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentException.ThrowIfNullOrEmpty(profile.Id, nameof(profile));
        cancellationToken.ThrowIfCancellationRequested();
        var facts = _json.WriteCustomer(StoreChecks.FactsOf(profile));
        var points = StoreChecks.SuppressibleContactPoints(profile.ContactPoints).Select(p => (p.Field, p.Kind, Hash: ContactPointHash.Compute(_salt, p.Kind, p.Value))).ToList();
        return WriteAsync(async (connection, transaction, token) =>
        {
            var current = await LockVersionAsync(connection, transaction, profile.Id, token).ConfigureAwait(false);
            if (expectedVersion is { } expected && expected != (current ?? 0))
            {
                return new WriteResult(WriteStatus.Conflict, current ?? 0);
            }

            if (StoreChecks.AttributeProblem(profile) is { } problem)
            {
                return new WriteResult(WriteStatus.Refused, current ?? 0, problem.Field + ": " + problem.Message + " (" + problem.Code + ")");
            }

            var suppressed = await FindSuppressionsAsync(connection, transaction, points.Select(p => p.Hash).ToArray(), token).ConfigureAwait(false);
            foreach (var (field, kind, hash) in points)
            {
                if (suppressed.TryGetValue(hash, out var entry))
                {
                    return new WriteResult(WriteStatus.Refused, current ?? 0, field + ": " + StoreChecks.SuppressedMessage(kind, entry));
                }
            }

            if (current is null)
            {
                await using var insert = Command(connection, transaction, _sql.InsertCustomer);
                Param(insert.Parameters, "id", profile.Id);
                Param(insert.Parameters, "facts", facts);
                if (await insert.ExecuteScalarAsync(token).ConfigureAwait(false) is long created)
                {
                    return new WriteResult(WriteStatus.Written, created);
                }

                // Created by another writer since the lock found nothing.
                if (expectedVersion is not null)
                {
                    return new WriteResult(WriteStatus.Conflict, await LockVersionAsync(connection, transaction, profile.Id, token).ConfigureAwait(false) ?? 0);
                }
            }

            await using var update = Command(connection, transaction, _sql.UpdateFacts);
            Param(update.Parameters, "id", profile.Id);
            Param(update.Parameters, "facts", facts);
            return new WriteResult(WriteStatus.Written, (long)(await update.ExecuteScalarAsync(token).ConfigureAwait(false))!);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<WriteResult> AppendConsentAsync(string customerId, IReadOnlyList<ConsentRecord> records, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        ArgumentNullException.ThrowIfNull(records);
        StoreChecks.ThrowIfInvalid(records);
        cancellationToken.ThrowIfCancellationRequested();
        return WriteAsync(async (connection, transaction, token) =>
        {
            if (await LockVersionAsync(connection, transaction, customerId, token).ConfigureAwait(false) is not { } current)
            {
                return new WriteResult(WriteStatus.NotFound, 0);
            }

            if (expectedVersion is { } expected && expected != current)
            {
                return new WriteResult(WriteStatus.Conflict, current);
            }

            if (records.Count == 0)
            {
                return new WriteResult(WriteStatus.Written, current);
            }

            var rows = new ConsentRows();
            for (var i = 0; i < records.Count; i++)
            {
                rows.Add(customerId, i + 1, records[i]);
            }

            await using var batch = new NpgsqlBatch(connection, transaction);
            var append = new NpgsqlBatchCommand(_sql.AppendConsents);
            rows.AddParameters(append.Parameters);
            Param(append.Parameters, "id", customerId);
            var bump = new NpgsqlBatchCommand(_sql.BumpVersion);
            Param(bump.Parameters, "id", customerId);
            batch.BatchCommands.Add(append);
            batch.BatchCommands.Add(bump);
            return new WriteResult(WriteStatus.Written, (long)(await batch.ExecuteScalarAsync(token).ConfigureAwait(false))!);
        }, cancellationToken);
    }

    private async Task<ImportResult> ImportAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        IReadOnlyList<CustomerProfile> customers,
        byte[][] facts,
        List<ImportError> errors,
        List<(int Index, string Field, ContactPointKind Kind, string Hash)> points,
        CancellationToken cancellationToken)
    {
        if (points.Count > 0)
        {
            var suppressed = await FindSuppressionsAsync(connection, transaction, points.Select(p => p.Hash).Distinct(StringComparer.Ordinal).ToArray(), cancellationToken).ConfigureAwait(false);
            foreach (var (index, field, kind, hash) in points)
            {
                if (suppressed.TryGetValue(hash, out var entry))
                {
                    errors.Add(new ImportError(index, customers[index].Id, field, StoreCodes.Suppressed(entry.Reason), StoreChecks.SuppressedMessage(kind, entry)));
                }
            }
        }

        if (errors.Count > 0)
        {
            // Per customer: its id errors, then its contact points in field order.
            return new ImportResult { Errors = errors.OrderBy(static e => e.Index).ToList() };
        }

        if (customers.Count == 0)
        {
            return new ImportResult();
        }

        // Lock the known customers (in id order, as every writer does), then write their facts and the new ones'.
        var ids = customers.Select(static c => c.Id).ToArray();
        var known = await LockVersionsAsync(connection, transaction, ids, cancellationToken).ConfigureAwait(false);
        for (var start = 0; start < customers.Count; start += _maxRows)
        {
            var count = Math.Min(_maxRows, customers.Count - start);
            await using var upsert = Command(connection, transaction, _sql.UpsertFacts);
            Param(upsert.Parameters, "ids", ids.AsSpan(start, count).ToArray());
            Param(upsert.Parameters, "facts", facts.AsSpan(start, count).ToArray());
            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        // Known customers keep their evidence: read it to add only what is new.
        var existingConsents = new Dictionary<string, List<(int Seq, ConsentRecord Record)>>(StringComparer.Ordinal);
        var existingHistory = new Dictionary<string, HashSet<ContactRecord>>(StringComparer.Ordinal);
        foreach (var chunk in known.Keys.Chunk(IdsPerRead))
        {
            await using var batch = new NpgsqlBatch(connection, transaction);
            foreach (var sql in _sql.SeqAndHistoryById)
            {
                var command = new NpgsqlBatchCommand(sql);
                Param(command.Parameters, "ids", chunk);
                batch.BatchCommands.Add(command);
            }

            await using var data = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await data.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var id = data.GetString(0);
                if (!existingConsents.TryGetValue(id, out var list))
                {
                    existingConsents[id] = list = [];
                }

                list.Add((data.GetInt32(1), ReadConsent(data)));
            }

            await data.NextResultAsync(cancellationToken).ConfigureAwait(false);
            while (await data.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var id = data.GetString(0);
                if (!existingHistory.TryGetValue(id, out var set))
                {
                    existingHistory[id] = set = [];
                }

                set.Add(ReadHistory(data));
            }
        }

        int created = 0, updated = 0, consentsAdded = 0, historyAdded = 0;
        var consentRows = new ConsentRows();
        var historyRows = new HistoryRows();
        foreach (var customer in customers)
        {
            if (!known.ContainsKey(customer.Id))
            {
                created++;
                var seq = 0;
                foreach (var record in customer.Consents.Records)
                {
                    consentRows.Add(customer.Id, ++seq, record);
                }

                foreach (var record in customer.History.Records)
                {
                    historyRows.Add(customer.Id, record);
                }

                consentsAdded += customer.Consents.Records.Count;
                historyAdded += customer.History.Records.Count;
            }
            else
            {
                updated++;
                var consents = existingConsents.GetValueOrDefault(customer.Id) ?? [];
                var next = consents.Count == 0 ? 0 : consents.Max(static c => c.Seq);
                foreach (var record in customer.Consents.Records)
                {
                    if (!consents.Exists(c => c.Record.Equals(record)))
                    {
                        consentRows.Add(customer.Id, ++next, record);
                        consentsAdded++;
                    }
                }

                var history = existingHistory.GetValueOrDefault(customer.Id);
                foreach (var record in customer.History.Records)
                {
                    if (history is null || !history.Contains(record))
                    {
                        historyRows.Add(customer.Id, record);
                        historyAdded++;
                    }
                }
            }

            if (consentRows.Count >= _maxRows || historyRows.Count >= _maxRows)
            {
                await FlushEvidenceAsync(connection, transaction, consentRows, historyRows, cancellationToken).ConfigureAwait(false);
            }
        }

        await FlushEvidenceAsync(connection, transaction, consentRows, historyRows, cancellationToken).ConfigureAwait(false);
        return new ImportResult { Created = created, Updated = updated, ConsentRecordsAdded = consentsAdded, HistoryRecordsAdded = historyAdded };
    }

    private async Task FlushEvidenceAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ConsentRows consents, HistoryRows history, CancellationToken cancellationToken)
    {
        if (consents.Count > 0)
        {
            await using var command = Command(connection, transaction, _sql.InsertConsents);
            consents.AddParameters(command.Parameters);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            consents.Clear();
        }

        if (history.Count > 0)
        {
            await using var command = Command(connection, transaction, _sql.InsertHistory);
            history.AddParameters(command.Parameters);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            history.Clear();
        }
    }

    private async Task<long?> LockVersionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string customerId, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, _sql.LockVersion);
        Param(command.Parameters, "id", customerId);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long version ? version : null;
    }

    /// <summary>Locks the customers' rows (in id order, so writers never wait for each other in a circle) and reads their versions.</summary>
    private async Task<Dictionary<string, long>> LockVersionsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string[] ids, CancellationToken cancellationToken)
    {
        var versions = new Dictionary<string, long>(ids.Length, StringComparer.Ordinal);
        if (ids.Length == 0)
        {
            return versions;
        }

        await using var command = Command(connection, transaction, _sql.LockVersions);
        Param(command.Parameters, "ids", ids);
        await using var data = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await data.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            versions[data.GetString(0)] = data.GetInt64(1);
        }

        return versions;
    }

    private async Task<Dictionary<string, SuppressionEntry>> FindSuppressionsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string[] hashes, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, SuppressionEntry>(StringComparer.Ordinal);
        if (hashes.Length == 0)
        {
            return found;
        }

        await using var command = Command(connection, transaction, _sql.Suppressed);
        Param(command.Parameters, "hashes", hashes);
        await using var data = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await data.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var entry = ReadSuppression(data);
            found[entry.Hash] = entry;
        }

        return found;
    }

    /// <summary>Reads the three results of a customers batch (facts, consent, history) and assembles the customers in the facts' order.</summary>
    private async Task<List<StoredCustomer>> ReadCustomerRowsAsync(NpgsqlBatch batch, int? capacity, CancellationToken cancellationToken)
    {
        var rows = new List<(string Id, long Version, byte[] Facts, byte[]? EventFacts)>(capacity ?? 16);
        var consents = new Dictionary<string, List<ConsentRecord>>(StringComparer.Ordinal);
        var history = new Dictionary<string, List<ContactRecord>>(StringComparer.Ordinal);
        await using (var data = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await data.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add((data.GetString(0), data.GetInt64(1), data.GetFieldValue<byte[]>(2), data.IsDBNull(3) ? null : data.GetFieldValue<byte[]>(3)));
            }

            await data.NextResultAsync(cancellationToken).ConfigureAwait(false);
            List<ConsentRecord>? currentConsents = null;
            string? currentId = null;
            while (await data.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var id = data.GetString(0);
                if (!string.Equals(id, currentId, StringComparison.Ordinal))
                {
                    currentId = id;
                    consents[id] = currentConsents = [];
                }

                currentConsents!.Add(ReadConsent(data));
            }

            await data.NextResultAsync(cancellationToken).ConfigureAwait(false);
            List<ContactRecord>? currentHistory = null;
            currentId = null;
            while (await data.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var id = data.GetString(0);
                if (!string.Equals(id, currentId, StringComparison.Ordinal))
                {
                    currentId = id;
                    history[id] = currentHistory = [];
                }

                currentHistory!.Add(ReadHistory(data));
            }
        }

        var customers = new List<StoredCustomer>(rows.Count);
        foreach (var (id, version, facts, eventFacts) in rows)
        {
            // The profile is built once, with the parts kept beside its JSON.
            var parts = new Serialization.StoredParts(
                eventFacts is null ? Events.CustomerFacts.Empty : Events.StoredFacts.Read(eventFacts),
                consents.TryGetValue(id, out var records) ? new ConsentLedger(records) : ConsentLedger.Empty,
                history.TryGetValue(id, out var contacts) ? new ContactHistory(contacts) : ContactHistory.Empty,
                id);
            if (!_json.TryReadStoredCustomer(facts, parts, out var profile, out var problems))
            {
                throw new PostgreSqlStoreException($"{Server}, schema '{Schema}': customer '{id}' cannot be read: {string.Join("; ", problems)}. Open the store with the channels it was written with (PostgreSqlStoreOptions.Channels).");
            }

            customers.Add(new StoredCustomer(profile, version));
        }

        return customers;
    }
}
