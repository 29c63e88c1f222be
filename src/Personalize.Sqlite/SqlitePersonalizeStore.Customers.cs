using Microsoft.Data.Sqlite;
using SQLitePCL;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Storage;

namespace Personalize.Sqlite;

public sealed partial class SqlitePersonalizeStore
{
    /// <inheritdoc />
    public ValueTask<StoredCustomer?> GetCustomerAsync(string customerId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        cancellationToken.ThrowIfCancellationRequested();
        using var reader = OpenReader();
        return new(ReadByIds(reader, [customerId]).FirstOrDefault());
    }

    /// <summary>The most customers one statement per table reads (their ids bound as one JSON array).</summary>
    private const int ReadChunk = 2_000;

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<StoredCustomer>> GetCustomersAsync(IReadOnlyCollection<string> customerIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(customerIds);
        cancellationToken.ThrowIfCancellationRequested();
        var ids = customerIds.Where(static id => id is not null).Distinct(StringComparer.Ordinal).ToList();
        var found = new Dictionary<string, StoredCustomer>(StringComparer.Ordinal);
        using (var reader = OpenReader())
        {
            foreach (var chunk in ids.Chunk(ReadChunk))
            {
                foreach (var customer in ReadByIds(reader, chunk))
                {
                    found[customer.Id] = customer;
                }
            }
        }

        var ordered = new List<StoredCustomer>(found.Count);
        foreach (var id in customerIds)
        {
            if (id is not null && found.Remove(id, out var customer))
            {
                ordered.Add(customer);
            }
        }

        return new(ordered);
    }

    /// <inheritdoc />
    public ValueTask<StorePage<StoredCustomer>> ReadCustomersAsync(CustomerQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        cancellationToken.ThrowIfCancellationRequested();
        var reader = TakePageReader();
        var profiles = TakeProfileBuffer();
        StorePage<StoredCustomer> page;
        try
        {
            page = ReadPage(reader, query, profiles);
        }
        catch
        {
            // A failed read leaves its statements and transaction as they were: the connection is closed, not kept.
            reader.Dispose();
            throw;
        }

        ReturnProfileBuffer(profiles);
        ReturnPageReader(reader);
        return new(page);
    }

    /// <summary>One page of <see cref="ReadCustomersAsync"/> in <paramref name="reader"/>'s read transaction.</summary>
    private StorePage<StoredCustomer> ReadPage(PageReader reader, CustomerQuery query, System.Buffers.ArrayBufferWriter<byte> profiles)
    {
        var strings = new Events.Utf8StringCache();
        var statement = reader.Statement((query.ContinueAfter, query.UpTo) switch
        {
            (null, null) => PageColumns + " ORDER BY c.id LIMIT $limit",
            (_, null) => PageColumns + " WHERE c.id > $after ORDER BY c.id LIMIT $limit",
            (null, _) => PageColumns + " WHERE c.id <= $upTo ORDER BY c.id LIMIT $limit",
            _ => PageColumns + " WHERE c.id > $after AND c.id <= $upTo ORDER BY c.id LIMIT $limit",
        });
        List<PageEntry> rows;
        try
        {
            Bind(statement, "$limit", query.Limit + 1L);
            Bind(statement, "$after", query.ContinueAfter);
            Bind(statement, "$upTo", query.UpTo);
            rows = ReadPageEntries(statement, Math.Min(query.Limit, 4096) + 1, strings, profiles);
        }
        finally
        {
            PageReader.Done(statement);
        }

        var more = rows.Count > query.Limit;
        if (more)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        if (rows.Count == 0)
        {
            return new StorePage<StoredCustomer>([], null);
        }

        // The page's customers are exactly the ids between its first and last (the page is a contiguous id range), so
        // one range query per table reads all their evidence and history, in the page's order: each customer's rows
        // are placed by walking the page alongside (no dictionary by id). Then each profile is read once, with them.
        var consents = System.Buffers.ArrayPool<ConsentRecord[]?>.Shared.Rent(rows.Count);
        var history = System.Buffers.ArrayPool<ContactRecord[]?>.Shared.Rent(rows.Count);
        try
        {
            // The shared pool does not promise a cleared array: a slot left null means "no rows" for its customer.
            consents.AsSpan(0, rows.Count).Clear();
            history.AsSpan(0, rows.Count).Clear();
            ReadRange(reader, rows, query.ExcludeHistoryOfRun, consents, history, strings);
            var items = new StoredCustomer[rows.Count];
            var bytes = profiles.WrittenSpan;
            for (var i = 0; i < rows.Count; i++)
            {
                var row = rows[i];
                var parts = new Serialization.StoredParts(
                    row.Facts,
                    consents[i] is { } records ? ConsentLedger.FromStore(records) : ConsentLedger.Empty,
                    history[i] is { } contacts ? ContactHistory.FromSorted(contacts) : ContactHistory.Empty,
                    row.Id);
                items[i] = new StoredCustomer(ReadProfile(row.Id, bytes.Slice(row.Start, row.Length), parts), row.Version);
            }

            return new StorePage<StoredCustomer>(items, more ? rows[^1].Id : null);
        }
        finally
        {
            System.Buffers.ArrayPool<ConsentRecord[]?>.Shared.Return(consents, clearArray: true);
            System.Buffers.ArrayPool<ContactRecord[]?>.Shared.Return(history, clearArray: true);
        }
    }

