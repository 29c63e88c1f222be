using System.Text;
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
        var after = JourneyInstanceJson.ParseCursor(query.ContinueAfter);
        var sql = new StringBuilder("SELECT data FROM journey_instances WHERE 1 = 1");
        if (query.CustomerId is not null)
        {
            sql.Append(" AND customer_id = $customer");
        }

        if (query.CustomerIds is not null)
        {
            sql.Append(" AND customer_id IN (SELECT value FROM json_each($customers))");
        }

        if (query.JourneyId is not null)
        {
            sql.Append(" AND journey_id = $journey");
        }

        if (query.ActiveOnly || query.DueBy is not null)
        {
            sql.Append(" AND status = 0");
        }

        if (query.DueBy is not null)
        {
            sql.Append(" AND wake_at <= $due");
        }

        if (after is not null)
        {
            sql.Append(" AND (customer_id, journey_id, instance_id) > ($afterCustomer, $afterJourney, $afterInstance)");
        }

        sql.Append(" ORDER BY customer_id, journey_id, instance_id LIMIT $limit");
        using var reader = OpenReader();
        using var command = reader.Command(sql.ToString());
        if (query.CustomerId is not null)
        {
            command.Parameters.AddWithValue("$customer", query.CustomerId);
        }

        if (query.CustomerIds is { } ids)
        {
            command.Parameters.AddWithValue("$customers", JsonArray(ids));
        }

        if (query.JourneyId is not null)
        {
            command.Parameters.AddWithValue("$journey", query.JourneyId);
        }

        if (query.DueBy is { } due)
        {
            command.Parameters.AddWithValue("$due", due.UtcTicks);
        }

        if (after is { } cursor)
        {
            command.Parameters.AddWithValue("$afterCustomer", cursor.CustomerId);
            command.Parameters.AddWithValue("$afterJourney", cursor.JourneyId);
            command.Parameters.AddWithValue("$afterInstance", cursor.InstanceId);
        }

        command.Parameters.AddWithValue("$limit", query.Limit + 1);
        var rows = new List<JourneyInstance>();
        using (var data = command.ExecuteReader())
        {
            while (data.Read())
            {
                rows.Add(JourneyInstanceJson.Read((byte[])data.GetValue(0)));
            }
        }

        return new(StoreCursor.Page(rows, query.Limit, JourneyInstanceJson.Cursor));
    }

    /// <summary>Texts as a JSON array (bound as one parameter and read back with <c>json_each</c>).</summary>
    private static string JsonArray(IReadOnlyCollection<string> values)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(values.Count * 16 + 2);
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var value in values)
            {
                writer.WriteStringValue(value);
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
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
