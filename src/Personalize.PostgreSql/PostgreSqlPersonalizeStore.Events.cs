using System.Text;
using System.Text.Json;
using Npgsql;
using Personalize.Events;
using Personalize.Storage;
using static Personalize.PostgreSql.PostgreSqlRows;
using static Personalize.Storage.StoreRows;

namespace Personalize.PostgreSql;

public sealed partial class PostgreSqlPersonalizeStore : IScreenReader
{
    /// <inheritdoc />
    public ValueTask<IReadOnlyCollection<string>> FindEventsAsync(IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventIds);
        var ids = eventIds.Where(static id => id is not null).Distinct(StringComparer.Ordinal).ToArray();
        if (ids.Length == 0)
        {
            return new((IReadOnlyCollection<string>)Array.Empty<string>());
        }

        return ReadAsync<IReadOnlyCollection<string>>(async (connection, transaction, token) =>
        {
            var known = new HashSet<string>(StringComparer.Ordinal);
            await using var command = Command(connection, transaction, $"SELECT id FROM {_sql.S}.events WHERE id = ANY(@ids)");
            Param(command.Parameters, "ids", ids);
            await using var data = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
            while (await data.ReadAsync(token).ConfigureAwait(false))
            {
                known.Add(data.GetString(0));
            }

            return known;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<StorePage<CustomerEvent>> ReadEventsAsync(EventQuery query, CancellationToken cancellationToken = default)
    {
        EventQuery.ThrowIfInvalid(query);
        if (EventQuery.Sql(query, $"SELECT id, type, customer_id, occurred_at, data FROM {_sql.S}.events", arrays: true, out var filter) is not { } sql)
        {
            return new(new StorePage<CustomerEvent>([], null));
        }

        return ReadAsync(async (connection, transaction, token) =>
        {
            await using var command = Command(connection, transaction, sql);
            filter.BindTo(command);
            var rows = new List<CustomerEvent>();
            await using var data = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
            while (await data.ReadAsync(token).ConfigureAwait(false))
            {
                rows.Add(new CustomerEvent
                {
                    Id = data.GetString(0),
                    Type = data.GetString(1),
                    CustomerId = data.GetString(2),
                    OccurredAt = Instant(data.GetInt64(3)),
                    Data = data.IsDBNull(4) ? default : ParseEventData(data.GetFieldValue<byte[]>(4)),
                });
            }

            return StoreCursor.Page(rows, query.Limit, static e => StoreCursor.Format(e.OccurredAt, e.Id));
        }, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<StorePage<CustomerChange>> ReadChangesAsync(ChangeQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        var after = StoreCursor.Parse(query.ContinueAfter);
        (string Customer, long Seq)? afterKey = null;
        if (after is { } parsed)
        {
            var separator = parsed.Key.LastIndexOf('\u001f');
            if (separator <= 0 || !long.TryParse(parsed.Key.AsSpan(separator + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seq))
            {
                throw new ArgumentException($"'{query.ContinueAfter}' is not a continuation token of the changes; pass the ContinueAfter of the previous page.", nameof(query));
            }

            afterKey = (parsed.Key[..separator], seq);
        }

        var sql = new StringBuilder($"SELECT seq, customer_id, kind, from_value, to_value, at, cause, event_id FROM {_sql.S}.customer_changes WHERE true");
        if (query.CustomerId is not null)
        {
            sql.Append(" AND customer_id = @customer");
        }

        if (query.Kind is not null)
        {
            sql.Append(" AND kind = @kind");
        }

        if (query.Since is not null)
        {
            sql.Append(" AND at >= @since");
        }

        if (after is not null)
        {
            sql.Append(" AND (at, customer_id, seq) > (@after_ticks, @after_customer, @after_seq)");
        }

        sql.Append(" ORDER BY at, customer_id, seq LIMIT @limit");
        return ReadAsync(async (connection, transaction, token) =>
        {
            await using var command = Command(connection, transaction, sql.ToString());
            if (query.CustomerId is not null)
            {
                Param(command.Parameters, "customer", query.CustomerId);
            }

            if (query.Kind is not null)
            {
                Param(command.Parameters, "kind", query.Kind);
            }

            if (query.Since is { } since)
            {
                Param(command.Parameters, "since", since.UtcTicks);
            }

            if (after is { } cursor)
            {
                Param(command.Parameters, "after_ticks", cursor.Ticks);
                Param(command.Parameters, "after_customer", afterKey!.Value.Customer);
                Param(command.Parameters, "after_seq", afterKey.Value.Seq);
            }

            Param(command.Parameters, "limit", query.Limit + 1);
            var rows = new List<(CustomerChange Change, long Seq)>();
            await using var data = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
            while (await data.ReadAsync(token).ConfigureAwait(false))
            {
                rows.Add((new CustomerChange
                {
                    CustomerId = data.GetString(1),
                    Kind = data.GetString(2),
                    From = NullableString(data, 3),
                    To = data.GetString(4),
                    At = Instant(data.GetInt64(5)),
                    Cause = data.GetString(6),
                    EventId = NullableString(data, 7),
                }, data.GetInt64(0)));
            }

            var page = StoreCursor.Page(rows, query.Limit, static c => StoreCursor.Format(c.Change.At, InMemoryPersonalizeStore.ChangeKey(c.Change.CustomerId, c.Seq)));
            return new StorePage<CustomerChange>(page.Items.Select(static c => c.Change).ToList(), page.ContinueAfter);
        }, cancellationToken);
    }

    private static JsonElement ParseEventData(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>The ids among the accepted entries' events that the store holds already.</summary>
    private async Task<HashSet<string>?> HeldEventsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<CustomerSends> entries, List<int> accepted, CancellationToken cancellationToken)
    {
        var ids = accepted.SelectMany(i => entries[i].Events).Select(static e => e.Id).ToArray();
        if (ids.Length == 0)
        {
            return null;
        }

        var held = new HashSet<string>(StringComparer.Ordinal);
        await using var command = Command(connection, transaction, $"SELECT id FROM {_sql.S}.events WHERE id = ANY(@ids)");
        Param(command.Parameters, "ids", ids);
        await using var data = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await data.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            held.Add(data.GetString(0));
        }

        return held;
    }

    /// <summary>Writes the accepted entries' profiles, facts (but those of <paramref name="askFacts"/>, which the deliveries' statement writes), events and changes; returns the entries whose version grew for it.</summary>
    private async Task<HashSet<int>> WriteEventsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<CustomerSends> entries, List<int> accepted, HashSet<int>? askFacts, CancellationToken cancellationToken)
    {
        var bumped = new HashSet<int>();
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var i in accepted)
        {
            var entry = entries[i];
            if ((entry.Profile is null && !entry.HasFacts && entry.Consents.Count == 0) || (askFacts?.Contains(i) ?? false))
            {
                continue;
            }

            if (entry.Consents.Count > 0)
            {
                // Consent evidence written with the rest of the entry (a preference-center save: both or neither).
                var rows = new PostgreSqlRows.ConsentRows();
                for (var n = 0; n < entry.Consents.Count; n++)
                {
                    rows.Add(entry.CustomerId, n + 1, entry.Consents[n]);
                }

                var append = new NpgsqlBatchCommand(_sql.AppendConsents);
                rows.AddParameters(append.Parameters);
                Param(append.Parameters, "id", entry.CustomerId);
                batch.BatchCommands.Add(append);
            }

            var update = new NpgsqlBatchCommand($"""
                UPDATE {_sql.S}.customers SET version = version + 1,
                    facts = CASE WHEN @set_profile THEN @profile ELSE facts END,
                    event_facts = CASE WHEN @set_facts THEN @facts ELSE event_facts END
                WHERE id = @id
                """);
            Param(update.Parameters, "id", entry.CustomerId);
            Param(update.Parameters, "set_profile", entry.Profile is not null);
            Param(update.Parameters, "profile", entry.Profile is { } profile ? _json.WriteCustomer(StoreChecks.FactsOf(profile)) : []);
            var entryFacts = entry.Facts; // made once (a send run's ask is made when read: CustomerSends.FactsAtWrite)
            Param(update.Parameters, "set_facts", entryFacts is not null);
            update.Parameters.Add(new NpgsqlParameter("facts", NpgsqlTypes.NpgsqlDbType.Bytea) { Value = entryFacts is { Count: > 0 } facts ? StoredFacts.ToBytes(facts) : DBNull.Value });
            batch.BatchCommands.Add(update);
            bumped.Add(i);
        }

        var events = accepted.SelectMany(i => entries[i].Events).ToList();
        if (events.Count > 0)
        {
            var insert = new NpgsqlBatchCommand($"""
                INSERT INTO {_sql.S}.events (id, customer_id, type, occurred_at, data)
                SELECT * FROM unnest(@id::text[], @customer::text[], @type::text[], @at::bigint[], @data::bytea[])
                """);
            Param(insert.Parameters, "id", events.Select(static e => e.Id).ToArray());
            Param(insert.Parameters, "customer", events.Select(static e => e.CustomerId).ToArray());
            Param(insert.Parameters, "type", events.Select(static e => e.Type).ToArray());
            Param(insert.Parameters, "at", events.Select(static e => e.OccurredAt.UtcTicks).ToArray());
            Param(insert.Parameters, "data", events.Select(static e => e.Data.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? null : Encoding.UTF8.GetBytes(e.Data.GetRawText())).ToArray());
            batch.BatchCommands.Add(insert);
        }

        var changes = accepted.SelectMany(i => entries[i].Changes).ToList();
        if (changes.Count > 0)
        {
            var insert = new NpgsqlBatchCommand($"""
                INSERT INTO {_sql.S}.customer_changes (customer_id, kind, from_value, to_value, at, cause, event_id)
                SELECT * FROM unnest(@customer::text[], @kind::text[], @from::text[], @to::text[], @at::bigint[], @cause::text[], @event::text[])
                """);
            Param(insert.Parameters, "customer", changes.Select(static c => c.CustomerId).ToArray());
            Param(insert.Parameters, "kind", changes.Select(static c => c.Kind).ToArray());
            Param(insert.Parameters, "from", changes.Select(static c => c.From).ToArray());
            Param(insert.Parameters, "to", changes.Select(static c => c.To).ToArray());
            Param(insert.Parameters, "at", changes.Select(static c => c.At.UtcTicks).ToArray());
            Param(insert.Parameters, "cause", changes.Select(static c => c.Cause).ToArray());
            Param(insert.Parameters, "event", changes.Select(static c => c.EventId).ToArray());
            batch.BatchCommands.Add(insert);
        }

        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return bumped;
    }

    /// <inheritdoc />
    ValueTask<StorePage<TickRow>> IScreenReader.ReadTickPageAsync(CustomerQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        var sql = query.ContinueAfter is null
            ? $"SELECT id, version, event_facts, facts FROM {_sql.S}.customers ORDER BY id LIMIT @limit"
            : $"SELECT id, version, event_facts, facts FROM {_sql.S}.customers WHERE id > @after ORDER BY id LIMIT @limit";
        return ReadAsync(async (connection, transaction, token) =>
        {
            await using var command = Command(connection, transaction, sql);
            Param(command.Parameters, "limit", query.Limit + 1L);
            if (query.ContinueAfter is { } after)
            {
                Param(command.Parameters, "after", after);
            }

            var rows = new List<TickRow>(Math.Min(query.Limit, 4096) + 1);
            await ReadScreensAsync(command, rows, token).ConfigureAwait(false);
            var more = rows.Count > query.Limit;
            if (more)
            {
                rows.RemoveAt(rows.Count - 1);
            }

            return new StorePage<TickRow>(rows, more ? rows[^1].Id : null);
        }, cancellationToken);
    }

    /// <inheritdoc />
    ValueTask<IReadOnlyList<TickRow>> IScreenReader.ReadScreensAsync(IReadOnlyCollection<string> customerIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(customerIds);
        var ids = customerIds.Where(static id => id is not null).Distinct(StringComparer.Ordinal).ToArray();
        if (ids.Length == 0)
        {
            return new((IReadOnlyList<TickRow>)Array.Empty<TickRow>());
        }

        return ReadAsync<IReadOnlyList<TickRow>>(async (connection, transaction, token) =>
        {
            await using var command = Command(connection, transaction, $"SELECT id, version, event_facts, facts FROM {_sql.S}.customers WHERE id = ANY(@ids)");
            Param(command.Parameters, "ids", ids);
            var rows = new List<TickRow>(ids.Length);
            await ReadScreensAsync(command, rows, token).ConfigureAwait(false);
            return rows;
        }, cancellationToken);
    }

    /// <summary>
    /// Reads screening rows (id, version, facts, profile JSON) and screens each profile as the SQLite store does
    /// (<see cref="TickScreen.Profile(string, CustomerFacts, ReadOnlySpan{byte})"/>: stage, pinned, zone, service flags, birthday); consent and history rows are not read.
    /// </summary>
    private static async Task ReadScreensAsync(NpgsqlCommand command, List<TickRow> rows, CancellationToken cancellationToken)
    {
        var strings = new Utf8StringCache();
        await using var data = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await data.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var id = data.GetString(0);
            var facts = data.IsDBNull(2) ? CustomerFacts.Empty : StoredFacts.Read(data.GetFieldValue<byte[]>(2), strings);
            var profile = TickScreen.Profile(id, facts, data.GetFieldValue<byte[]>(3));
            rows.Add(new TickRow(id, profile is null ? null : new StoredCustomer(profile, data.GetInt64(1))));
        }
    }
}
