using static Personalize.PostgreSql.PostgreSqlRows;
using static Personalize.Storage.StoreRows;
using Personalize.Channels;

namespace Personalize.PostgreSql;

public sealed partial class PostgreSqlPersonalizeStore
{
    /// <summary>The store's statements for its schema, built once (the same text every call, so they are prepared once per connection).</summary>
    private sealed class Sql
    {
        public Sql(string s)
        {
            S = s;
            string[] filters = ["", "WHERE id > @after", "WHERE id <= @up_to", "WHERE id > @after AND id <= @up_to"];
            // Index: bit 0 after, bit 1 up to, bit 2 leave out the history of one run (a resumed run's own sends).
            CustomerPage = new string[8][];
            for (var i = 0; i < 8; i++)
            {
                var filter = filters[i & 3];
                var page = $"SELECT id FROM {s}.customers {filter} ORDER BY id LIMIT @limit";
                var leaveOut = (i & 4) == 0
                    ? string.Empty
                    : $" AND (h.idempotency_key IS NULL OR NOT EXISTS (SELECT 1 FROM {s}.delivery_log d WHERE d.idempotency_key = h.idempotency_key AND d.run_id = @exclude_run))";
                CustomerPage[i] =
                [
                    $"SELECT id, version, facts, event_facts FROM {s}.customers {filter} ORDER BY id LIMIT @limit",
                    $"SELECT {ConsentColumns} FROM {s}.consent_records WHERE customer_id IN ({page}) ORDER BY customer_id, seq",
                    $"SELECT {HistoryColumns.Replace("customer_id", "h.customer_id", StringComparison.Ordinal)} FROM {s}.contact_history h WHERE h.customer_id IN ({page}){leaveOut} ORDER BY h.customer_id, h.sent_at",
                ];
            }

            CustomersById =
            [
                $"SELECT id, version, facts, event_facts FROM {s}.customers WHERE id = ANY(@ids)",
                $"SELECT {ConsentColumns} FROM {s}.consent_records WHERE customer_id = ANY(@ids) ORDER BY customer_id, seq",
                $"SELECT {HistoryColumns} FROM {s}.contact_history WHERE customer_id = ANY(@ids) ORDER BY customer_id, sent_at",
            ];
            SeqAndHistoryById =
            [
                $"SELECT {ConsentColumns} FROM {s}.consent_records WHERE customer_id = ANY(@ids) ORDER BY customer_id, seq",
                $"SELECT {HistoryColumns} FROM {s}.contact_history WHERE customer_id = ANY(@ids) ORDER BY customer_id, sent_at",
            ];
            Count = $"SELECT count(*) FROM {s}.customers";
            LockVersions = $"SELECT id, version FROM {s}.customers WHERE id = ANY(@ids) ORDER BY id FOR NO KEY UPDATE";
            LockVersion = $"SELECT version FROM {s}.customers WHERE id = @id FOR NO KEY UPDATE";
            LockFacts = $"SELECT facts FROM {s}.customers WHERE id = @id FOR UPDATE";
            Suppressed = $"SELECT {SuppressionColumns} FROM {s}.suppression WHERE hash = ANY(@hashes)";
            FindSuppression = $"SELECT {SuppressionColumns} FROM {s}.suppression WHERE hash = @hash";
            UpsertFacts = $"""
                INSERT INTO {s}.customers (id, version, facts)
                SELECT u.id, 1, u.facts FROM unnest(@ids::text[], @facts::bytea[]) AS u (id, facts)
                ON CONFLICT (id) DO UPDATE SET facts = excluded.facts, version = {s}.customers.version + 1
                """;
            InsertCustomer = $"INSERT INTO {s}.customers (id, version, facts) VALUES (@id, 1, @facts) ON CONFLICT (id) DO NOTHING RETURNING version";
            UpdateFacts = $"UPDATE {s}.customers SET facts = @facts, version = version + 1 WHERE id = @id RETURNING version";
            BumpVersion = $"UPDATE {s}.customers SET version = version + 1 WHERE id = @id RETURNING version";
            InsertConsents = $"""
                INSERT INTO {s}.consent_records ({ConsentColumns})
                SELECT * FROM unnest(@customer::text[], @seq::integer[], @scope_kind::smallint[], @channel::text[], @purpose::smallint[], @topic::text[],
                    @action::smallint[], @recorded_at::bigint[], @source_kind::smallint[], @source_detail::text[], @wording::text[], @wording_version::text[],
                    @opt_in::smallint[], @confirmed_at::bigint[], @method_evidence::text[])
                """;
            AppendConsents = $"""
                INSERT INTO {s}.consent_records ({ConsentColumns})
                SELECT u.customer, (SELECT COALESCE(MAX(seq), 0) FROM {s}.consent_records WHERE customer_id = @id) + u.seq, u.scope_kind, u.channel, u.purpose, u.topic,
                    u.action, u.recorded_at, u.source_kind, u.source_detail, u.wording, u.wording_version, u.opt_in, u.confirmed_at, u.method_evidence
                FROM unnest(@customer::text[], @seq::integer[], @scope_kind::smallint[], @channel::text[], @purpose::smallint[], @topic::text[],
                    @action::smallint[], @recorded_at::bigint[], @source_kind::smallint[], @source_detail::text[], @wording::text[], @wording_version::text[],
                    @opt_in::smallint[], @confirmed_at::bigint[], @method_evidence::text[])
                    AS u (customer, seq, scope_kind, channel, purpose, topic, action, recorded_at, source_kind, source_detail, wording, wording_version, opt_in, confirmed_at, method_evidence)
                """;
            InsertHistory = $"""
                INSERT INTO {s}.contact_history (customer_id, sent_at, message_id, channel, purpose, kind)
                SELECT * FROM unnest(@customer::text[], @sent_at::bigint[], @message::text[], @channel::text[], @purpose::smallint[], @kind::smallint[])
                """;

            // A page of sends: new delivery log entries with their history (and the customer's version raised) in one
            // statement; keys already held are skipped and not returned. Both shapes below start with these two steps.
            var deliveriesAndHistory = $"""
                WITH ins AS (
                    INSERT INTO {s}.delivery_log ({DeliveryColumns})
                    SELECT u.k, u.c, u.m, u.ch, u.p, u.kd, u.at, u.tr, u.tp, u.r, u.st
                    FROM unnest(@k::text[], @c::text[], @m::text[], @ch::text[], @p::smallint[], @kd::smallint[], @at::bigint[], @tr::text[], @tp::text[], @r::text[], @st::smallint[])
                        AS u (k, c, m, ch, p, kd, at, tr, tp, r, st)
                    ON CONFLICT (idempotency_key) DO NOTHING
                    RETURNING idempotency_key, customer_id, message_id, channel, purpose, kind, sent_at
                ), hist AS (
                    INSERT INTO {s}.contact_history (customer_id, sent_at, message_id, channel, purpose, kind, idempotency_key)
                    SELECT customer_id, sent_at, message_id, channel, purpose, kind, idempotency_key FROM ins
                """;
            InsertDeliveries = deliveriesAndHistory + $"""

                ), bump AS (
                    UPDATE {s}.customers c SET version = c.version + 1 WHERE c.id IN (SELECT customer_id FROM ins)
                )
                SELECT idempotency_key FROM ins
                """;

            // The send run's shape with its questions' asks: the deliveries and the facts written by one update of each
            // customer's row (the version grown by one for new history and one for the facts, as when the facts are
            // written on their own before it).
            InsertDeliveriesWithFacts = deliveriesAndHistory + $"""

                ), f AS (
                    SELECT u.id, u.facts FROM unnest(@fid::text[], @ff::bytea[]) AS u (id, facts)
                ), t AS (
                    SELECT x.id, bool_or(x.added) AS added
                    FROM (SELECT customer_id AS id, true AS added FROM ins UNION ALL SELECT id, false FROM f) AS x
                    GROUP BY x.id
                ), bump AS (
                    UPDATE {s}.customers c
                    SET version = c.version + (CASE WHEN t.added THEN 1 ELSE 0 END) + (CASE WHEN f.id IS NULL THEN 0 ELSE 1 END),
                        event_facts = CASE WHEN f.id IS NULL THEN c.event_facts ELSE f.facts END
                    FROM t LEFT JOIN f ON f.id = t.id
                    WHERE c.id = t.id
                )
                SELECT idempotency_key FROM ins
                """;
            InsertScheduled = $"""
                INSERT INTO {s}.scheduled_sends ({ScheduledColumns})
                SELECT u.k, u.c, u.m, u.ch, u.tp, u.tr, u.p, u.kd, u.due, u.dec, u.r, 0, NULL, NULL
                FROM unnest(@k::text[], @c::text[], @m::text[], @ch::text[], @tp::text[], @tr::text[], @p::smallint[], @kd::smallint[], @due::bigint[], @dec::bigint[], @r::text[])
                    AS u (k, c, m, ch, tp, tr, p, kd, due, dec, r)
                WHERE NOT EXISTS (SELECT 1 FROM {s}.delivery_log d WHERE d.idempotency_key = u.k)
                ON CONFLICT (idempotency_key) DO NOTHING
                RETURNING idempotency_key
                """;
            Reschedule = $"""
                UPDATE {s}.scheduled_sends s SET due_at = u.due
                FROM unnest(@k::text[], @c::text[], @due::bigint[]) AS u (k, c, due)
                WHERE s.idempotency_key = u.k AND s.customer_id = u.c AND s.state = 0
                RETURNING s.idempotency_key
                """;
            Complete = $"""
                UPDATE {s}.scheduled_sends s SET state = u.st, reason = u.reason, completed_at = u.at
                FROM unnest(@k::text[], @c::text[], @st::smallint[], @reason::text[], @at::bigint[]) AS u (k, c, st, reason, at)
                WHERE s.idempotency_key = u.k AND s.customer_id = u.c AND s.state = 0
                RETURNING s.idempotency_key
                """;
            ScheduledOwners = $"SELECT idempotency_key, customer_id FROM {s}.scheduled_sends WHERE idempotency_key = ANY(@keys)";
            MarkDelivered = $"UPDATE {s}.delivery_log SET state = 1 WHERE idempotency_key = ANY(@keys) AND state = 0";
            Fail = $"""
                WITH del AS (
                    DELETE FROM {s}.delivery_log d USING unnest(@k::text[], @reason::text[]) AS u (k, reason)
                    WHERE d.idempotency_key = u.k
                    RETURNING d.idempotency_key, u.reason
                ), hist AS (
                    DELETE FROM {s}.contact_history h USING del WHERE h.idempotency_key = del.idempotency_key
                    RETURNING h.customer_id
                ), bump AS (
                    UPDATE {s}.customers c SET version = c.version + 1 WHERE c.id IN (SELECT customer_id FROM hist)
                )
                UPDATE {s}.scheduled_sends s SET state = 2, reason = del.reason FROM del WHERE s.idempotency_key = del.idempotency_key
                """;
            FindDelivery = $"SELECT {DeliveryColumns} FROM {s}.delivery_log WHERE idempotency_key = @key";
            SaveRun = $"""
                INSERT INTO {s}.runs ({RunColumns}) VALUES (@id, @trigger, @at, @status, @started, @updated, @processed, @sent, @scheduled, @already, @errors, @key_format)
                ON CONFLICT (id) DO UPDATE SET trigger = excluded.trigger, at = excluded.at, status = excluded.status, started_at = excluded.started_at,
                    updated_at = excluded.updated_at, processed = excluded.processed, sent = excluded.sent, scheduled = excluded.scheduled,
                    already_sent = excluded.already_sent, errors = excluded.errors
                """;
            GetRun = $"SELECT {RunColumns} FROM {s}.runs WHERE id = @id";
            EraseCounts =
            [
                $"WITH d AS (DELETE FROM {s}.consent_records WHERE customer_id = @id RETURNING 1) SELECT count(*) FROM d",
                $"WITH d AS (DELETE FROM {s}.contact_history WHERE customer_id = @id RETURNING 1) SELECT count(*) FROM d",
                $"WITH d AS (DELETE FROM {s}.scheduled_sends WHERE customer_id = @id RETURNING 1) SELECT count(*) FROM d",
                $"WITH d AS (UPDATE {s}.delivery_log SET customer_id = NULL WHERE customer_id = @id RETURNING 1) SELECT count(*) FROM d",
                $"WITH d AS (DELETE FROM {s}.customers WHERE id = @id RETURNING 1) SELECT count(*) FROM d",
            ];
            InsertSuppression = $"""
                WITH i AS (
                    INSERT INTO {s}.suppression (hash, kind, reason, at)
                    SELECT * FROM unnest(@hash::text[], @kind::smallint[], @reason::text[], @at::bigint[])
                    ON CONFLICT (hash) DO NOTHING
                    RETURNING 1
                )
                SELECT count(*) FROM i
                """;
        }

        public string S { get; }

        public string[][] CustomerPage { get; }

        public string[] CustomersById { get; }

        public string[] SeqAndHistoryById { get; }

        public string Count { get; }

        public string LockVersions { get; }

        public string LockVersion { get; }

        public string LockFacts { get; }

        public string Suppressed { get; }

        public string FindSuppression { get; }

        public string UpsertFacts { get; }

        public string InsertCustomer { get; }

        public string UpdateFacts { get; }

        public string BumpVersion { get; }

        public string InsertConsents { get; }

        public string AppendConsents { get; }

        public string InsertHistory { get; }

        public string InsertDeliveries { get; }

        public string InsertDeliveriesWithFacts { get; }

        public string InsertScheduled { get; }

        public string Reschedule { get; }

        public string Complete { get; }

        public string ScheduledOwners { get; }

        public string MarkDelivered { get; }

        public string Fail { get; }

        public string FindDelivery { get; }

        public string SaveRun { get; }

        public string GetRun { get; }

        public string[] EraseCounts { get; }

        public string InsertSuppression { get; }
    }
}
