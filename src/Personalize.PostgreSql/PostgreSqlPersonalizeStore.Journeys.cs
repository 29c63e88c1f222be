using Npgsql;
using Personalize.Journeys;
using Personalize.Storage;
using static Personalize.PostgreSql.PostgreSqlRows;
using static Personalize.Storage.StoreRows;

namespace Personalize.PostgreSql;

public sealed partial class PostgreSqlPersonalizeStore
{
    /// <inheritdoc />
    public ValueTask<StorePage<JourneyInstance>> ReadJourneysAsync(JourneyQuery query, CancellationToken cancellationToken = default)
    {
        JourneyQuery.ThrowIfInvalid(query);
        var sql = JourneyQuery.Sql(query, _sql.S + ".journey_instances", arrays: true, out var filter);
        return ReadAsync(async (connection, transaction, token) =>
        {
            await using var command = Command(connection, transaction, sql);
            filter.BindTo(command);
            var rows = new List<JourneyInstance>();
            await using (var data = await command.ExecuteReaderAsync(token).ConfigureAwait(false))
            {
                while (await data.ReadAsync(token).ConfigureAwait(false))
                {
                    rows.Add(query.KeysOnly
                        ? JourneyInstanceJson.KeyOnly(data.GetString(0), data.GetString(1), data.GetString(2), data.IsDBNull(3) ? null : data.GetInt64(3))
                        : JourneyInstanceJson.Read((byte[])data.GetValue(0)));
                }
            }

            return StoreCursor.Page(rows, query.Limit, JourneyInstanceJson.Cursor);
        }, cancellationToken);
    }

    /// <summary>Writes the accepted entries' journey instances; returns the entries whose version grew for it and, per entry, the keys of instances not created because the store held them.</summary>
    private async Task<(HashSet<int> Bumped, Dictionary<int, List<string>> Already)> WriteJourneysAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<CustomerSends> entries, List<int> accepted, CancellationToken cancellationToken)
    {
        var bumped = new HashSet<int>();
        var already = new Dictionary<int, List<string>>();
        var written = new List<(int Entry, JourneyInstance Instance)>();
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var i in accepted)
        {
            foreach (var instance in entries[i].Journeys)
            {
                var command = new NpgsqlBatchCommand($"""
                    INSERT INTO {_sql.S}.journey_instances (customer_id, journey_id, instance_id, status, wake_at, data)
                    VALUES (@customer, @journey, @instance, @status, @wake, @data)
                    ON CONFLICT (customer_id, journey_id, instance_id) {(instance.Revision == 1 ? "DO NOTHING" : "DO UPDATE SET status = EXCLUDED.status, wake_at = EXCLUDED.wake_at, data = EXCLUDED.data")}
                    RETURNING 1
                    """);
                Param(command.Parameters, "customer", instance.CustomerId);
                Param(command.Parameters, "journey", instance.JourneyId);
                Param(command.Parameters, "instance", instance.InstanceId);
                Param(command.Parameters, "status", (short)instance.Status);
                command.Parameters.Add(new NpgsqlParameter("wake", NpgsqlTypes.NpgsqlDbType.Bigint) { Value = instance.WakeAt is { } wake ? wake.UtcTicks : DBNull.Value });
                Param(command.Parameters, "data", JourneyInstanceJson.Write(instance));
                batch.BatchCommands.Add(command);
                written.Add((i, instance));
            }
        }

        if (written.Count == 0)
        {
            return (bumped, already);
        }

        await using (var data = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var (entry, instance) in written)
            {
                if (await data.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    bumped.Add(entry);
                }
                else
                {
                    (already.TryGetValue(entry, out var keys) ? keys : already[entry] = []).Add(instance.Key);
                }

                await data.NextResultAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        if (bumped.Count > 0)
        {
            await using var bump = Command(connection, transaction, $"UPDATE {_sql.S}.customers SET version = version + 1 WHERE id = ANY(@ids)");
            Param(bump.Parameters, "ids", bumped.Select(i => entries[i].CustomerId).Distinct(StringComparer.Ordinal).ToArray());
            await bump.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return (bumped, already);
    }
}
