using Npgsql;
using Personalize.Channels;

namespace Personalize.PostgreSql;

/// <summary>
/// The numbered migrations of a Personalize schema in PostgreSQL. The table <c>schema_migrations</c> holds one row per
/// migration applied; opening a store applies the missing ones in order, each in its own transaction under an advisory
/// lock (several workers opening a new database at once apply each migration once; a crash mid-migration leaves the
/// previous version, since PostgreSQL's DDL is transactional). A schema whose highest migration is above
/// <see cref="Version"/> was written by a newer release and is refused before anything is changed. Never edit a
/// shipped migration: add a new one. <c>{schema}</c> stands for the quoted schema name.
/// </summary>
internal static class PostgreSqlSchema
{
    /// <summary>The migrations, in order; migration <c>n</c> is <c>Migrations[n - 1]</c>.</summary>
    public static readonly string[] Migrations =
    [
        // 1: customers, their consent evidence and contact history. Ids use the "C" collation, so the store's id
        // order is the byte order of UTF-8, as in SQLite. Instants are UTC ticks (bigint), exact to the 100 ns the
        // .NET types carry.
        """
        CREATE TABLE {schema}.store_meta (
            key text NOT NULL PRIMARY KEY,
            value bytea NOT NULL
        );

        CREATE TABLE {schema}.customers (
            id text COLLATE "C" NOT NULL PRIMARY KEY,
            version bigint NOT NULL,
            facts bytea NOT NULL
        );

        CREATE TABLE {schema}.consent_records (
            customer_id text COLLATE "C" NOT NULL REFERENCES {schema}.customers (id) ON DELETE CASCADE,
            seq integer NOT NULL,
            scope_kind smallint NOT NULL,
            channel text NULL,
            purpose smallint NULL,
            topic text NULL,
            action smallint NOT NULL,
            recorded_at bigint NOT NULL,
            source_kind smallint NOT NULL,
            source_detail text NULL,
            wording text NULL,
            wording_version text NULL,
            opt_in smallint NOT NULL,
            confirmed_at bigint NULL,
            PRIMARY KEY (customer_id, seq)
        );

        CREATE TABLE {schema}.contact_history (
            customer_id text COLLATE "C" NOT NULL REFERENCES {schema}.customers (id) ON DELETE CASCADE,
            sent_at bigint NOT NULL,
            message_id text NOT NULL,
            channel text NOT NULL,
            purpose smallint NOT NULL,
            kind smallint NOT NULL,
            idempotency_key text NULL
        );

        CREATE INDEX contact_history_by_customer ON {schema}.contact_history (customer_id, sent_at);
        CREATE UNIQUE INDEX contact_history_by_key ON {schema}.contact_history (idempotency_key) WHERE idempotency_key IS NOT NULL;
        """,

        // 2: the send loop: delivery log, scheduled sends, runs, the suppression list and the work shares of runs
        // split between workers (lease instants are the server's timestamptz: leases are measured by its clock).
        """
        CREATE TABLE {schema}.delivery_log (
            idempotency_key text NOT NULL PRIMARY KEY,
            customer_id text COLLATE "C" NULL REFERENCES {schema}.customers (id) ON DELETE SET NULL,
            message_id text NOT NULL,
            channel text NOT NULL,
            purpose smallint NOT NULL,
            kind smallint NOT NULL,
            sent_at bigint NOT NULL,
            trigger text NOT NULL,
            template text NULL,
            run_id text NULL,
            state smallint NOT NULL
        );

        CREATE INDEX delivery_log_by_customer ON {schema}.delivery_log (customer_id) WHERE customer_id IS NOT NULL;
        CREATE INDEX delivery_log_pending ON {schema}.delivery_log (sent_at, idempotency_key) WHERE state = 0;
        CREATE INDEX delivery_log_by_run ON {schema}.delivery_log (run_id, sent_at, idempotency_key) WHERE run_id IS NOT NULL;

        CREATE TABLE {schema}.scheduled_sends (
            idempotency_key text NOT NULL PRIMARY KEY,
            customer_id text COLLATE "C" NOT NULL REFERENCES {schema}.customers (id) ON DELETE CASCADE,
            message_id text NOT NULL,
            channel text NOT NULL,
            template text NOT NULL,
            trigger text NOT NULL,
            purpose smallint NOT NULL,
            kind smallint NOT NULL,
            due_at bigint NOT NULL,
            decided_at bigint NOT NULL,
            run_id text NULL,
            state smallint NOT NULL,
            reason text NULL,
            completed_at bigint NULL
        );

        CREATE INDEX scheduled_sends_due ON {schema}.scheduled_sends (state, due_at, idempotency_key);
        CREATE INDEX scheduled_sends_by_customer ON {schema}.scheduled_sends (customer_id);

        CREATE TABLE {schema}.runs (
            id text NOT NULL PRIMARY KEY,
            trigger text NOT NULL,
            at bigint NOT NULL,
            status smallint NOT NULL,
            started_at bigint NOT NULL,
            updated_at bigint NOT NULL,
            processed bigint NOT NULL,
            sent bigint NOT NULL,
            scheduled bigint NOT NULL,
            already_sent bigint NOT NULL,
            errors bigint NOT NULL
        );

        CREATE INDEX runs_by_start ON {schema}.runs (started_at);

        CREATE TABLE {schema}.suppression (
            hash text NOT NULL PRIMARY KEY,
            kind smallint NOT NULL,
            reason text NOT NULL,
            at bigint NOT NULL
        );

        CREATE TABLE {schema}.work_shares (
            run_id text NOT NULL,
            share integer NOT NULL,
            after_id text COLLATE "C" NULL,
            up_to text COLLATE "C" NULL,
            generation bigint NOT NULL DEFAULT 0,
            worker text NULL,
            lease interval NULL,
            lease_until timestamptz NULL,
            continue_after text COLLATE "C" NULL,
            completed boolean NOT NULL DEFAULT false,
            processed bigint NOT NULL DEFAULT 0,
            sent bigint NOT NULL DEFAULT 0,
            scheduled bigint NOT NULL DEFAULT 0,
            already_sent bigint NOT NULL DEFAULT 0,
            errors bigint NOT NULL DEFAULT 0,
            PRIMARY KEY (run_id, share)
        );
        """,

        // 3: events and the facts they keep, stage and tier changes.
        """
        ALTER TABLE {schema}.customers ADD COLUMN event_facts bytea NULL;

        CREATE TABLE {schema}.events (
            id text COLLATE "C" NOT NULL PRIMARY KEY,
            customer_id text COLLATE "C" NOT NULL REFERENCES {schema}.customers (id) ON DELETE CASCADE,
            type text NOT NULL,
            occurred_at bigint NOT NULL,
            data bytea NULL
        );

        CREATE INDEX events_by_customer ON {schema}.events (customer_id, occurred_at);

        CREATE TABLE {schema}.customer_changes (
            seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            customer_id text COLLATE "C" NOT NULL REFERENCES {schema}.customers (id) ON DELETE CASCADE,
            kind text NOT NULL,
            from_value text NULL,
            to_value text NOT NULL,
            at bigint NOT NULL,
            cause text NOT NULL,
            event_id text NULL
        );

        CREATE INDEX customer_changes_by_at ON {schema}.customer_changes (at, customer_id, seq);
        CREATE INDEX customer_changes_by_customer ON {schema}.customer_changes (customer_id);
        """,

        // 4: journey instances: the columns the due pass and status queries filter on, the rest as JSON.
        """
        CREATE TABLE {schema}.journey_instances (
            customer_id text COLLATE "C" NOT NULL REFERENCES {schema}.customers (id) ON DELETE CASCADE,
            journey_id text COLLATE "C" NOT NULL,
            instance_id text COLLATE "C" NOT NULL,
            status smallint NOT NULL,
            wake_at bigint NULL,
            data bytea NOT NULL,
            PRIMARY KEY (customer_id, journey_id, instance_id)
        );

        CREATE INDEX journey_instances_due ON {schema}.journey_instances (wake_at) WHERE status = 0;
        """,

        // 5: the method evidence of consent records (a keyed hash of IP address and user agent, never the raw values).
        """
        ALTER TABLE {schema}.consent_records ADD COLUMN method_evidence text NULL;
        """,

        // 6: double opt-in requests (grants of the double method without a confirmation) by the instant recorded, so the
        // sweep of confirmations a crash left unsent reads the requests of the confirmation window, not every customer.
        """
        CREATE INDEX consent_records_pending ON {schema}.consent_records (recorded_at, customer_id, seq) WHERE action = 0 AND opt_in = 1 AND confirmed_at IS NULL;
        """,

        // 7: the journeys' due pass reads the active instances in wake-up order, then key, a page after the last one: an
        // index in that whole order, so a page seeks to where the last ended and reads due rows only (an index on the
        // instant alone sorted every due row of the same instant again for each page).
        """
        CREATE INDEX journey_instances_due_order ON {schema}.journey_instances (wake_at, customer_id, journey_id, instance_id) WHERE status = 0;
        DROP INDEX {schema}.journey_instances_due;
        """,

        // 8: journey history appended as rows. Migration 4 kept each instance's history inside its JSON, so every step
        // rewrote the whole row (a new tuple of 1-2 KB after a few months, TOASTed past ~2 KB) with all the records
        // before it. Each record is now a row keyed by the instance and its number (the dropped oldest keep their
        // numbers, so a record's number never changes); the instance row keeps its state and the number of records ever
        // written. Existing histories move over in order; the JSON loses its "history" and gains "historyCount".
        """
        CREATE TABLE {schema}.journey_history (
            customer_id text COLLATE "C" NOT NULL REFERENCES {schema}.customers (id) ON DELETE CASCADE,
            journey_id text COLLATE "C" NOT NULL,
            instance_id text COLLATE "C" NOT NULL,
            seq integer NOT NULL,
            at bigint NOT NULL,
            step text NOT NULL,
            outcome text NOT NULL,
            detail text NULL,
            PRIMARY KEY (customer_id, journey_id, instance_id, seq)
        );

        INSERT INTO {schema}.journey_history (customer_id, journey_id, instance_id, seq, at, step, outcome, detail)
            SELECT i.customer_id, i.journey_id, i.instance_id,
                (convert_from(i.data, 'UTF8')::jsonb ->> 'historyDropped')::integer + (h.n - 1)::integer,
                (h.record ->> 'at')::bigint, h.record ->> 'step', h.record ->> 'outcome', h.record ->> 'detail'
            FROM {schema}.journey_instances i,
                jsonb_array_elements(convert_from(i.data, 'UTF8')::jsonb -> 'history') WITH ORDINALITY AS h (record, n);

        UPDATE {schema}.journey_instances SET data = convert_to((
            (convert_from(data, 'UTF8')::jsonb - 'history')
            || jsonb_build_object('historyCount', (convert_from(data, 'UTF8')::jsonb ->> 'historyDropped')::integer + jsonb_array_length(convert_from(data, 'UTF8')::jsonb -> 'history')))::text, 'UTF8');
        """,

        // 9: the key format of each run (ADR 0075). Runs recorded before made their idempotency keys in format 1 (pz1_,
        // a hash in no useful order) and keep it when resumed, so their keys match what they recorded; new runs record
        // the format they make (2: pz2_, sorted by the send instant). A release before this one that saves a run does
        // not name the column, so it gets 1, the format that release makes. The upsert of a run never changes it.
        """
        ALTER TABLE {schema}.runs ADD COLUMN key_format smallint NOT NULL DEFAULT 1;
        """,

        // 10: asks in a compact binary form inside event_facts (ADR 0079): a customer's facts with a recorded question's
        // ask are written as 0x01, the asks in binary (39 bytes an ask instead of its JSON's 92), then the other facts'
        // JSON. Rows written before keep their JSON, read as before, and take the new form at their next write; the
        // number makes an earlier release, which reads facts as JSON only, refuse the schema.
        """
        COMMENT ON COLUMN {schema}.customers.event_facts IS 'Facts: JSON, or 0x01, the asks in binary, then the other facts as JSON (ADR 0079).';
        """,

        // 11: the asks' key without its instant (ADR 0086): an ask whose time-ordered key (pz2_, pz3_) was made at its own
        // instant stores the key's 25 characters after the instant's 7 (35 bytes an ask instead of 39). Rows of migration
        // 10 read as they were; the number makes a release of migration 10, which would misread the shorter key, refuse
        // the schema.
        """
        COMMENT ON COLUMN {schema}.customers.event_facts IS 'Facts: JSON, or 0x01, the asks in binary (keys without their instant, ADR 0086), then the other facts as JSON (ADR 0079).';
        """,

        // 12: the pages of a send run (ADR 0077). A run over the store tags the idempotency keys of each page it decides
        // (pz3_: instant, the page's tag, hash), so a page's keys sit next to each other in the delivery log's key index,
        // and records the page's customer range with its tag in the transaction that records its messages: a resumed run
        // gives each customer its recorded page's tag and makes the same keys. A run's pages never overlap (a write that
        // records pages holds the run's advisory lock while it checks); the indexes by bound serve erasure, which moves a
        // bound naming the erased customer. Runs recorded before keep their format.
        """
        CREATE TABLE {schema}.run_pages (
            run_id text NOT NULL,
            first_customer text COLLATE "C" NOT NULL,
            last_customer text COLLATE "C" NOT NULL,
            tag text NOT NULL,
            PRIMARY KEY (run_id, first_customer)
        );

        CREATE INDEX run_pages_by_first ON {schema}.run_pages (first_customer);
        CREATE INDEX run_pages_by_last ON {schema}.run_pages (last_customer);
        """,
    ];

