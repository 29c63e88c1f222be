using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using Personalize.Events;
using Personalize.Storage;

namespace Personalize.Sqlite;

public sealed partial class SqlitePersonalizeStore : ITickReader
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

        using var reader = OpenReader();
        foreach (var chunk in ids.Chunk(500))
        {
            var names = string.Join(", ", chunk.Select((_, i) => "$p" + i));
            using var command = reader.Command($"SELECT id FROM events WHERE id IN ({names})");
            AddIds(command, chunk);
            using var data = command.ExecuteReader();
            while (data.Read())
            {
                known.Add(data.GetString(0));
            }
        }

        return new(known);
    }

    /// <inheritdoc />
    public ValueTask<StorePage<CustomerEvent>> ReadEventsAsync(EventQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        cancellationToken.ThrowIfCancellationRequested();
        var after = StoreCursor.Parse(query.ContinueAfter);
        var sql = new StringBuilder("SELECT id, type, customer_id, occurred_at, data FROM events WHERE 1 = 1");
        var ids = query.Ids?.Where(static id => id is not null).Distinct(StringComparer.Ordinal).ToList();
        if (ids is not null)
        {
            if (ids.Count == 0)
            {
                return new(new StorePage<CustomerEvent>([], null));
            }

            sql.Append(" AND id IN (").Append(string.Join(", ", ids.Select((_, i) => "$p" + i))).Append(')');
        }

        if (query.CustomerId is not null)
        {
            sql.Append(" AND customer_id = $customer");
        }

        if (after is not null)
        {
            sql.Append(" AND (occurred_at > $afterTicks OR (occurred_at = $afterTicks AND id > $afterKey))");
        }

        sql.Append(" ORDER BY occurred_at, id LIMIT $limit");
        using var reader = OpenReader();
        using var command = reader.Command(sql.ToString());
        AddFilters(command, query.CustomerId, null, after, query.Limit);
        if (ids is not null)
        {
            AddIds(command, ids);
        }

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
    ValueTask<StorePage<TickRow>> ITickReader.ReadTickPageAsync(CustomerQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        cancellationToken.ThrowIfCancellationRequested();

        const string Columns = "SELECT id, version, event_facts, facts FROM customers";
        using var reader = OpenReader();

        // The statement is stepped through SQLite's own API: each row's blobs are screened where SQLite holds them, so a
        // page allocates only what it keeps (ids, facts), not a copy of every profile.
        var db = reader.Connection.Handle!;
        Check(db, raw.sqlite3_prepare_v2(db, query.ContinueAfter is null ? Columns + " ORDER BY id LIMIT ?1" : Columns + " WHERE id > ?2 ORDER BY id LIMIT ?1", out var statement));
        using (statement)
        {
            Check(db, raw.sqlite3_bind_int64(statement, 1, query.Limit + 1L));
            if (query.ContinueAfter is { } after)
            {
                Check(db, raw.sqlite3_bind_text(statement, 2, after));
            }

            var rows = new List<TickRow>(Math.Min(query.Limit, 4096) + 1);
            var strings = new Utf8StringCache();
            int step;
            while ((step = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
            {
                var id = raw.sqlite3_column_text(statement, 0).utf8_to_string();
                var facts = raw.sqlite3_column_type(statement, 2) == raw.SQLITE_NULL ? CustomerFacts.Empty : CustomerFacts.FromJson(raw.sqlite3_column_blob(statement, 2), strings);
                var profile = TickScreen.Profile(id, facts, raw.sqlite3_column_blob(statement, 3));
                rows.Add(new TickRow(id, profile is null ? null : new StoredCustomer(profile, raw.sqlite3_column_int64(statement, 1))));
            }

            Check(db, step == raw.SQLITE_DONE ? raw.SQLITE_OK : step);
            return new(Page(rows, query.Limit));
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

    private static void Check(sqlite3 db, int code)
    {
        if (code != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(code, db);
        }
    }

    private static JsonElement ParseData(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private bool AnyEventExists(SqliteTransaction transaction, IReadOnlyList<CustomerEvent> events)
    {
        foreach (var e in events)
        {
            var command = Writer("SELECT 1 FROM events WHERE id = $id", transaction);
            command.Parameters.AddWithValue("$id", e.Id);
            if (command.ExecuteScalar() is not null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Writes an entry's profile, facts, events and changes. Returns whether the customer's version must grow.</summary>
    private bool WriteEvents(SqliteTransaction transaction, CustomerSends sends)
    {
        var changed = false;
        if (sends.Profile is { } profile)
        {
            var command = Writer("UPDATE customers SET facts = $facts WHERE id = $id", transaction);
            command.Parameters.AddWithValue("$id", sends.CustomerId);
            command.Parameters.AddWithValue("$facts", _json.WriteCustomer(StoreChecks.FactsOf(profile)));
            command.ExecuteNonQuery();
            changed = true;
        }

        if (sends.Facts is { } facts)
        {
            var command = Writer("UPDATE customers SET event_facts = $facts WHERE id = $id", transaction);
            command.Parameters.AddWithValue("$id", sends.CustomerId);
            command.Parameters.AddWithValue("$facts", facts.Count == 0 ? DBNull.Value : facts.ToJson());
            command.ExecuteNonQuery();
            changed = true;
        }

        if (sends.Consents.Count > 0)
        {
            AppendConsents(transaction, sends.CustomerId, NextConsentSeq(transaction, sends.CustomerId), sends.Consents);
            changed = true;
        }

        foreach (var e in sends.Events)
        {
            var command = Writer("INSERT INTO events (id, customer_id, type, occurred_at, data) VALUES ($id, $customer, $type, $at, $data)", transaction);
            command.Parameters.AddWithValue("$id", e.Id);
            command.Parameters.AddWithValue("$customer", sends.CustomerId);
            command.Parameters.AddWithValue("$type", e.Type);
            command.Parameters.AddWithValue("$at", e.OccurredAt.UtcTicks);
            command.Parameters.AddWithValue("$data", e.Data.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? DBNull.Value : Encoding.UTF8.GetBytes(e.Data.GetRawText()));
            command.ExecuteNonQuery();
        }

        foreach (var change in sends.Changes)
        {
            var command = Writer("INSERT INTO customer_changes (customer_id, kind, from_value, to_value, at, cause, event_id) VALUES ($customer, $kind, $from, $to, $at, $cause, $event)", transaction);
            command.Parameters.AddWithValue("$customer", sends.CustomerId);
            command.Parameters.AddWithValue("$kind", change.Kind);
            command.Parameters.AddWithValue("$from", SqliteRows.Db(change.From));
            command.Parameters.AddWithValue("$to", change.To);
            command.Parameters.AddWithValue("$at", change.At.UtcTicks);
            command.Parameters.AddWithValue("$cause", change.Cause);
            command.Parameters.AddWithValue("$event", SqliteRows.Db(change.EventId));
            command.ExecuteNonQuery();
        }

        return changed;
    }
}
