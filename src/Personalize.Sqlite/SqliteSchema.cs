using Microsoft.Data.Sqlite;

namespace Personalize.Sqlite;

/// <summary>
/// The numbered migrations. <c>PRAGMA user_version</c> holds the number of the last one applied; opening a database
/// applies the missing ones in order, each in its own transaction (a crash mid-migration leaves the previous version).
/// A database whose number is higher than <see cref="Version"/> was written by a newer release and is refused
/// without being changed. Never edit a shipped migration: add a new one.
/// </summary>
internal static class SqliteSchema
{
    /// <summary>The migrations, in order; migration <c>n</c> is <c>Migrations[n - 1]</c>.</summary>
    public static readonly string[] Migrations =
    [
        // 1: customers, their consent evidence and contact history.
        """
        CREATE TABLE store_meta (
            key TEXT NOT NULL PRIMARY KEY,
            value BLOB NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE customers (
            id TEXT NOT NULL PRIMARY KEY,
            version INTEGER NOT NULL,
            facts BLOB NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE consent_records (
            customer_id TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            scope_kind INTEGER NOT NULL,
            channel TEXT NULL,
            purpose INTEGER NULL,
            topic TEXT NULL,
            action INTEGER NOT NULL,
            recorded_at INTEGER NOT NULL,
            source_kind INTEGER NOT NULL,
            source_detail TEXT NULL,
            wording TEXT NULL,
            wording_version TEXT NULL,
            opt_in INTEGER NOT NULL,
            confirmed_at INTEGER NULL,
            PRIMARY KEY (customer_id, seq)
        ) WITHOUT ROWID;

        CREATE TABLE contact_history (
            customer_id TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
            sent_at INTEGER NOT NULL,
            message_id TEXT NOT NULL,
            channel TEXT NOT NULL,
            purpose INTEGER NOT NULL,
            kind INTEGER NOT NULL,
            idempotency_key TEXT NULL
        );

        CREATE INDEX contact_history_by_customer ON contact_history (customer_id, sent_at);
        CREATE UNIQUE INDEX contact_history_by_key ON contact_history (idempotency_key) WHERE idempotency_key IS NOT NULL;
        """,

        // 2: the send loop: delivery log, scheduled sends, runs and the suppression list.
        """
        CREATE TABLE delivery_log (
            idempotency_key TEXT NOT NULL PRIMARY KEY,
            customer_id TEXT NULL REFERENCES customers (id) ON DELETE SET NULL,
            message_id TEXT NOT NULL,
            channel TEXT NOT NULL,
            purpose INTEGER NOT NULL,
            kind INTEGER NOT NULL,
            sent_at INTEGER NOT NULL,
            trigger TEXT NOT NULL,
            template TEXT NULL,
            run_id TEXT NULL,
            state INTEGER NOT NULL
        ) WITHOUT ROWID;

        CREATE INDEX delivery_log_by_customer ON delivery_log (customer_id) WHERE customer_id IS NOT NULL;
        CREATE INDEX delivery_log_pending ON delivery_log (sent_at, idempotency_key) WHERE state = 0;

        CREATE TABLE scheduled_sends (
            idempotency_key TEXT NOT NULL PRIMARY KEY,
            customer_id TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
            message_id TEXT NOT NULL,
            channel TEXT NOT NULL,
            template TEXT NOT NULL,
            trigger TEXT NOT NULL,
            purpose INTEGER NOT NULL,
            kind INTEGER NOT NULL,
            due_at INTEGER NOT NULL,
            decided_at INTEGER NOT NULL,
            run_id TEXT NULL,
            state INTEGER NOT NULL,
            reason TEXT NULL,
            completed_at INTEGER NULL
        ) WITHOUT ROWID;

        CREATE INDEX scheduled_sends_due ON scheduled_sends (state, due_at, idempotency_key);
        CREATE INDEX scheduled_sends_by_customer ON scheduled_sends (customer_id);

        CREATE TABLE runs (
            id TEXT NOT NULL PRIMARY KEY,
            trigger TEXT NOT NULL,
            at INTEGER NOT NULL,
            status INTEGER NOT NULL,
            started_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            processed INTEGER NOT NULL,
            sent INTEGER NOT NULL,
            scheduled INTEGER NOT NULL,
            already_sent INTEGER NOT NULL,
            errors INTEGER NOT NULL
        ) WITHOUT ROWID;

        CREATE INDEX runs_by_start ON runs (started_at);

        CREATE TABLE suppression (
            hash TEXT NOT NULL PRIMARY KEY,
            kind INTEGER NOT NULL,
            reason TEXT NOT NULL,
            at INTEGER NOT NULL
        ) WITHOUT ROWID;
        """,

        // 3: events and the facts they keep, stage and tier changes.
        """
        ALTER TABLE customers ADD COLUMN event_facts BLOB NULL;

        CREATE TABLE events (
            id TEXT NOT NULL PRIMARY KEY,
            customer_id TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
            type TEXT NOT NULL,
            occurred_at INTEGER NOT NULL,
            data BLOB NULL
        ) WITHOUT ROWID;

        CREATE INDEX events_by_customer ON events (customer_id, occurred_at);

        CREATE TABLE customer_changes (
            seq INTEGER PRIMARY KEY,
            customer_id TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            from_value TEXT NULL,
            to_value TEXT NOT NULL,
            at INTEGER NOT NULL,
            cause TEXT NOT NULL,
            event_id TEXT NULL
        );

        CREATE INDEX customer_changes_by_at ON customer_changes (at, customer_id, seq);
        CREATE INDEX customer_changes_by_customer ON customer_changes (customer_id);
        """,

        // 4: journey instances: the columns the due pass and status queries filter on, the rest as JSON.
        """
        CREATE TABLE journey_instances (
            customer_id TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
            journey_id TEXT NOT NULL,
            instance_id TEXT NOT NULL,
            status INTEGER NOT NULL,
            wake_at INTEGER NULL,
            data BLOB NOT NULL,
            PRIMARY KEY (customer_id, journey_id, instance_id)
        ) WITHOUT ROWID;

        CREATE INDEX journey_instances_due ON journey_instances (wake_at) WHERE status = 0;
        """,

        // 5: the method evidence of consent records (a keyed hash of IP address and user agent, never the raw values).
        """
        ALTER TABLE consent_records ADD COLUMN method_evidence TEXT NULL;
        """,

        // 6: fewer random page writes per recorded message. The delivery log keeps its rows in the order they were
        // written (a rowid table; the key is a unique index), so a page of messages lands on a few neighbouring pages
        // and marking it delivered rewrites those same pages instead of one random page per key. Contact history loses
        // its index on the key: a keyed history row is only written with a new delivery log row, whose key is unique,
        // and the one lookup by key (a failed delivery) goes through the customer's index.
        """
        DROP INDEX contact_history_by_key;

        CREATE TABLE delivery_log_v6 (
            idempotency_key TEXT NOT NULL,
            customer_id TEXT NULL REFERENCES customers (id) ON DELETE SET NULL,
            message_id TEXT NOT NULL,
            channel TEXT NOT NULL,
            purpose INTEGER NOT NULL,
            kind INTEGER NOT NULL,
            sent_at INTEGER NOT NULL,
            trigger TEXT NOT NULL,
            template TEXT NULL,
            run_id TEXT NULL,
            state INTEGER NOT NULL
        );

        INSERT INTO delivery_log_v6 (idempotency_key, customer_id, message_id, channel, purpose, kind, sent_at, trigger, template, run_id, state)
            SELECT idempotency_key, customer_id, message_id, channel, purpose, kind, sent_at, trigger, template, run_id, state FROM delivery_log ORDER BY sent_at, idempotency_key;
        DROP TABLE delivery_log;
        ALTER TABLE delivery_log_v6 RENAME TO delivery_log;

        CREATE UNIQUE INDEX delivery_log_by_key ON delivery_log (idempotency_key);
        CREATE INDEX delivery_log_by_customer ON delivery_log (customer_id) WHERE customer_id IS NOT NULL;
        CREATE INDEX delivery_log_pending ON delivery_log (sent_at, idempotency_key) WHERE state = 0;
        """,

        // 7: double opt-in requests (grants of the double method without a confirmation) by the instant recorded, so the
        // sweep of confirmations a crash left unsent reads the requests of the confirmation window, not every customer.
        """
        CREATE INDEX consent_records_pending ON consent_records (recorded_at, customer_id, seq) WHERE action = 0 AND opt_in = 1 AND confirmed_at IS NULL;
        """,

        // 8: narrow customer rows. The profile JSON (~1-2 KB, which spilled every customers row to overflow pages) moves to
        // its own table; the customers row keeps the version, the event facts and the profile fields the tick and event
        // screens read (stage, pinned, time zone, service flags, the birthday attribute as JSON), written from the same
        // profile in the same transaction as the JSON. A send's version bump rewrites this small row, not the profile;
        // a screen reads the columns, not the JSON. Dropping the column rewrites the table in place (no DROP TABLE: that
        // would delete, and with foreign keys on cascade to, every customer's evidence and history).
        """
        CREATE TABLE customer_profiles (
            id TEXT NOT NULL PRIMARY KEY REFERENCES customers (id) ON DELETE CASCADE,
            profile BLOB NOT NULL
        ) WITHOUT ROWID;

        INSERT INTO customer_profiles (id, profile) SELECT id, facts FROM customers ORDER BY id;

        ALTER TABLE customers ADD COLUMN stage INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE customers ADD COLUMN stage_pinned INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE customers ADD COLUMN time_zone TEXT NOT NULL DEFAULT '';
        ALTER TABLE customers ADD COLUMN service_flags INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE customers ADD COLUMN nps_score INTEGER NULL;
        ALTER TABLE customers ADD COLUMN birthday BLOB NULL;

        UPDATE customers SET
            stage = CASE lower(json_extract(CAST(facts AS TEXT), '$.stage')) WHEN 'adoption' THEN 1 WHEN 'retention' THEN 2 ELSE 0 END,
            stage_pinned = CASE WHEN json_extract(CAST(facts AS TEXT), '$.stagePinned') = 1 THEN 1 ELSE 0 END,
            time_zone = COALESCE(json_extract(CAST(facts AS TEXT), '$.timeZone'), ''),
            service_flags = (CASE WHEN json_extract(CAST(facts AS TEXT), '$.serviceFlags.openComplaint') = 1 THEN 1 ELSE 0 END)
                | (CASE WHEN json_extract(CAST(facts AS TEXT), '$.serviceFlags.failedPayment') = 1 THEN 2 ELSE 0 END),
            nps_score = json_extract(CAST(facts AS TEXT), '$.serviceFlags.npsScore'),
            birthday = CAST(CAST(facts AS TEXT) -> '$.attributes.birthday' AS BLOB);

        ALTER TABLE customers DROP COLUMN facts;
        """,

        // 9: profile rows that fit their page. In a WITHOUT ROWID table SQLite keeps at most ~1 KB of a row on its b-tree
        // page and spills the rest to an overflow page of its own, so migration 8's profiles (~1-2 KB each) took two
        // pages apiece, the second nearly empty: 100,000 customers filled ~114,000 pages (444 MB) and a page of a send
        // run read two pages per customer. A rowid table keeps up to ~4 KB on the page (three or four profiles per
        // page); the id stays the primary key (an index beside it), written in id order so a page's profiles are
        // neighbours.
        """
        CREATE TABLE customer_profiles_v9 (
            id TEXT NOT NULL PRIMARY KEY REFERENCES customers (id) ON DELETE CASCADE,
            profile BLOB NOT NULL
        );

        INSERT INTO customer_profiles_v9 (id, profile) SELECT id, profile FROM customer_profiles ORDER BY id;
        DROP TABLE customer_profiles;
        ALTER TABLE customer_profiles_v9 RENAME TO customer_profiles;
        """,

        // 10: events appended, not sorted in by id. In migration 3's WITHOUT ROWID table keyed by the event id, each event
        // (with its data, ~150 bytes) went to the page its id sorts to: ids arrive in no order, so a batch of 2,000 events
        // rewrote nearly one page of the table per event and the table's every page in turn (each a 4 KB write to the
        // log at commit, and again at the checkpoint). A rowid table appends a batch's events to a few neighbouring pages;
        // the id stays unique through an index of ids alone (~25 bytes an entry, so its pages are ten times fewer), which
        // also answers "which of these ids are held" without reading the events. Copied in customer and time order.
        """
        CREATE TABLE events_v10 (
            id TEXT NOT NULL,
            customer_id TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
            type TEXT NOT NULL,
            occurred_at INTEGER NOT NULL,
            data BLOB NULL
        );

        INSERT INTO events_v10 (id, customer_id, type, occurred_at, data)
            SELECT id, customer_id, type, occurred_at, data FROM events ORDER BY customer_id, occurred_at, id;
        DROP TABLE events;
        ALTER TABLE events_v10 RENAME TO events;

        CREATE UNIQUE INDEX events_by_id ON events (id);
        CREATE INDEX events_by_customer ON events (customer_id, occurred_at);
        """,

        // 11: journey history appended as rows. Migration 4 kept each instance's history inside its JSON, so every step
        // rewrote the whole row with all the records before it (1-2 KB after a few months, past the ~1 KB a WITHOUT
        // ROWID row keeps on its page: an overflow page per instance). Each record is now a row keyed by the instance and
        // its number (the dropped oldest keep their numbers, so a record's number never changes); the instance row keeps
        // its state and the number of records ever written. The records of an instance are neighbours, so a step adds to
        // one page. Existing histories move over in order; the JSON loses its "history" and gains "historyCount".
        """
        CREATE TABLE journey_history (
            customer_id TEXT NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
            journey_id TEXT NOT NULL,
            instance_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            at INTEGER NOT NULL,
            step TEXT NOT NULL,
            outcome TEXT NOT NULL,
            detail TEXT NULL,
            PRIMARY KEY (customer_id, journey_id, instance_id, seq)
        ) WITHOUT ROWID;

        INSERT INTO journey_history (customer_id, journey_id, instance_id, seq, at, step, outcome, detail)
            SELECT i.customer_id, i.journey_id, i.instance_id,
                json_extract(CAST(i.data AS TEXT), '$.historyDropped') + h.key,
                json_extract(h.value, '$.at'), json_extract(h.value, '$.step'), json_extract(h.value, '$.outcome'), json_extract(h.value, '$.detail')
            FROM journey_instances i, json_each(CAST(i.data AS TEXT), '$.history') h
            ORDER BY i.customer_id, i.journey_id, i.instance_id, h.key;

        UPDATE journey_instances SET data = CAST(json_set(
            json_remove(CAST(data AS TEXT), '$.history'),
            '$.historyCount', json_extract(CAST(data AS TEXT), '$.historyDropped') + json_array_length(CAST(data AS TEXT), '$.history')) AS BLOB);
        """,

        // 12: the records of one advance in one history row (ADR 0061). A due pass's step adds three records (the wait
        // ended, the message sent, the next wait), and each was a row of its own: three inserts, three index entries and
        // three foreign key checks per customer advanced, on the one writer the pass waits for. A row now holds the
        // records from its seq on: the first in the columns it had, the others (records - 1) in "more" as a JSON array
        // of [at, step, outcome, detail]. The rows before keep one record each (records 1, more NULL): nothing is copied,
        // so a database of any size takes this migration at once.
        """
        ALTER TABLE journey_history ADD COLUMN records INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE journey_history ADD COLUMN more TEXT NULL;
        """,

        // 13: the key format of each run (ADR 0075). Runs recorded before made their idempotency keys in format 1 (pz1_,
        // a hash in no useful order) and keep it when resumed, so their keys match what they recorded; new runs record
        // the format they make (2: pz2_, sorted by the send instant). A release before this one that saves a run does
        // not name the column, so it gets 1, the format that release makes.
        """
        ALTER TABLE runs ADD COLUMN key_format INTEGER NOT NULL DEFAULT 1;
        """,

        // 14: asks in a compact binary form inside the facts blob (ADR 0079). The facts of a customer with a recorded
        // question's ask ("asked.ID": the count, the send instant, the message's idempotency key) are written as 0x01,
        // the asks in binary, then the other facts' JSON: 39 bytes an ask instead of its JSON's 92, which the customers
        // row otherwise carries with every later send (a customer's first ask grew the row, and the table, 3.7 times).
        // Rows written before keep their JSON, read as before, and take the new form at their next write: nothing is
        // copied, so a database of any size takes this migration at once. The number makes an earlier release, which
        // reads facts as JSON only, refuse the database instead of failing on its rows.
        """
        -- no table changes: the facts blob's second form (ADR 0079)
        """,

        // 15: the asks' key without its instant (ADR 0086). A time-ordered key (pz2_, and pz3_ of a run's pages) begins
        // with 7 characters of its send instant's second, which the ask holds already: an ask whose key was made at its
        // own instant stores the key's other 25 characters in 16 bytes instead of 32 in 20 (35 bytes an ask instead of
        // 39), with flags 8 (the prefix pz3_) and 16 (the instant left out). Rows of migration 14 read as they were and
        // take the new form at their next write; the number makes a release of migration 14, which would misread the
        // shorter key, refuse the database.
        """
        -- no table changes: the asks' keys without their instant (ADR 0086)
        """,

        // 16: the pages of a send run (ADR 0077). A run over the store tags the idempotency keys of each page it decides
        // (pz3_: instant, the page's tag, hash), so a page's keys sit next to each other in the delivery log's key index,
        // and records the page's customer range with its tag in the transaction that records its messages: a resumed run
        // gives each customer its recorded page's tag and makes the same keys. A run's pages never overlap; the indexes by
        // bound serve erasure, which moves a bound naming the erased customer. Runs recorded before keep their format.
        """
        CREATE TABLE run_pages (
            run_id TEXT NOT NULL,
            first_customer TEXT NOT NULL,
            last_customer TEXT NOT NULL,
            tag TEXT NOT NULL,
            PRIMARY KEY (run_id, first_customer)
        ) WITHOUT ROWID;

        CREATE INDEX run_pages_by_first ON run_pages (first_customer);
        CREATE INDEX run_pages_by_last ON run_pages (last_customer);
        """,

        // 17: a logged message's contact history record is its delivery log entry (ADR 0083): a send writes one row, not
        // two. A customer's history is the rows of contact_history (imported records) and every delivery log entry that
        // names the customer (every such entry had its history row since migration 2: both were written in one
        // transaction, a failure deletes both, erasure clears the entry's customer and cascades the row). The delivery
        // log's customer index takes the instant and the history's other columns, so a customer's entries are read in
        // history order from the index alone (no visit of the wider rows). The history rows of logged messages go: their
        // entries now serve them.
        """
        DROP INDEX delivery_log_by_customer;
        CREATE INDEX delivery_log_by_customer ON delivery_log (customer_id, sent_at, message_id, channel, purpose, kind) WHERE customer_id IS NOT NULL;
        DELETE FROM contact_history WHERE idempotency_key IS NOT NULL
            AND EXISTS (SELECT 1 FROM delivery_log d WHERE d.idempotency_key = contact_history.idempotency_key AND d.customer_id = contact_history.customer_id);
        """,
    ];

    /// <summary>The schema version this release writes: the number of migrations.</summary>
    public static int Version => Migrations.Length;

    /// <summary>Reads the database's schema version.</summary>
    public static long ReadVersion(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Applies the migrations after <paramref name="from"/> up to <paramref name="to"/>, each in its own transaction.</summary>
    public static void Migrate(SqliteConnection connection, long from, int to)
    {
        for (var number = (int)from + 1; number <= to; number++)
        {
            // BEGIN IMMEDIATE takes the write lock: another process opening the same new database at the same moment
            // waits here, then finds the migration applied and skips it.
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "PRAGMA user_version";
            if ((long)command.ExecuteScalar()! < number)
            {
                command.CommandText = Migrations[number - 1] + $"\nPRAGMA user_version = {number};";
                command.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }
}
