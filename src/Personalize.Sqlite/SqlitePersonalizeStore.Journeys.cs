using Microsoft.Data.Sqlite;
using Personalize.Journeys;
using Personalize.Storage;
using SQLitePCL;

namespace Personalize.Sqlite;

public sealed partial class SqlitePersonalizeStore
{
    private const string InsertJourney = "INSERT OR IGNORE INTO journey_instances (customer_id, journey_id, instance_id, status, wake_at, data) VALUES ($customer, $journey, $instance, $status, $wake, $data)";
    private const string ReplaceJourney = "INSERT OR REPLACE INTO journey_instances (customer_id, journey_id, instance_id, status, wake_at, data) VALUES ($customer, $journey, $instance, $status, $wake, $data)";

    // A later revision changes the row in place (a REPLACE deletes it and inserts it again, index entries and all); a
    // revision of an instance the store does not hold is inserted by ReplaceJourney.
    private const string UpdateJourney = "UPDATE journey_instances SET status = ?4, wake_at = ?5, data = ?6 WHERE customer_id = ?1 AND journey_id = ?2 AND instance_id = ?3";

    // History rows (migration 12): a row holds the records an advance added, numbered from its seq on: the first in its
    // own columns, the rest (records - 1 of them) in "more" as a JSON array of [at, step, outcome, detail] (ADR 0061).
    private const string InsertJourneyHistory = "INSERT OR REPLACE INTO journey_history (customer_id, journey_id, instance_id, seq, at, step, outcome, detail, records, more) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";

    // The most records one history row holds (an instance written whole with a long history takes several rows).
    private const int RecordsPerHistoryRow = 16;

    // Before an instance read with its history is written whole: the rows holding records from ?4 on become one row per
    // record, so each written record takes the place of the stored one of its number and later stored ones stay (ADR 0055).
    private const string SplitJourneyHistory = """
        INSERT OR REPLACE INTO journey_history (customer_id, journey_id, instance_id, seq, at, step, outcome, detail, records, more)
            SELECT h.customer_id, h.journey_id, h.instance_id, h.seq + 1 + m.key, m.value ->> 0, m.value ->> 1, m.value ->> 2, m.value ->> 3, 1, NULL
            FROM journey_history h, json_each(h.more) m
            WHERE h.customer_id = ?1 AND h.journey_id = ?2 AND h.instance_id = ?3 AND h.more IS NOT NULL AND h.seq + h.records > ?4;
        """;

    private const string SplitJourneyHistoryHeads = "UPDATE journey_history SET records = 1, more = NULL WHERE customer_id = ?1 AND journey_id = ?2 AND instance_id = ?3 AND more IS NOT NULL AND seq + records > ?4";

    // Records dropped beyond MaxHistory: the row holding record ?4 and older ones starts at ?4 (its older records go),
    // then the rows whose every record is older go. No row keeps a dropped record, so a read returns the kept ones.
    private const string TrimJourneyHistory = """
        UPDATE journey_history SET
            seq = ?4,
            at = json_extract(more, printf('$[%d][0]', ?4 - seq - 1)),
            step = json_extract(more, printf('$[%d][1]', ?4 - seq - 1)),
            outcome = json_extract(more, printf('$[%d][2]', ?4 - seq - 1)),
            detail = json_extract(more, printf('$[%d][3]', ?4 - seq - 1)),
            records = seq + records - ?4,
            more = CASE WHEN seq + records - ?4 = 1 THEN NULL ELSE (SELECT json_group_array(json(m.value) ORDER BY m.key) FROM json_each(more) m WHERE m.key > ?4 - seq - 1) END
        WHERE customer_id = ?1 AND journey_id = ?2 AND instance_id = ?3 AND seq < ?4 AND seq + records > ?4
        """;

    private const string DropJourneyHistory = "DELETE FROM journey_history WHERE customer_id = ?1 AND journey_id = ?2 AND instance_id = ?3 AND seq < ?4";

    // An instance's history records as one JSON array of [at, step, outcome, detail], read in the same statement as its
    // state: each row's first record, then the rest of its records ("more" without its brackets), rows in order.
    private const string JourneyHistoryColumn = "(SELECT coalesce('[' || group_concat(json_array(h.at, h.step, h.outcome, h.detail) || CASE WHEN h.more IS NULL THEN '' ELSE ',' || substr(h.more, 2, length(h.more) - 2) END, ',' ORDER BY h.seq) || ']', '[]') FROM journey_history h WHERE h.customer_id = i.customer_id AND h.journey_id = i.journey_id AND h.instance_id = i.instance_id)";

    /// <inheritdoc />
    public ValueTask<StorePage<JourneyInstance>> ReadJourneysAsync(JourneyQuery query, CancellationToken cancellationToken = default)
    {
        JourneyQuery.ThrowIfInvalid(query);
        cancellationToken.ThrowIfCancellationRequested();
        var sql = JourneyQuery.Sql(query, "journey_instances", JourneyHistoryColumn, arrays: false, out var filter);
        using var reader = OpenReader();
        using var command = reader.Command(sql);
        filter.BindTo(command);
        var rows = new List<JourneyInstance>();
        using (var data = command.ExecuteReader())
        {
            while (data.Read())
            {
                rows.Add(query.KeysOnly
                    ? JourneyInstanceJson.KeyOnly(data.GetString(0), data.GetString(1), data.GetString(2), data.IsDBNull(3) ? null : data.GetInt64(3))
                    : JourneyInstanceJson.Read((byte[])data.GetValue(0), query.WithoutHistory ? null : data.GetString(1)));
            }
        }

        return new(StoreCursor.Page(rows, query.Limit, JourneyInstanceJson.Cursor));
    }

