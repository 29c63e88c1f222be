using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using Personalize.Events;
using Personalize.Storage;

namespace Personalize.Sqlite;

public sealed partial class SqlitePersonalizeStore : IScreenReader
{
    /// <inheritdoc />
    public ValueTask<IReadOnlyCollection<string>> FindEventsAsync(IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventIds);
        cancellationToken.ThrowIfCancellationRequested();
        var known = new HashSet<string>(StringComparer.Ordinal);
        var ids = eventIds.Where(static id => id is not null).Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count == 0)
        {
            return new(known);
        }

        // On the writer connection: its cache holds the events index pages the last batches wrote, where a pooled reader
        // would start cold after every commit. One statement of 500 positional parameters, prepared once and stepped
        // through SQLite's own API (a short chunk binds NULLs).
        ReadOnWriter(
            () =>
            {
                var db = _writer.Handle!;
                var statement = Statement(FindEventsSql);
                foreach (var chunk in ids.Chunk(FindEventsChunk))
                {
                    for (var i = 0; i < chunk.Length; i++)
                    {
                        BindText(statement, i + 1, chunk[i]);
                    }

                    try
                    {
                        int step;
                        while ((step = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
                        {
                            known.Add(raw.sqlite3_column_text(statement, 0).utf8_to_string());
                        }

                        if (step != raw.SQLITE_DONE)
                        {
                            SqliteException.ThrowExceptionForRC(step, db);
                        }
                    }
                    finally
                    {
                        raw.sqlite3_reset(statement);
                        raw.sqlite3_clear_bindings(statement);
                    }
                }

                return 0;
            },
            cancellationToken);
        return new(known);
    }

    /// <inheritdoc />
    public ValueTask<StorePage<CustomerEvent>> ReadEventsAsync(EventQuery query, CancellationToken cancellationToken = default)
    {
        EventQuery.ThrowIfInvalid(query);
        cancellationToken.ThrowIfCancellationRequested();
        if (EventQuery.Sql(query, "SELECT id, type, customer_id, occurred_at, data FROM events", arrays: false, out var filter) is not { } sql)
        {
            return new(new StorePage<CustomerEvent>([], null));
        }

        using var reader = OpenReader();
        using var command = reader.Command(sql);
        filter.BindTo(command);
        var rows = new List<CustomerEvent>();
        using (var data = command.ExecuteReader())
        {
            while (data.Read())
            {
                rows.Add(new CustomerEvent
                {
                    Id = data.GetString(0),
                    Type = data.GetString(1),
                    CustomerId = data.GetString(2),
                    OccurredAt = new DateTimeOffset(data.GetInt64(3), TimeSpan.Zero),
                    Data = data.IsDBNull(4) ? default : ParseData((byte[])data.GetValue(4)),
                });
            }
        }

        return new(StoreCursor.Page(rows, query.Limit, static e => StoreCursor.Format(e.OccurredAt, e.Id)));
    }

    /// <inheritdoc />
    public ValueTask<StorePage<CustomerChange>> ReadChangesAsync(ChangeQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        cancellationToken.ThrowIfCancellationRequested();
        var after = StoreCursor.Parse(query.ContinueAfter);
        var sql = new StringBuilder("SELECT seq, customer_id, kind, from_value, to_value, at, cause, event_id FROM customer_changes WHERE 1 = 1");
        if (query.CustomerId is not null)
        {
            sql.Append(" AND customer_id = $customer");
        }

        if (query.Kind is not null)
        {
            sql.Append(" AND kind = $kind");
        }

        if (query.Since is not null)
        {
            sql.Append(" AND at >= $since");
        }

        if (after is not null)
        {
            // The key is the customer id and the sequence (see ChangeKey): compare both after the instant.
            sql.Append(" AND (at > $afterTicks OR (at = $afterTicks AND (customer_id > $afterCustomer OR (customer_id = $afterCustomer AND seq > $afterSeq))))");
        }

        sql.Append(" ORDER BY at, customer_id, seq LIMIT $limit");
        using var reader = OpenReader();
        using var command = reader.Command(sql.ToString());
        if (query.CustomerId is not null)
        {
            command.Parameters.AddWithValue("$customer", query.CustomerId);
        }

        if (query.Kind is not null)
        {
            command.Parameters.AddWithValue("$kind", query.Kind);
        }

        if (query.Since is { } since)
        {
            command.Parameters.AddWithValue("$since", since.UtcTicks);
        }

        if (after is { } cursor)
        {
            var separator = cursor.Key.LastIndexOf('\u001f');
            if (separator <= 0 || !long.TryParse(cursor.Key.AsSpan(separator + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seq))
            {
                throw new ArgumentException($"'{query.ContinueAfter}' is not a continuation token of the changes; pass the ContinueAfter of the previous page.", nameof(query));
            }

            command.Parameters.AddWithValue("$afterTicks", cursor.Ticks);
            command.Parameters.AddWithValue("$afterCustomer", cursor.Key[..separator]);
            command.Parameters.AddWithValue("$afterSeq", seq);
        }

        command.Parameters.AddWithValue("$limit", query.Limit + 1);
        var rows = new List<(CustomerChange Change, long Seq)>();
        using (var data = command.ExecuteReader())
        {
            while (data.Read())
            {
                rows.Add((new CustomerChange
                {
                    CustomerId = data.GetString(1),
                    Kind = data.GetString(2),
                    From = data.IsDBNull(3) ? null : data.GetString(3),
                    To = data.GetString(4),
                    At = new DateTimeOffset(data.GetInt64(5), TimeSpan.Zero),
                    Cause = data.GetString(6),
                    EventId = data.IsDBNull(7) ? null : data.GetString(7),
                }, data.GetInt64(0)));
            }
        }

        var page = StoreCursor.Page(rows, query.Limit, static c => StoreCursor.Format(c.Change.At, InMemoryPersonalizeStore.ChangeKey(c.Change.CustomerId, c.Seq)));
        return new(new StorePage<CustomerChange>(page.Items.Select(static c => c.Change).ToList(), page.ContinueAfter));
    }

    /// <inheritdoc />
    ValueTask<StorePage<TickRow>> IScreenReader.ReadTickPageAsync(CustomerQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        cancellationToken.ThrowIfCancellationRequested();

        using var reader = OpenReader();
        var rows = new List<TickRow>(Math.Min(query.Limit, 4096) + 1);
        var strings = new Utf8StringCache();
        ReadScreens(
            reader.Connection.Handle!,
            query.ContinueAfter is null ? ScreenColumns + " ORDER BY id LIMIT ?1" : ScreenColumns + " WHERE id > ?2 ORDER BY id LIMIT ?1",
            statement =>
            {
                Check(statement, raw.sqlite3_bind_int64(statement, 1, query.Limit + 1L));
                if (query.ContinueAfter is { } after)
                {
                    Check(statement, raw.sqlite3_bind_text(statement, 2, after));
                }
            },
            rows,
            strings);
        return new(Page(rows, query.Limit));
    }

    /// <inheritdoc />
    ValueTask<IReadOnlyList<TickRow>> IScreenReader.ReadScreensAsync(IReadOnlyCollection<string> customerIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(customerIds);
        cancellationToken.ThrowIfCancellationRequested();
        var ids = customerIds.Where(static id => id is not null).Distinct(StringComparer.Ordinal).ToList();
        var rows = new List<TickRow>(ids.Count);
        if (ids.Count == 0)
        {
            return new(rows);
        }

        // On the writer connection, as FindEventsAsync: the customers a stream of events touches are in its cache. One
        // statement of 500 positional parameters, prepared once (a short chunk binds NULLs).
        var strings = new Utf8StringCache();
        return new(ReadOnWriter(
            () =>
            {
                var statement = Statement(ScreensByIdSql);
                foreach (var chunk in ids.Chunk(FindEventsChunk))
                {
                    for (var i = 0; i < chunk.Length; i++)
                    {
                        BindText(statement, i + 1, chunk[i]);
                    }

                    try
                    {
                        StepScreens(statement, rows, strings);
                    }
                    finally
                    {
                        raw.sqlite3_reset(statement);
                        raw.sqlite3_clear_bindings(statement);
                    }
                }

                return (IReadOnlyList<TickRow>)rows;
            },
            cancellationToken));
    }

    private const int FindEventsChunk = 500;

    // Positional parameters ?1..?500: bound by position, SQLite does not search parameter names per bind.
    private static readonly string InChunk = "(" + string.Join(", ", Enumerable.Range(1, FindEventsChunk).Select(static i => "?" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))) + ")";
    private static readonly string ScreensByIdSql = ScreenColumns + " WHERE id IN " + InChunk;
    private static readonly string FindEventsSql = "SELECT id FROM events WHERE id IN " + InChunk;

    /// <summary>Runs a read on the writer connection, between writes (outside any transaction: each statement sees the last commit).</summary>
    private T ReadOnWriter<T>(Func<T> read, CancellationToken cancellationToken)
    {
        _writeGate.Wait(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return read();
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private const string ScreenColumns = "SELECT id, version, event_facts, stage, stage_pinned, time_zone, service_flags, nps_score, birthday FROM customers";

    /// <summary>
    /// Steps a screening query (<see cref="ScreenColumns"/>) through SQLite's own API: the customers row holds only the
    /// screened columns (the profile JSON is in <c>customer_profiles</c>), and each row's facts are read where SQLite
    /// holds them, so a read allocates only what it keeps.
    /// </summary>
    private static void ReadScreens(sqlite3 db, string sql, Action<sqlite3_stmt> bind, List<TickRow> rows, Utf8StringCache strings)
    {
        if (raw.sqlite3_prepare_v2(db, sql, out var statement) is var prepared && prepared != raw.SQLITE_OK)
        {
            statement.Dispose();
            SqliteException.ThrowExceptionForRC(prepared, db);
        }

        using (statement)
        {
            bind(statement);
            StepScreens(statement, rows, strings);
        }
    }

    /// <summary>Steps a bound screening statement to its end, adding a row per customer.</summary>
    private static void StepScreens(sqlite3_stmt statement, List<TickRow> rows, Utf8StringCache strings)
    {
        int step;
        while ((step = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
        {
            var id = raw.sqlite3_column_text(statement, 0).utf8_to_string();
            var facts = raw.sqlite3_column_type(statement, 2) == raw.SQLITE_NULL ? CustomerFacts.Empty : StoredFacts.Read(raw.sqlite3_column_blob(statement, 2), strings);
            var profile = TickScreen.Profile(
                id,
                facts,
                raw.sqlite3_column_int64(statement, 3),
                raw.sqlite3_column_int64(statement, 4) != 0,
                strings.Get(raw.sqlite3_column_blob(statement, 5)),
                raw.sqlite3_column_int64(statement, 6),
                raw.sqlite3_column_type(statement, 7) == raw.SQLITE_NULL ? null : raw.sqlite3_column_int64(statement, 7),
                raw.sqlite3_column_blob(statement, 8));
            rows.Add(new TickRow(id, profile is null ? null : new StoredCustomer(profile, raw.sqlite3_column_int64(statement, 1))));
        }

        if (step != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(step, raw.sqlite3_db_handle(statement));
        }
    }

    private static StorePage<TickRow> Page(List<TickRow> rows, int limit)
    {
        var more = rows.Count > limit;
        if (more)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        return new StorePage<TickRow>(rows, more ? rows[^1].Id : null);
    }

    private static void Check(sqlite3_stmt statement, int code)
    {
        if (code != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(code, raw.sqlite3_db_handle(statement));
        }
    }

    // The hot statements of event ingestion run once per event or change: their parameters are made once (see Bound).
    private static readonly string[] EventIdParameter = ["$id"];
    private static readonly string[] FactsParameters = ["$id", "$facts"];
    private static readonly string[] StageParameters = ["$id", "$stage"];
    private static readonly string[] EventParameters = ["$id", "$customer", "$type", "$at", "$data"];

    /// <summary>An event's data as the UTF-8 JSON it was read from (one copy, no intermediate string where the runtime allows).</summary>
    private static byte[] RawUtf8(JsonElement data)
    {
#if NET9_0_OR_GREATER
        return System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(data).ToArray();
#else
        return Encoding.UTF8.GetBytes(data.GetRawText());
#endif
    }

    private static JsonElement ParseData(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private const string InsertEventSql = "INSERT INTO events (id, customer_id, type, occurred_at, data) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (id) DO NOTHING";
    private const string DeleteEventSql = "DELETE FROM events WHERE id = ?1";
    private const string VersionSql = "SELECT version FROM customers WHERE id = ?1";
    private const string InsertChangeSql = "INSERT INTO customer_changes (customer_id, kind, from_value, to_value, at, cause, event_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
    private const string WriteFactsSql = "UPDATE customers SET event_facts = ?2, version = version + 1 WHERE id = ?1 AND version = ?3";
    private const string WriteFactsAndStageSql = "UPDATE customers SET event_facts = ?2, stage = ?4, version = version + 1 WHERE id = ?1 AND version = ?3";

    // The profile JSON keeps the stage too (migration 8: the column and the JSON are written from the same profile): a
    // stage written alone is set in the JSON where it lies, by SQLite, without reading the profile into .NET. The JSON is
    // UTF-8 text in a BLOB column (a BLOB would be taken for SQLite's binary JSON), so it is read as text and stored back
    // as a BLOB.
    private const string WriteProfileStageSql = "UPDATE customer_profiles SET profile = CAST(json_set(CAST(profile AS TEXT), '$.stage', ?2) AS BLOB) WHERE id = ?1";

    /// <inheritdoc />
    bool IScreenReader.WritesStage => true;

    /// <summary>The facts of the entry being written (one buffer and JSON writer for the life of the store; used under the write gate).</summary>
    private readonly System.Buffers.ArrayBufferWriter<byte> _factsBuffer = new(1024);
    private Utf8JsonWriter? _factsWriter;

    /// <summary>Binds facts as the blob the general path writes (<see cref="StoredFacts"/>' bytes, written into the writer's buffer), or null for none.</summary>
    private void BindFacts(sqlite3_stmt statement, int index, CustomerFacts facts)
    {
        if (facts.Count == 0)
        {
            Check(statement, raw.sqlite3_bind_null(statement, index));
            return;
        }

        _factsBuffer.ResetWrittenCount();
        StoredFacts.Write(facts, _factsBuffer, ref _factsWriter);
        Check(statement, raw.sqlite3_bind_blob(statement, index, _factsBuffer.WrittenSpan));
    }

    /// <summary>
    /// The write of event ingestion, in two statements per customer and one per event, stepped through SQLite's own API
    /// with nothing allocated per row: an entry with events and their facts (and changes) against the version its screen
    /// read, and nothing else (a profile, consent evidence, sends or journeys take <see cref="Record(SqliteTransaction, CustomerSends, bool)"/>'s
    /// general path; so does an entry without an expected version; null then). The events are inserted first
    /// (<c>ON CONFLICT (id) DO NOTHING</c>; a customer that is gone is found by the version read or the facts update below — an ingestion-only write runs without SQLite's foreign key check, ADR 59 — or, on any other write, by the foreign key), then the facts replace the
    /// stored ones only if the version is still the one read, growing it; an event id the store holds (another ingester
    /// applied it meanwhile) or another version deletes the events this call inserted, and the entry is a conflict: the
    /// customer's part stays all or nothing, and the ingestor reads and applies it again.
    /// </summary>
    private CustomerSendsResult? RecordEvents(SqliteTransaction transaction, CustomerSends sends)
    {
        if (sends.ExpectedVersion is not { } expected || sends.Events.Count == 0
            || sends.Profile is not null || sends.Consents.Count > 0 || sends.Deliveries.Count > 0 || sends.Scheduled.Count > 0
            || sends.Completions.Count > 0 || sends.Journeys.Count > 0
            || (!sends.HasFacts && (sends.Stage is not null || sends.Changes.Count > 0)))
        {
            return null;
        }

        var facts = sends.Facts;
        if (facts is null)
        {
            // Events that change no fact (each older than the facts it would set): stored, the customer left as it is (the
            // version stays, as on the general path). The version is checked before anything is inserted.
            var read = Statement(VersionSql);
            BindText(read, 1, sends.CustomerId);
            long? current = null;
            try
            {
                var step = raw.sqlite3_step(read);
                if (step == raw.SQLITE_ROW)
                {
                    current = raw.sqlite3_column_int64(read, 0);
                }
                else if (step != raw.SQLITE_DONE)
                {
                    SqliteException.ThrowExceptionForRC(step, _writer.Handle);
                }
            }
            finally
            {
                raw.sqlite3_reset(read);
            }

            if (current != expected)
            {
                return current is { } other
                    ? new CustomerSendsResult(sends.CustomerId, WriteStatus.Conflict, other, [])
                    : new CustomerSendsResult(sends.CustomerId, WriteStatus.NotFound, 0, []);
            }
        }

        var insert = Statement(InsertEventSql);
        for (var i = 0; i < sends.Events.Count; i++)
        {
            var e = sends.Events[i];
            BindText(insert, 1, e.Id);
            BindText(insert, 2, sends.CustomerId);
            BindText(insert, 3, e.Type);
            BindInt64(insert, 4, e.OccurredAt.UtcTicks);
            Check(insert, e.Data.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? raw.sqlite3_bind_null(insert, 5) : raw.sqlite3_bind_blob(insert, 5, RawUtf8Span(e.Data)));
            int inserted;
            try
            {
                inserted = Step(insert);
            }
            catch (SqliteException ex) when (i == 0 && (ex.SqliteErrorCode & 0xFF) == raw.SQLITE_CONSTRAINT)
            {
                // The foreign key: the customer is gone (erased meanwhile); the general path says so.
                return null;
            }

            if (inserted == 0)
            {
                return Undo(i);
            }
        }

        if (facts is null)
        {
            return new CustomerSendsResult(sends.CustomerId, WriteStatus.Written, expected, []);
        }

        var write = Statement(sends.Stage is null ? WriteFactsSql : WriteFactsAndStageSql);
        BindText(write, 1, sends.CustomerId);
        BindFacts(write, 2, facts);
        BindInt64(write, 3, expected);
        if (sends.Stage is { } stage)
        {
            BindInt64(write, 4, (long)stage);
        }

        if (Step(write) == 0)
        {
            return Undo(sends.Events.Count);
        }

        if (sends.Stage is { } written)
        {
            WriteStageJson(sends.CustomerId, written);
        }

        InsertChanges(sends);
        return new CustomerSendsResult(sends.CustomerId, WriteStatus.Written, expected + 1, []);

        // Deletes the first `inserted` events again; the entry is a conflict (or the customer is gone meanwhile).
        CustomerSendsResult Undo(int inserted)
        {
            var delete = Statement(DeleteEventSql);
            for (var j = 0; j < inserted; j++)
            {
                BindText(delete, 1, sends.Events[j].Id);
                Step(delete);
            }

            return VersionOf(transaction, sends.CustomerId) is { } current
                ? new CustomerSendsResult(sends.CustomerId, WriteStatus.Conflict, current, [])
                : new CustomerSendsResult(sends.CustomerId, WriteStatus.NotFound, 0, []);
        }
    }

    /// <summary>An event's data as the UTF-8 JSON it was read from (no copy where the runtime allows).</summary>
    private static ReadOnlySpan<byte> RawUtf8Span(JsonElement data)
    {
#if NET9_0_OR_GREATER
        return System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(data);
#else
        return RawUtf8(data);
#endif
    }

    /// <summary>
    /// Inserts an entry's events before anything else of the customer is written, one statement per event: an id the
    /// store already holds (another ingester applied it meanwhile) inserts nothing, and then the events this call
    /// inserted are deleted again and the entry is a conflict (it is read and applied again), so a customer's part stays
    /// all or nothing without probing each id first.
    /// </summary>
    private bool InsertEvents(SqliteTransaction transaction, CustomerSends sends)
    {
        var command = Bound("INSERT INTO events (id, customer_id, type, occurred_at, data) VALUES ($id, $customer, $type, $at, $data) ON CONFLICT (id) DO NOTHING", EventParameters, transaction);
        var p = command.Parameters;
        for (var i = 0; i < sends.Events.Count; i++)
        {
            var e = sends.Events[i];
            p[0].Value = e.Id;
            p[1].Value = sends.CustomerId;
            p[2].Value = e.Type;
            p[3].Value = e.OccurredAt.UtcTicks;
            p[4].Value = e.Data.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? DBNull.Value : RawUtf8(e.Data);
            if (command.ExecuteNonQuery() == 0)
            {
                var undo = Bound("DELETE FROM events WHERE id = $id", EventIdParameter, transaction);
                for (var j = 0; j < i; j++)
                {
                    undo.Parameters[0].Value = sends.Events[j].Id;
                    undo.ExecuteNonQuery();
                }

                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Writes an entry's profile, facts and changes (its events are in: <see cref="InsertEvents"/>). Returns whether the customer's version must grow;
    /// <paramref name="version"/> is the new version when the facts' update already grew it (the customers row is
    /// rewritten once, not once for the facts and again for the version: a row holds the profile and the facts, and
    /// SQLite rewrites all of it, overflow pages included, on any update).
    /// </summary>
    private bool WriteEvents(SqliteTransaction transaction, CustomerSends sends, bool bumped, out long? version)
    {
        var changed = false;
        version = null;
        if (sends.Profile is { } profile)
        {
            WriteProfile(transaction, sends.CustomerId, profile, _json.WriteCustomer(StoreChecks.FactsOf(profile)), ProfileWrite.KeepVersion);
            changed = true;
        }

        if (sends.Stage is { } stage)
        {
            // A stage alone (the ingestor's screened customer) on the general path: the column and the profile JSON.
            var command = Bound("UPDATE customers SET stage = $stage WHERE id = $id", StageParameters, transaction);
            command.Parameters[0].Value = sends.CustomerId;
            command.Parameters[1].Value = (int)stage;
            command.ExecuteNonQuery();
            WriteStageJson(sends.CustomerId, stage);
            changed = true;
        }

        if (sends.Facts is { } facts)
        {
            var command = Bound(bumped ? "UPDATE customers SET event_facts = $facts WHERE id = $id RETURNING version" : "UPDATE customers SET event_facts = $facts, version = version + 1 WHERE id = $id RETURNING version", FactsParameters, transaction);
            command.Parameters[0].Value = sends.CustomerId;
            command.Parameters[1].Value = facts.Count == 0 ? DBNull.Value : StoredFacts.ToBytes(facts);
            var written = (long)command.ExecuteScalar()!;
            version = bumped ? null : written;
            changed = true;
        }

        if (sends.Consents.Count > 0)
        {
            AppendConsents(transaction, sends.CustomerId, NextConsentSeq(transaction, sends.CustomerId), sends.Consents);
            changed = true;
        }

        InsertChanges(sends);
        return changed;
    }

    /// <summary>Sets the stage in a customer's profile JSON (<see cref="WriteProfileStageSql"/>).</summary>
    private void WriteStageJson(string customerId, LifecycleStage stage)
    {
        var statement = Statement(WriteProfileStageSql);
        BindText(statement, 1, customerId);
        BindText(statement, 2, Customers.CustomerModel.StageName(stage));
        Step(statement);
    }

    /// <summary>Records an entry's stage and tier changes (a prepared statement of the writer, bound by position).</summary>
    private void InsertChanges(CustomerSends sends)
    {
        if (sends.Changes.Count == 0)
        {
            return;
        }

        var insert = Statement(InsertChangeSql);
        foreach (var change in sends.Changes)
        {
            BindText(insert, 1, sends.CustomerId);
            BindText(insert, 2, change.Kind);
            BindText(insert, 3, change.From);
            BindText(insert, 4, change.To);
            BindInt64(insert, 5, change.At.UtcTicks);
            BindText(insert, 6, change.Cause);
            BindText(insert, 7, change.EventId);
            Step(insert);
        }
    }
}
