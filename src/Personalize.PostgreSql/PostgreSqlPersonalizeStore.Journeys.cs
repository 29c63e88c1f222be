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

    /// <summary>
    /// Writes the accepted entries' journey instances; returns the entries whose version grew for it and, per entry, the
    /// keys of instances not created because the store held them. A page takes two round trips whatever its size: the
    /// instance rows (one multi-row statement for created ones, one for later revisions, each returning the keys it
    /// wrote), then the written instances' history records, the records beyond MaxHistory dropped and the version bump.
    /// An instance named twice in one batch is written in a second round, after the first.
    /// </summary>
    private async Task<(HashSet<int> Bumped, Dictionary<int, List<string>> Already)> WriteJourneysAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<CustomerSends> entries, List<int> accepted, CancellationToken cancellationToken)
    {
        var bumped = new HashSet<int>();
        var already = new Dictionary<int, List<string>>();
        var rounds = new List<List<(int Entry, JourneyInstance Instance, byte[] Data)>>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var i in accepted)
        {
            var journeys = entries[i].Journeys;
            for (var j = 0; j < journeys.Count; j++)
            {
                // The stored form the due pass's planning stage made (SerializedJourneys), or written now.
                var instance = journeys[j];
                var round = seen[instance.Key] = seen.TryGetValue(instance.Key, out var earlier) ? earlier + 1 : 0;
                if (round == rounds.Count)
                {
                    rounds.Add([]);
                }

                rounds[round].Add((i, instance, SerializedJourneys.DataOf(journeys, j)));
            }
        }

        foreach (var round in rounds)
        {
            var written = await WriteInstancesAsync(connection, transaction, round, cancellationToken).ConfigureAwait(false);
            var records = new JourneyHistoryRows();
            foreach (var (entry, instance, _) in round)
            {
                if (written.Contains(instance.Key))
                {
                    bumped.Add(entry);
                    records.Add(instance);
                }
                else
                {
                    (already.TryGetValue(entry, out var keys) ? keys : already[entry] = []).Add(instance.Key);
                }
            }

            await using var batch = new NpgsqlBatch(connection, transaction);
            if (records.Count > 0)
            {
                // A record the store holds already (the instance was read with its history and written whole) takes the written one's place.
                var insert = new NpgsqlBatchCommand($"""
                    INSERT INTO {_sql.S}.journey_history (customer_id, journey_id, instance_id, seq, at, step, outcome, detail)
                    SELECT * FROM unnest(@customer::text[], @journey::text[], @instance::text[], @seq::integer[], @at::bigint[], @step::text[], @outcome::text[], @detail::text[])
                    ON CONFLICT (customer_id, journey_id, instance_id, seq) DO UPDATE SET at = EXCLUDED.at, step = EXCLUDED.step, outcome = EXCLUDED.outcome, detail = EXCLUDED.detail
                    """);
                records.BindTo(insert.Parameters);
                batch.BatchCommands.Add(insert);
            }

            if (records.Dropping.Count > 0)
            {
                var drop = new NpgsqlBatchCommand($"""
                    DELETE FROM {_sql.S}.journey_history h
                    USING unnest(@customer::text[], @journey::text[], @instance::text[], @dropped::integer[]) AS u (customer_id, journey_id, instance_id, dropped)
                    WHERE h.customer_id = u.customer_id AND h.journey_id = u.journey_id AND h.instance_id = u.instance_id AND h.seq < u.dropped
                    """);
                Param(drop.Parameters, "customer", records.Dropping.Select(static i => i.CustomerId).ToArray());
                Param(drop.Parameters, "journey", records.Dropping.Select(static i => i.JourneyId).ToArray());
                Param(drop.Parameters, "instance", records.Dropping.Select(static i => i.InstanceId).ToArray());
                Param(drop.Parameters, "dropped", records.Dropping.Select(static i => i.HistoryDropped).ToArray());
                batch.BatchCommands.Add(drop);
            }

            if (batch.BatchCommands.Count > 0)
            {
                await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
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

    /// <summary>Writes instance rows (no key twice): created ones only where the store holds none, later revisions over the stored row; returns the keys written.</summary>
    private async Task<HashSet<string>> WriteInstancesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<(int Entry, JourneyInstance Instance, byte[] Data)> round, CancellationToken cancellationToken)
    {
        var written = new HashSet<string>(StringComparer.Ordinal);
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var created in new[] { true, false })
        {
            var rows = round.Where(r => r.Instance.Revision == 1 == created).ToList();
            if (rows.Count == 0)
            {
                continue;
            }

            var command = new NpgsqlBatchCommand($"""
                INSERT INTO {_sql.S}.journey_instances (customer_id, journey_id, instance_id, status, wake_at, data)
                SELECT * FROM unnest(@customer::text[], @journey::text[], @instance::text[], @status::smallint[], @wake::bigint[], @data::bytea[])
                ON CONFLICT (customer_id, journey_id, instance_id) {(created ? "DO NOTHING" : "DO UPDATE SET status = EXCLUDED.status, wake_at = EXCLUDED.wake_at, data = EXCLUDED.data")}
                RETURNING customer_id, journey_id, instance_id
                """);
            Param(command.Parameters, "customer", rows.Select(static r => r.Instance.CustomerId).ToArray());
            Param(command.Parameters, "journey", rows.Select(static r => r.Instance.JourneyId).ToArray());
            Param(command.Parameters, "instance", rows.Select(static r => r.Instance.InstanceId).ToArray());
            Param(command.Parameters, "status", rows.Select(static r => (short)r.Instance.Status).ToArray());
            Param(command.Parameters, "wake", rows.Select(static r => r.Instance.WakeAt?.UtcTicks).ToArray());
            Param(command.Parameters, "data", rows.Select(static r => r.Data).ToArray());
            batch.BatchCommands.Add(command);
        }

        if (batch.BatchCommands.Count == 0)
        {
            return written;
        }

        await using var data = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        do
        {
            while (await data.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                written.Add(data.GetString(0) + "\u001f" + data.GetString(1) + "\u001f" + data.GetString(2));
            }
        }
        while (await data.NextResultAsync(cancellationToken).ConfigureAwait(false));

        return written;
    }

    /// <summary>The history records of a page's written instances as column arrays for one multi-row insert (<c>unnest</c>), and the instances that drop records.</summary>
    private sealed class JourneyHistoryRows
    {
        private readonly List<string> _customers = [];
        private readonly List<string> _journeys = [];
        private readonly List<string> _instances = [];
        private readonly List<int> _seqs = [];
        private readonly List<long> _ats = [];
        private readonly List<string> _steps = [];
        private readonly List<string> _outcomes = [];
        private readonly List<string?> _details = [];

        public int Count => _seqs.Count;

        public List<JourneyInstance> Dropping { get; } = [];

        public void Add(JourneyInstance instance)
        {
            var seq = instance.HistoryDropped + instance.HistoryOmitted;
            foreach (var record in instance.History)
            {
                _customers.Add(instance.CustomerId);
                _journeys.Add(instance.JourneyId);
                _instances.Add(instance.InstanceId);
                _seqs.Add(seq++);
                _ats.Add(record.At.UtcTicks);
                _steps.Add(record.StepId);
                _outcomes.Add(record.Outcome);
                _details.Add(record.Detail);
            }

            if (instance.HistoryDropped > 0)
            {
                Dropping.Add(instance);
            }
        }

        public void BindTo(NpgsqlParameterCollection parameters)
        {
            Param(parameters, "customer", _customers.ToArray());
            Param(parameters, "journey", _journeys.ToArray());
            Param(parameters, "instance", _instances.ToArray());
            Param(parameters, "seq", _seqs.ToArray());
            Param(parameters, "at", _ats.ToArray());
            Param(parameters, "step", _steps.ToArray());
            Param(parameters, "outcome", _outcomes.ToArray());
            Param(parameters, "detail", _details.ToArray());
        }
    }
}