    /// <summary>
    /// Writes an entry's journey instances through the writer's own statements (prepared once, bound by position, in
    /// the writer's current transaction), on the general path and on the fast path of a step's send alike. Returns
    /// whether the customer's version must grow; a created instance the store held already is added to <paramref name="already"/>.
    /// </summary>
    private bool WriteJourneys(CustomerSends sends, ref List<string>? already)
    {
        var changed = false;
        var journeys = sends.Journeys;
        for (var i = 0; i < journeys.Count; i++)
        {
            var instance = journeys[i];
            var data = SerializedJourneys.DataOf(journeys, i);
            var statement = BindJourney(Statement(instance.Revision == 1 ? InsertJourney : UpdateJourney), instance, data);
            if (Step(statement) == 0)
            {
                if (instance.Revision == 1)
                {
                    (already ??= []).Add(instance.Key);
                    continue;
                }

                Step(BindJourney(Statement(ReplaceJourney), instance, data));
            }

            changed = true;
            WriteJourneyHistory(instance);
        }

        return changed;
    }

    /// <summary>Binds an instance's key, status, wake-up instant and state (<paramref name="data"/>) to parameters 1 to 6.</summary>
    private static sqlite3_stmt BindJourney(sqlite3_stmt statement, JourneyInstance instance, byte[] data)
    {
        BindText(statement, 1, instance.CustomerId);
        BindText(statement, 2, instance.JourneyId);
        BindText(statement, 3, instance.InstanceId);
        BindInt64(statement, 4, (int)instance.Status);
        if (instance.WakeAt is { } wake)
        {
            BindInt64(statement, 5, wake.UtcTicks);
        }
        else
        {
            BindText(statement, 5, null);
        }

        Check(statement, raw.sqlite3_bind_blob(statement, 6, data));
        return statement;
    }

    /// <summary>
    /// Appends an instance's history records the store does not hold yet, as one row (up to <see cref="RecordsPerHistoryRow"/>
    /// records each), and drops the rows whose records are all beyond <see cref="JourneyInstance.MaxHistory"/>. An instance
    /// read with its history (none left out) and written whole is written a row per record over the stored ones.
    /// </summary>
    private void WriteJourneyHistory(JourneyInstance instance)
    {
        var seq = instance.HistoryDropped + instance.HistoryOmitted;
        var history = instance.History;
        // An instance read with its history and written whole (none left out): record by record over the stored ones.
        var whole = instance.HistoryOmitted == 0 && instance.Revision > 1 && history.Count > 0;
        if (whole)
        {
            foreach (var split in (ReadOnlySpan<string>)[SplitJourneyHistory, SplitJourneyHistoryHeads])
            {
                var statement = Statement(split);
                BindText(statement, 1, instance.CustomerId);
                BindText(statement, 2, instance.JourneyId);
                BindText(statement, 3, instance.InstanceId);
                BindInt64(statement, 4, seq);
                Step(statement);
            }
        }

        var perRow = whole ? 1 : RecordsPerHistoryRow;
        for (var first = 0; first < history.Count; first += perRow)
        {
            var rows = Math.Min(perRow, history.Count - first);
            var insert = Statement(InsertJourneyHistory);
            var record = history[first];
            BindText(insert, 1, instance.CustomerId);
            BindText(insert, 2, instance.JourneyId);
            BindText(insert, 3, instance.InstanceId);
            BindInt64(insert, 4, seq + first);
            BindInt64(insert, 5, record.At.UtcTicks);
            BindText(insert, 6, record.StepId);
            BindText(insert, 7, record.Outcome);
            BindText(insert, 8, record.Detail);
            BindInt64(insert, 9, rows);
            if (rows == 1)
            {
                BindText(insert, 10, null);
            }
            else
            {
                Check(insert, raw.sqlite3_bind_text(insert, 10, MoreRecords(history, first + 1, rows - 1)));
            }

            Step(insert);
        }

        if (instance.HistoryDropped > 0)
        {
            foreach (var sql in (ReadOnlySpan<string>)[TrimJourneyHistory, DropJourneyHistory])
            {
                var drop = Statement(sql);
                BindText(drop, 1, instance.CustomerId);
                BindText(drop, 2, instance.JourneyId);
                BindText(drop, 3, instance.InstanceId);
                BindInt64(drop, 4, instance.HistoryDropped);
                Step(drop);
            }
        }
    }

    /// <summary>The writer's buffer for a history row's "more" records (used under the write gate only).</summary>
    private readonly System.Buffers.ArrayBufferWriter<byte> _moreRecords = new(512);
    private System.Text.Json.Utf8JsonWriter? _moreWriter;

    /// <summary><paramref name="count"/> records from <paramref name="start"/> as a JSON array of [at, step, outcome, detail] (UTF-8, valid until the next call).</summary>
    private ReadOnlySpan<byte> MoreRecords(IReadOnlyList<JourneyStepRecord> history, int start, int count)
    {
        _moreRecords.ResetWrittenCount();
        var json = _moreWriter ??= new System.Text.Json.Utf8JsonWriter(_moreRecords);
        json.Reset(_moreRecords);
        json.WriteStartArray();
        for (var r = start; r < start + count; r++)
        {
            var record = history[r];
            json.WriteStartArray();
            json.WriteNumberValue(record.At.UtcTicks);
            json.WriteStringValue(record.StepId);
            json.WriteStringValue(record.Outcome);
            if (record.Detail is null)
            {
                json.WriteNullValue();
            }
            else
            {
                json.WriteStringValue(record.Detail);
            }

            json.WriteEndArray();
        }

        json.WriteEndArray();
        json.Flush();
        return _moreRecords.WrittenSpan;
    }
}
