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
        // An instance's history records as one JSON array of [at, step, outcome, detail], read in the same statement as its state.
        var history = $"(SELECT jsonb_agg(jsonb_build_array(h.at, h.step, h.outcome, h.detail) ORDER BY h.seq)::text FROM {_sql.S}.journey_history h WHERE h.customer_id = i.customer_id AND h.journey_id = i.journey_id AND h.instance_id = i.instance_id)";
        var sql = JourneyQuery.Sql(query, _sql.S + ".journey_instances", history, arrays: true, out var filter);
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
                        : JourneyInstanceJson.Read((byte[])data.GetValue(0), query.WithoutHistory ? null : data.IsDBNull(1) ? "[]" : data.GetString(1)));
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
                // The instance's state, then (when it was written) its history records the store does not hold yet
                // (a record the store holds already takes the written one's place), and the records beyond MaxHistory dropped.
                var command = new NpgsqlBatchCommand($"""
                    WITH written AS (
                        INSERT INTO {_sql.S}.journey_instances (customer_id, journey_id, instance_id, status, wake_at, data)
                        VALUES (@customer, @journey, @instance, @status, @wake, @data)
                        ON CONFLICT (customer_id, journey_id, instance_id) {(instance.Revision == 1 ? "DO NOTHING" : "DO UPDATE SET status = EXCLUDED.status, wake_at = EXCLUDED.wake_at, data = EXCLUDED.data")}
                        RETURNING 1
                    ), records AS (
                        INSERT INTO {_sql.S}.journey_history (customer_id, journey_id, instance_id, seq, at, step, outcome, detail)
                        SELECT @customer, @journey, @instance, @first + (u.n - 1)::integer, u.at, u.step, u.outcome, u.detail
                        FROM unnest(@at::bigint[], @step::text[], @outcome::text[], @detail::text[]) WITH ORDINALITY AS u (at, step, outcome, detail, n)
                        WHERE EXISTS (SELECT 1 FROM written)
                        ON CONFLICT (customer_id, journey_id, instance_id, seq) DO UPDATE SET at = EXCLUDED.at, step = EXCLUDED.step, outcome = EXCLUDED.outcome, detail = EXCLUDED.detail
                    ), dropped AS (
                        DELETE FROM {_sql.S}.journey_history
                        WHERE customer_id = @customer AND journey_id = @journey AND instance_id = @instance AND seq < @dropped AND EXISTS (SELECT 1 FROM written)
                    )
                    SELECT 1 FROM written
                    """);
                Param(command.Parameters, "customer", instance.CustomerId);
                Param(command.Parameters, "journey", instance.JourneyId);
                Param(command.Parameters, "instance", instance.InstanceId);
                Param(command.Parameters, "status", (short)instance.Status);
                command.Parameters.Add(new NpgsqlParameter("wake", NpgsqlTypes.NpgsqlDbType.Bigint) { Value = instance.WakeAt is { } wake ? wake.UtcTicks : DBNull.Value });
                Param(command.Parameters, "data", JourneyInstanceJson.Write(instance));
                Param(command.Parameters, "first", instance.HistoryDropped + instance.HistoryOmitted);
                Param(command.Parameters, "dropped", instance.HistoryDropped);
                Param(command.Parameters, "at", instance.History.Select(r => r.At.UtcTicks).ToArray());
                Param(command.Parameters, "step", instance.History.Select(r => r.StepId).ToArray());
                Param(command.Parameters, "outcome", instance.History.Select(r => r.Outcome).ToArray());
                Param(command.Parameters, "detail", instance.History.Select(r => r.Detail).ToArray());
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