    /// <inheritdoc />
    public ValueTask<long> CountCustomersAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var reader = OpenReader();
        using var command = reader.Command("SELECT COUNT(*) FROM customers");
        return new((long)command.ExecuteScalar()!);
    }

    /// <inheritdoc />
    public ValueTask<ImportResult> ImportCustomersAsync(IReadOnlyList<CustomerProfile> customers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(customers);
        cancellationToken.ThrowIfCancellationRequested();

        // Serialise the facts before taking the write lock: the transaction only writes.
        var facts = new byte[customers.Count][];
        for (var i = 0; i < customers.Count; i++)
        {
            if (customers[i] is { Id.Length: > 0 } customer)
            {
                facts[i] = _json.WriteCustomer(StoreChecks.FactsOf(customer));
            }
        }

        return WriteAsync(transaction => Import(transaction, customers, facts, cancellationToken), cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<WriteResult> SaveProfileAsync(CustomerProfile profile, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentException.ThrowIfNullOrEmpty(profile.Id, nameof(profile));
        cancellationToken.ThrowIfCancellationRequested();
        var facts = _json.WriteCustomer(StoreChecks.FactsOf(profile));
        return WriteAsync(transaction =>
        {
            var current = VersionOf(transaction, profile.Id);
            if (expectedVersion is { } expected && expected != (current ?? 0))
            {
                return new WriteResult(WriteStatus.Conflict, current ?? 0);
            }

            if (StoreChecks.AttributeProblem(profile) is { } problem)
            {
                return new WriteResult(WriteStatus.Refused, current ?? 0, problem.Field + ": " + problem.Message + " (" + problem.Code + ")");
            }

            foreach (var (field, kind, value) in StoreChecks.SuppressibleContactPoints(profile.ContactPoints))
            {
                if (FindSuppression(transaction, kind, value) is { } suppressed)
                {
                    return new WriteResult(WriteStatus.Refused, current ?? 0, field + ": " + StoreChecks.SuppressedMessage(kind, suppressed));
                }
            }

            return new WriteResult(WriteStatus.Written, UpsertFacts(transaction, profile, facts, current));
        }, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<WriteResult> AppendConsentAsync(string customerId, IReadOnlyList<ConsentRecord> records, long? expectedVersion = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(customerId);
        ArgumentNullException.ThrowIfNull(records);
        StoreChecks.ThrowIfInvalid(records);
        cancellationToken.ThrowIfCancellationRequested();
        return WriteAsync(transaction =>
        {
            if (VersionOf(transaction, customerId) is not { } current)
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

            AppendConsents(transaction, customerId, NextConsentSeq(transaction, customerId), records);
            return new WriteResult(WriteStatus.Written, BumpVersion(transaction, customerId));
        }, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// One share per run covering every customer, claimed within this store object (<see cref="WorkRequest.ShareSize"/>
    /// is ignored). Two processes on one file each run the whole run; the unique keys and customer versions keep every
    /// message to one. Several machines: use the PostgreSQL store.
    /// </remarks>
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

    private ImportResult Import(SqliteTransaction transaction, IReadOnlyList<CustomerProfile> customers, byte[][] facts, CancellationToken cancellationToken)
    {
        var errors = new List<ImportError>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var checkSuppression = HasSuppressions(transaction);
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

            if (checkSuppression)
            {
                foreach (var (field, kind, value) in StoreChecks.SuppressibleContactPoints(customer.ContactPoints))
                {
                    if (FindSuppression(transaction, kind, value) is { } entry)
                    {
                        errors.Add(new ImportError(i, customer.Id, field, StoreCodes.Suppressed(entry.Reason), StoreChecks.SuppressedMessage(kind, entry)));
                    }
                }
            }
        }

        if (errors.Count > 0)
        {
            return new ImportResult { Errors = errors };
        }

        int created = 0, updated = 0, consentsAdded = 0, historyAdded = 0;
        for (var i = 0; i < customers.Count; i++)
        {
            if ((i & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var customer = customers[i];
            var current = VersionOf(transaction, customer.Id);
            UpsertFacts(transaction, customer, facts[i], current);
            var records = customer.Consents.Records;
            var contacts = customer.History.Records;
            if (current is null)
            {
                created++;
                AppendConsents(transaction, customer.Id, 1, records);
                consentsAdded += records.Count;
                foreach (var record in contacts)
                {
                    InsertHistory(transaction, customer.Id, record, null);
                }

                historyAdded += contacts.Count;
                continue;
            }

            updated++;
            var (existingConsents, existingHistory) = ReadEvidence(transaction, customer.Id);
            var newConsents = records.Where(r => !existingConsents.Contains(r)).ToList();
            AppendConsents(transaction, customer.Id, NextConsentSeq(transaction, customer.Id), newConsents);
            consentsAdded += newConsents.Count;
            foreach (var record in contacts)
            {
                if (!existingHistory.Contains(record))
                {
                    InsertHistory(transaction, customer.Id, record, null);
                    historyAdded++;
                }
            }
        }

        return new ImportResult { Created = created, Updated = updated, ConsentRecordsAdded = consentsAdded, HistoryRecordsAdded = historyAdded };
    }

    /// <summary>A customer's row and its profile JSON (the narrow row and <c>customer_profiles</c>, joined on the id).</summary>
    private const string PageColumns = "SELECT c.id, c.version, p.profile, c.event_facts FROM customers c JOIN customer_profiles p ON p.id = c.id";

    private static readonly string[] ProfileColumnParameters = ["$id", "$stage", "$pinned", "$zone", "$flags", "$nps", "$birthday"];
    private static readonly string[] ProfileParameters = ["$id", "$profile"];

    /// <summary>How <see cref="WriteProfile"/> treats the customers row.</summary>
    private enum ProfileWrite
    {
        /// <summary>A new customer, at version 1.</summary>
        Insert,

        /// <summary>An existing customer whose version grows by one.</summary>
        Bump,

        /// <summary>An existing customer whose version the caller grows (or keeps).</summary>
        KeepVersion,
    }

    /// <summary>
    /// Writes a profile: its JSON to <c>customer_profiles</c> and the fields the screens read to the customers row's
    /// columns (migration 8), from the same profile in the same transaction, so the two never disagree.
    /// </summary>
    private void WriteProfile(SqliteTransaction transaction, string customerId, CustomerProfile profile, byte[] json, ProfileWrite write)
    {
        var command = Bound(
            write switch
            {
                ProfileWrite.Insert => "INSERT INTO customers (id, version, stage, stage_pinned, time_zone, service_flags, nps_score, birthday) VALUES ($id, 1, $stage, $pinned, $zone, $flags, $nps, $birthday)",
                ProfileWrite.Bump => "UPDATE customers SET version = version + 1, stage = $stage, stage_pinned = $pinned, time_zone = $zone, service_flags = $flags, nps_score = $nps, birthday = $birthday WHERE id = $id",
                _ => "UPDATE customers SET stage = $stage, stage_pinned = $pinned, time_zone = $zone, service_flags = $flags, nps_score = $nps, birthday = $birthday WHERE id = $id",
            },
            ProfileColumnParameters,
            transaction);
        var p = command.Parameters;
        p[0].Value = customerId;
        p[1].Value = (int)profile.Stage;
        p[2].Value = profile.StagePinned ? 1 : 0;
        p[3].Value = Serialization.CustomerJsonWriter.ZoneId(profile.TimeZone);
        p[4].Value = Events.TickScreen.FlagBits(profile.ServiceFlags);
        p[5].Value = SqliteRows.Db(profile.ServiceFlags.NpsScore);
        p[6].Value = profile.Attributes.TryGetValue("birthday", out var birthday) && birthday.ValueKind != System.Text.Json.JsonValueKind.Undefined ? RawUtf8(birthday) : DBNull.Value;
        command.ExecuteNonQuery();

        command = Bound(write == ProfileWrite.Insert ? "INSERT INTO customer_profiles (id, profile) VALUES ($id, $profile)" : "UPDATE customer_profiles SET profile = $profile WHERE id = $id", ProfileParameters, transaction);
        command.Parameters[0].Value = customerId;
        command.Parameters[1].Value = json;
        command.ExecuteNonQuery();
    }

    private long? VersionOf(SqliteTransaction transaction, string customerId)
    {
        var command = Writer("SELECT version FROM customers WHERE id = $id", transaction);
        command.Parameters.AddWithValue("$id", customerId);
        return command.ExecuteScalar() is long version ? version : null;
    }

    private long UpsertFacts(SqliteTransaction transaction, CustomerProfile profile, byte[] facts, long? current)
    {
        WriteProfile(transaction, profile.Id, profile, facts, current is null ? ProfileWrite.Insert : ProfileWrite.Bump);
        return (current ?? 0) + 1;
    }

    private long BumpVersion(SqliteTransaction transaction, string customerId)
    {
        var command = Writer("UPDATE customers SET version = version + 1 WHERE id = $id RETURNING version", transaction);
        command.Parameters.AddWithValue("$id", customerId);
        return (long)command.ExecuteScalar()!;
    }

    private long NextConsentSeq(SqliteTransaction transaction, string customerId)
    {
        var command = Writer("SELECT COALESCE(MAX(seq), 0) + 1 FROM consent_records WHERE customer_id = $id", transaction);
        command.Parameters.AddWithValue("$id", customerId);
        return (long)command.ExecuteScalar()!;
    }

    private void AppendConsents(SqliteTransaction transaction, string customerId, long firstSeq, IReadOnlyList<ConsentRecord> records)
    {
        for (var i = 0; i < records.Count; i++)
        {
            var command = Writer(SqliteRows.InsertConsent, transaction);
            SqliteRows.AddConsentParameters(command, customerId, firstSeq + i, records[i]);
            command.ExecuteNonQuery();
        }
    }

    private void InsertHistory(SqliteTransaction transaction, string customerId, ContactRecord record, string? key)
    {
        var command = Bound(SqliteRows.InsertHistory, SqliteRows.HistoryParameters, transaction);
        SqliteRows.SetHistory(command, customerId, record.SentAt, record.MessageId, record.Channel, record.Purpose, record.Kind, key);
        command.ExecuteNonQuery();
    }

    private (List<ConsentRecord> Consents, HashSet<ContactRecord> History) ReadEvidence(SqliteTransaction transaction, string customerId)
    {
        var consents = new List<ConsentRecord>();
        var command = Writer("SELECT " + StoreRows.ConsentColumns + " FROM consent_records WHERE customer_id = $id ORDER BY seq", transaction);
        command.Parameters.AddWithValue("$id", customerId);
        using (var data = command.ExecuteReader())
        {
            while (data.Read())
            {
                consents.Add(StoreRows.ReadConsent(data));
            }
        }

        var history = new HashSet<ContactRecord>();
        command = Writer(HistoryOf("customer_id = $id"), transaction);
        command.Parameters.AddWithValue("$id", customerId);
        using (var data = command.ExecuteReader())
        {
            while (data.Read())
            {
                history.Add(StoreRows.ReadHistory(data));
            }
        }

        return (consents, history);
    }

    /// <summary>The customers whose ids a JSON array bound to parameter 1 names (one statement per table, whatever the count).</summary>
    private const string IdsParameter = "(SELECT value FROM json_each(?1))";

    private List<StoredCustomer> ReadByIds(Reader reader, IReadOnlyList<string> ids)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        var strings = new Events.Utf8StringCache();
        var db = reader.Connection.Handle!;
        var idList = IdArray(ids);
        List<PageRow> rows;
        using (var statement = Prepare(db, PageColumns + " WHERE c.id IN " + IdsParameter))
        {
            Check(statement, raw.sqlite3_bind_text(statement, 1, idList.WrittenSpan));
            rows = ReadPage(statement, ids.Count, strings);
        }

        var consents = new Dictionary<string, ConsentRecord[]>(rows.Count, StringComparer.Ordinal);
        var history = new Dictionary<string, ContactRecord[]>(rows.Count, StringComparer.Ordinal);
        using (var statement = Prepare(db, "SELECT " + StoreRows.ConsentColumns + " FROM consent_records WHERE customer_id IN " + IdsParameter + " ORDER BY customer_id, seq"))
        {
            Check(statement, raw.sqlite3_bind_text(statement, 1, idList.WrittenSpan));
            ReadGrouped(statement, consents, strings, static row => StoreRows.ReadConsent(row));
        }

        using (var statement = Prepare(db, HistoryOf("customer_id IN " + IdsParameter)))
        {
            Check(statement, raw.sqlite3_bind_text(statement, 1, idList.WrittenSpan));
            ReadGrouped(statement, history, strings, static row => StoreRows.ReadHistory(row));
        }

        var result = new List<StoredCustomer>(rows.Count);
        foreach (var row in rows)
        {
            result.Add(Assemble(row, consents, history));
        }

        return result;
    }

    /// <summary>The ids as a JSON array of strings (UTF-8, in a buffer of this thread's, valid until its next call).</summary>
    private static System.Buffers.ArrayBufferWriter<byte> IdArray(IReadOnlyList<string> ids)
    {
        var buffer = t_idArray ??= new System.Buffers.ArrayBufferWriter<byte>(16 * 1024);
        buffer.ResetWrittenCount();
        var json = t_idWriter ??= new System.Text.Json.Utf8JsonWriter(buffer);
        json.Reset(buffer);
        json.WriteStartArray();
        foreach (var id in ids)
        {
            // An id that is not valid UTF-16 (a lone surrogate) names no stored customer: a stored id is valid text.
            if (System.Text.Ascii.IsValid(id) || IsValidUtf16(id))
            {
                json.WriteStringValue(id);
            }
        }

        json.WriteEndArray();
        json.Flush();
        return buffer;
    }

    private static bool IsValidUtf16(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }

    [ThreadStatic]
    private static System.Buffers.ArrayBufferWriter<byte>? t_idArray;

    [ThreadStatic]
    private static System.Text.Json.Utf8JsonWriter? t_idWriter;

    private const string ConsentRange = $"SELECT {StoreRows.ConsentColumns} FROM consent_records WHERE customer_id BETWEEN $first AND $last ORDER BY customer_id, seq";
    private static readonly string HistoryRange = HistoryOf("customer_id BETWEEN $first AND $last");

    // A resumed run decides without its own sends: its delivery log entries (since migration 17 no history row repeats a
    // logged message, so the history rows are read whole).
    private static readonly string HistoryRangeWithoutRun = HistoryOf(
        "customer_id BETWEEN $first AND $last",
        "customer_id BETWEEN $first AND $last AND run_id IS NOT $run");

    /// <summary>
    /// The contact history of the customers a condition on <c>customer_id</c> selects, in <see cref="StoreRows.HistoryColumns"/>
    /// ordered by customer and instant (ADR 0083): the rows of <c>contact_history</c> (imported records) merged with every
    /// delivery log entry that names the customer (a logged message's history record is its entry). Both are read along an
    /// index on (customer, instant) and merged without a sort (the entries from their index alone: it holds the history's
    /// columns); at one instant the history rows come first, then the entries in the order written.
    /// </summary>
    private static string HistoryOf(string condition, string? deliveryCondition = null)
        => $"SELECT {StoreRows.HistoryColumns} FROM contact_history WHERE {condition}"
            + $" UNION ALL SELECT {StoreRows.HistoryColumns} FROM delivery_log WHERE {deliveryCondition ?? condition}"
            + " ORDER BY customer_id, sent_at";

    private static void ReadRange(PageReader reader, List<PageEntry> page, string? excludeRun, ConsentRecord[]?[] consents, ContactRecord[]?[] history, Events.Utf8StringCache strings)
    {
        var first = page[0].Id;
        var last = page[^1].Id;
        var statement = reader.Statement(ConsentRange);
        try
        {
            Bind(statement, "$first", first);
            Bind(statement, "$last", last);
            ReadAlongPage(statement, page, consents, strings, static row => StoreRows.ReadConsent(row));
        }
        finally
        {
            PageReader.Done(statement);
        }

        statement = reader.Statement(excludeRun is null ? HistoryRange : HistoryRangeWithoutRun);
        try
        {
            Bind(statement, "$first", first);
            Bind(statement, "$last", last);
            Bind(statement, "$run", excludeRun);
            ReadAlongPage(statement, page, history, strings, static row => StoreRows.ReadHistory(row));
        }
        finally
        {
            PageReader.Done(statement);
        }
    }

    /// <summary>
    /// Reads rows ordered by customer (column 0, in the page's order: both sorted by the id's bytes) into one array per
    /// customer of the page, at the customer's place (<paramref name="into"/>[i] for the page's i-th customer; left
    /// <see langword="null"/> when it has no rows). The page is walked alongside the rows, so each customer is found by
    /// comparing the ids from where the last one was found; rows of an id not on the page (none, in one snapshot of a
    /// contiguous range) are skipped.
    /// </summary>
    private static void ReadAlongPage<T>(sqlite3_stmt statement, List<PageEntry> page, T[]?[] into, Events.Utf8StringCache strings, Func<SqliteRow, T> read)
    {
        var row = new SqliteRow(statement, strings);
        var current = new List<T>();
        string? currentId = null;
        var at = -1;
        var next = 0;
        while (Next(statement))
        {
            var id = row.String(0);
            if (!string.Equals(id, currentId, StringComparison.Ordinal))
            {
                if (at >= 0)
                {
                    into[at] = [.. current];
                }

                current.Clear();
                currentId = id;
                at = -1;
                for (var i = next; i < page.Count; i++)
                {
                    if (string.Equals(page[i].Id, id, StringComparison.Ordinal))
                    {
                        at = i;
                        next = i + 1;
                        break;
                    }
                }
            }

            if (at >= 0)
            {
                current.Add(read(row));
            }
        }

        if (at >= 0)
        {
            into[at] = [.. current];
        }
    }

    /// <summary>
    /// Reads rows ordered by customer (column 0) into one array per customer, of exactly its rows: each customer's rows
    /// are gathered in one reused list and copied once (no list, and no growing array, per customer).
    /// </summary>
    private static void ReadGrouped<T>(sqlite3_stmt statement, Dictionary<string, T[]> into, Events.Utf8StringCache strings, Func<SqliteRow, T> read)
    {
        var row = new SqliteRow(statement, strings);
        var current = new List<T>();
        string? currentId = null;
        while (Next(statement))
        {
            var id = row.String(0);
            if (!string.Equals(id, currentId, StringComparison.Ordinal))
            {
                if (currentId is not null)
                {
                    into[currentId] = [.. current];
                    current.Clear();
                }

                currentId = id;
            }

            current.Add(read(row));
        }

        if (currentId is not null)
        {
            into[currentId] = [.. current];
        }
    }

    /// <summary>Steps a <see cref="PageColumns"/> query: each profile is read from the bytes SQLite holds (no copy of the row).</summary>
    private List<PageRow> ReadPage(sqlite3_stmt statement, int capacity, Events.Utf8StringCache strings)
    {
        var rows = new List<PageRow>(capacity);
        var row = new SqliteRow(statement, strings);
        while (Next(statement))
        {
            var id = System.Text.Encoding.UTF8.GetString(row.Blob(0));
            if (!_json.TryReadCustomer(row.Blob(2), out var profile, out var errors))
            {
                throw new SqliteStoreException($"{Path}: customer '{id}' cannot be read: {string.Join("; ", errors)}. Open the store with the channels it was written with (SqliteStoreOptions.Channels).");
            }

            var facts = row.IsNull(3) ? Events.CustomerFacts.Empty : Events.StoredFacts.Read(row.Blob(3), strings);
            rows.Add(new PageRow(id, row.Int64(1), profile, facts));
        }

        return rows;
    }

    /// <summary>
    /// Steps a <see cref="PageColumns"/> query, copying each profile's bytes into <paramref name="profiles"/> (read once
    /// the page's evidence and history are read, so each profile is built once, with them).
    /// </summary>
    private static List<PageEntry> ReadPageEntries(sqlite3_stmt statement, int capacity, Events.Utf8StringCache strings, System.Buffers.ArrayBufferWriter<byte> profiles)
    {
        var rows = new List<PageEntry>(capacity);
        var row = new SqliteRow(statement, strings);
        while (Next(statement))
        {
            var id = System.Text.Encoding.UTF8.GetString(row.Blob(0));
            var profile = row.Blob(2);
            var start = profiles.WrittenCount;
            profile.CopyTo(profiles.GetSpan(profile.Length));
            profiles.Advance(profile.Length);
            var facts = row.IsNull(3) ? Events.CustomerFacts.Empty : Events.StoredFacts.Read(row.Blob(3), strings);
            rows.Add(new PageEntry(id, row.Int64(1), start, profile.Length, facts));
        }

        return rows;
    }

    /// <summary>Reads one profile of a page with the parts kept beside its JSON.</summary>
    private CustomerProfile ReadProfile(string id, ReadOnlySpan<byte> json, Serialization.StoredParts parts)
        => _json.TryReadStoredCustomer(json, parts, out var profile, out var errors)
            ? profile
            : throw new SqliteStoreException($"{Path}: customer '{id}' cannot be read: {string.Join("; ", errors)}. Open the store with the channels it was written with (SqliteStoreOptions.Channels).");

    /// <summary>The most bytes of profiles a thread keeps for its next page (a larger page's buffer is let go).</summary>
    private const int KeptProfileBytes = 4 * 1024 * 1024;

    [ThreadStatic]
    private static System.Buffers.ArrayBufferWriter<byte>? t_profiles;

    private static System.Buffers.ArrayBufferWriter<byte> TakeProfileBuffer()
    {
        var buffer = t_profiles ?? new System.Buffers.ArrayBufferWriter<byte>(256 * 1024);
        t_profiles = null;
        buffer.ResetWrittenCount();
        return buffer;
    }

    private static void ReturnProfileBuffer(System.Buffers.ArrayBufferWriter<byte> buffer)
    {
        if (buffer.Capacity <= KeptProfileBytes)
        {
            t_profiles = buffer;
        }
    }

    /// <summary>Prepares a statement on a connection in SQLite's own API (the caller disposes it).</summary>
    private static sqlite3_stmt Prepare(sqlite3 db, string sql)
    {
        var code = raw.sqlite3_prepare_v2(db, sql, out var statement);
        if (code != raw.SQLITE_OK)
        {
            statement.Dispose();
            SqliteException.ThrowExceptionForRC(code, db);
        }

        return statement;
    }

    /// <summary>Steps a statement: <see langword="true"/> on a row, <see langword="false"/> when done; an error throws.</summary>
    private static bool Next(sqlite3_stmt statement)
    {
        var handle = SqliteNative.Handle(statement);
        var code = handle != 0 ? SqliteNative.Step(handle) : raw.sqlite3_step(statement);
        if (code == raw.SQLITE_ROW)
        {
            return true;
        }

        if (code != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(code, raw.sqlite3_db_handle(statement));
        }

        return false;
    }

    /// <summary>Binds a named text parameter when the statement has it (a <see langword="null"/> value leaves it unbound).</summary>
    private static void Bind(sqlite3_stmt statement, string name, string? value)
    {
        if (value is not null && raw.sqlite3_bind_parameter_index(statement, name) is > 0 and var index)
        {
            Check(statement, raw.sqlite3_bind_text(statement, index, value));
        }
    }

    private static void Bind(sqlite3_stmt statement, string name, long value)
        => Check(statement, raw.sqlite3_bind_int64(statement, raw.sqlite3_bind_parameter_index(statement, name), value));

    private static StoredCustomer Assemble(PageRow row, Dictionary<string, ConsentRecord[]> consents, Dictionary<string, ContactRecord[]> history)
        => new(
            row.Profile with
            {
                Facts = row.Facts,
                Consents = consents.TryGetValue(row.Id, out var records) ? ConsentLedger.FromStore(records) : ConsentLedger.Empty,
                History = history.TryGetValue(row.Id, out var contacts) ? ContactHistory.FromSorted(contacts) : ContactHistory.Empty,
            },
            row.Version);

    /// <summary>A customers row of a page, its profile's bytes at <c>Start</c> in the page's profile buffer.</summary>
    private readonly record struct PageEntry(string Id, long Version, int Start, int Length, Events.CustomerFacts Facts);

    /// <summary>A customers row read with its profile (<see cref="PageColumns"/>).</summary>
    private readonly record struct PageRow(string Id, long Version, CustomerProfile Profile, Events.CustomerFacts Facts);
}
