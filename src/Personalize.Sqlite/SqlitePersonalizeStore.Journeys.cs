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

    // A record the store holds already (the instance was read with its history and written whole) takes the written one's place.
    // Up to four of an instance's new records in one statement (a step adds one to three): the instance's key is bound
    // once (?1-?3), each row's own values after it (row r: ?(4+5r) to ?(8+5r)).
    private const int HistoryRowsPerStatement = 4;
    private static readonly string[] InsertJourneyHistory = [.. Enumerable.Range(1, HistoryRowsPerStatement).Select(static rows =>
        "INSERT OR REPLACE INTO journey_history (customer_id, journey_id, instance_id, seq, at, step, outcome, detail) VALUES "
        + string.Join(", ", Enumerable.Range(0, rows).Select(static r => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"(?1, ?2, ?3, ?{4 + (5 * r)}, ?{5 + (5 * r)}, ?{6 + (5 * r)}, ?{7 + (5 * r)}, ?{8 + (5 * r)})"))))];
    private const string DropJourneyHistory = "DELETE FROM journey_history WHERE customer_id = ?1 AND journey_id = ?2 AND instance_id = ?3 AND seq < ?4";

    // An instance's history records as one JSON array of [at, step, outcome, detail], read in the same statement as its state.
    private const string JourneyHistoryColumn = "(SELECT json_group_array(json_array(h.at, h.step, h.outcome, h.detail) ORDER BY h.seq) FROM journey_history h WHERE h.customer_id = i.customer_id AND h.journey_id = i.journey_id AND h.instance_id = i.instance_id)";

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

    /// <summary>Appends an instance's history records the store does not hold yet and drops those beyond <see cref="JourneyInstance.MaxHistory"/>.</summary>
    private void WriteJourneyHistory(JourneyInstance instance)
    {
        var seq = instance.HistoryDropped + instance.HistoryOmitted;
        var history = instance.History;
        for (var first = 0; first < history.Count; first += HistoryRowsPerStatement)
        {
            var rows = Math.Min(HistoryRowsPerStatement, history.Count - first);
            var insert = Statement(InsertJourneyHistory[rows - 1]);
            BindText(insert, 1, instance.CustomerId);
            BindText(insert, 2, instance.JourneyId);
            BindText(insert, 3, instance.InstanceId);
            for (var r = 0; r < rows; r++)
            {
                var record = history[first + r];
                var at = 4 + (5 * r);
                BindInt64(insert, at, seq++);
                BindInt64(insert, at + 1, record.At.UtcTicks);
                BindText(insert, at + 2, record.StepId);
                BindText(insert, at + 3, record.Outcome);
                BindText(insert, at + 4, record.Detail);
            }

            Step(insert);
        }

        if (instance.HistoryDropped > 0)
        {
            var drop = Statement(DropJourneyHistory);
            BindText(drop, 1, instance.CustomerId);
            BindText(drop, 2, instance.JourneyId);
            BindText(drop, 3, instance.InstanceId);
            BindInt64(drop, 4, instance.HistoryDropped);
            Step(drop);
        }
    }
}