    /// <summary>The schema version this release writes: the number of migrations.</summary>
    public static int Version => Migrations.Length;

    /// <summary>Reads the schema's version: 0 when the schema or its migrations table does not exist. Changes nothing.</summary>
    public static async Task<int> ReadVersionAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT to_regclass(@table) IS NOT NULL";
        command.Parameters.AddWithValue("table", Quote(schema) + ".schema_migrations");
        if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not true)
        {
            return 0;
        }

        command.Parameters.Clear();
        command.CommandText = $"SELECT COALESCE(MAX(version), 0) FROM {Quote(schema)}.schema_migrations";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Applies the migrations after the schema's version up to <paramref name="to"/>, each in its own transaction under the schema's advisory lock.</summary>
    public static async Task MigrateAsync(NpgsqlConnection connection, string schema, int to, CancellationToken cancellationToken)
    {
        var quoted = Quote(schema);
        for (var number = 1; number <= to; number++)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;

            // Everyone migrating this schema waits here; the second finds the work done.
            command.CommandText = "SELECT pg_advisory_xact_lock(hashtextextended(@key, 0))";
            command.Parameters.AddWithValue("key", "personalize.migrate." + schema);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            command.Parameters.Clear();
            command.CommandText = $"""
                CREATE SCHEMA IF NOT EXISTS {quoted};
                CREATE TABLE IF NOT EXISTS {quoted}.schema_migrations (version integer NOT NULL PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
                SELECT COALESCE(MAX(version), 0) FROM {quoted}.schema_migrations;
                """;
            var current = Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            if (current > Version)
            {
                // A newer release migrated it while we waited: leave it alone (the caller reports it).
                await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                return;
            }

            if (current < number)
            {
                command.CommandText = Migrations[number - 1].Replace("{schema}", quoted, StringComparison.Ordinal)
                    + $"\nINSERT INTO {quoted}.schema_migrations (version) VALUES ({number});";
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The schema name as a quoted SQL identifier (names are checked by <see cref="PostgreSqlStoreOptions"/>: lower-case letters, digits, underscores).</summary>
    public static string Quote(string schema) => "\"" + schema + "\"";
}
