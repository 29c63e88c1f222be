using Microsoft.Data.Sqlite;
using Personalize.Journeys;
using Personalize.Storage;

namespace Personalize.Sqlite;

public sealed partial class SqlitePersonalizeStore
{
    private const string InsertJourney = "INSERT OR IGNORE INTO journey_instances (customer_id, journey_id, instance_id, status, wake_at, data) VALUES ($customer, $journey, $instance, $status, $wake, $data)";
    private const string ReplaceJourney = "INSERT OR REPLACE INTO journey_instances (customer_id, journey_id, instance_id, status, wake_at, data) VALUES ($customer, $journey, $instance, $status, $wake, $data)";
    private static readonly string[] JourneyParameters = ["$customer", "$journey", "$instance", "$status", "$wake", "$data"];

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

    /// <summary>Writes an entry's journey instances. Returns whether the customer's version must grow.</summary>
    private bool WriteJourneys(SqliteTransaction transaction, CustomerSends sends, ref List<string>? already)
    {
        var changed = false;
        foreach (var instance in sends.Journeys)
        {
            // Statements prepared once, their parameters bound once and given new values per instance.
            var command = Bound(instance.Revision == 1 ? InsertJourney : ReplaceJourney, JourneyParameters, transaction);
            var parameters = command.Parameters;
            parameters[0].Value = instance.CustomerId;
            parameters[1].Value = instance.JourneyId;
            parameters[2].Value = instance.InstanceId;
            parameters[3].Value = (int)instance.Status;
            parameters[4].Value = instance.WakeAt is { } wake ? wake.UtcTicks : DBNull.Value;
            parameters[5].Value = JourneyInstanceJson.Write(instance);
            if (command.ExecuteNonQuery() == 0)
            {
                (already ??= []).Add(instance.Key);
                continue;
            }

            changed = true;
        }

        return changed;
    }
}
