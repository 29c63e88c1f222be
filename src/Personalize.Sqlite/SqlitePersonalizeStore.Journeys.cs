using Microsoft.Data.Sqlite;
using Personalize.Journeys;
using Personalize.Storage;
using SQLitePCL;

namespace Personalize.Sqlite;

public sealed partial class SqlitePersonalizeStore
{
    private const string InsertJourney = "INSERT OR IGNORE INTO journey_instances (customer_id, journey_id, instance_id, status, wake_at, data) VALUES ($customer, $journey, $instance, $status, $wake, $data)";
    private const string ReplaceJourney = "INSERT OR REPLACE INTO journey_instances (customer_id, journey_id, instance_id, status, wake_at, data) VALUES ($customer, $journey, $instance, $status, $wake, $data)";

    /// <inheritdoc />
    public ValueTask<StorePage<JourneyInstance>> ReadJourneysAsync(JourneyQuery query, CancellationToken cancellationToken = default)
    {
        JourneyQuery.ThrowIfInvalid(query);
        cancellationToken.ThrowIfCancellationRequested();
        var sql = JourneyQuery.Sql(query, "journey_instances", arrays: false, out var filter);
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
                    : JourneyInstanceJson.Read((byte[])data.GetValue(0)));
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
        foreach (var instance in sends.Journeys)
        {
            var statement = Statement(instance.Revision == 1 ? InsertJourney : ReplaceJourney);
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

            Check(statement, raw.sqlite3_bind_blob(statement, 6, JourneyInstanceJson.Write(instance)));
            if (Step(statement) == 0)
            {
                (already ??= []).Add(instance.Key);
                continue;
            }

            changed = true;
        }

        return changed;
    }
}
