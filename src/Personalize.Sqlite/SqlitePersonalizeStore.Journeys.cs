using System.Text;
using Microsoft.Data.Sqlite;
using Personalize.Journeys;
using Personalize.Storage;

namespace Personalize.Sqlite;

public sealed partial class SqlitePersonalizeStore
{
    /// <inheritdoc />
    public ValueTask<StorePage<JourneyInstance>> ReadJourneysAsync(JourneyQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        cancellationToken.ThrowIfCancellationRequested();
        var after = JourneyInstanceJson.ParseCursor(query.ContinueAfter);
        var sql = new StringBuilder("SELECT data FROM journey_instances WHERE 1 = 1");
        if (query.CustomerId is not null)
        {
            sql.Append(" AND customer_id = $customer");
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

    /// <summary>Writes an entry's journey instances. Returns whether the customer's version must grow.</summary>
    private bool WriteJourneys(SqliteTransaction transaction, CustomerSends sends, ref List<string>? already)
    {
        var changed = false;
        foreach (var instance in sends.Journeys)
        {
            var command = Writer(
                instance.Revision == 1
                    ? "INSERT OR IGNORE INTO journey_instances (customer_id, journey_id, instance_id, status, wake_at, data) VALUES ($customer, $journey, $instance, $status, $wake, $data)"
                    : "INSERT OR REPLACE INTO journey_instances (customer_id, journey_id, instance_id, status, wake_at, data) VALUES ($customer, $journey, $instance, $status, $wake, $data)",
                transaction);
            command.Parameters.AddWithValue("$customer", instance.CustomerId);
            command.Parameters.AddWithValue("$journey", instance.JourneyId);
            command.Parameters.AddWithValue("$instance", instance.InstanceId);
            command.Parameters.AddWithValue("$status", (int)instance.Status);
            command.Parameters.AddWithValue("$wake", instance.WakeAt is { } wake ? wake.UtcTicks : DBNull.Value);
            command.Parameters.AddWithValue("$data", JourneyInstanceJson.Write(instance));
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
