using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Events;
using Personalize.Storage;
using Personalize.Storage.Contract;
using static Personalize.Storage.Contract.StoreKit;

namespace Personalize.Sqlite.Tests;

/// <summary>What only the SQLite store promises: durability across reopening, its pragmas, migrations, refusals.</summary>
public sealed class SqliteStoreTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task An_id_that_is_not_valid_text_finds_no_customer_and_the_others_of_its_read_are_found()
    {
        using var store = SqlitePersonalizeStore.Open(_db.File, StoreKit.Channels);
        await store.ImportCustomersAsync([Customer("c-1"), Customer("c-\uFFFD")]);

        // A lone surrogate is no stored id (SQLite keeps text as valid UTF-8): not found, and not mistaken for its replacement character.
        var found = await store.GetCustomersAsync(["c-\uD800", "c-1"]);

        Assert.Equal(["c-1"], found.Select(c => c.Id));
        Assert.Null(await store.GetCustomerAsync("c-\uD800"));
        Assert.Equal("c-\uFFFD", (await store.GetCustomerAsync("c-\uFFFD"))?.Id);
    }

    [Fact]
    public async Task The_send_run_reads_and_writes_through_the_bundled_SQLite_directly_and_keeps_empty_texts_apart_from_null()
    {
        // The package's own SQLite (Microsoft.Data.Sqlite's bundle) is the library the direct column reads and binds reach.
        Assert.True(SqliteNative.Available);

        using var store = SqlitePersonalizeStore.Open(_db.File, StoreKit.Channels);
        await store.ImportCustomersAsync([Customer("c-1"), Customer("c-ü")]);
        var empty = Send("c-1", "m", Now) with { Template = string.Empty };
        var none = Send("c-ü", "m", Now) with { Template = null };
        var written = await store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", ExpectedVersion = 1, Deliveries = [empty] }, new CustomerSends { CustomerId = "c-ü", ExpectedVersion = 1, Deliveries = [none] }] });

        Assert.All(written.Customers, c => Assert.Equal(WriteStatus.Written, c.Status));
        Assert.Equal(string.Empty, (await store.FindDeliveryAsync(empty.IdempotencyKey))?.Template);
        Assert.Null((await store.FindDeliveryAsync(none.IdempotencyKey))?.Template);
        var page = await store.ReadCustomersAsync(new CustomerQuery { Limit = 10 });
        Assert.Equal(["c-1", "c-ü"], page.Items.Select(c => c.Id));
        Assert.All(page.Items, c => Assert.Equal("m", Assert.Single(c.Profile.History.Records, r => r.SentAt == Now).MessageId));
        Assert.Equal(Customer("c-1").Consents.Records, page.Items[0].Profile.Consents.Records);
    }

    [Fact]
    public async Task Everything_written_is_there_after_the_file_is_closed_and_opened_again()
    {
        var delivery = Send("c-1", "m", Now);
        var scheduled = Scheduled("c-1", "tips", Now.AddHours(2));
        var run = new RunRecord { Id = RunRecord.CreateId("schedule", Now), Trigger = "schedule", At = Now, StartedAt = Now, UpdatedAt = Now, Sent = 1 };
        using (var store = SqlitePersonalizeStore.Open(_db.File, StoreKit.Channels))
        {
            await store.ImportCustomersAsync([Customer("c-1"), Customer("c-2")]);
            await store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", Deliveries = [delivery], Scheduled = [scheduled] }] });
            await store.SaveRunAsync(run);
            await store.EraseCustomerAsync("c-2", Now);
        }

        using var reopened = SqlitePersonalizeStore.Open(_db.File, StoreKit.Channels);
        var customer = (await reopened.GetCustomerAsync("c-1"))!;
        Assert.Equal(FactsJson(Customer("c-1")), FactsJson(customer.Profile));
        Assert.Equal(5, customer.Profile.Consents.Records.Count);
        Assert.Equal(3, customer.Profile.History.Count);
        Assert.NotNull(await reopened.FindDeliveryAsync(delivery.IdempotencyKey));
        Assert.Single((await reopened.ReadScheduledSendsAsync(new ScheduledSendQuery())).Items);
        Assert.Equal(run, await reopened.GetRunAsync(run.Id));

        // The suppression salt is kept in the file: the erased address still matches after reopening.
        Assert.NotNull(await reopened.FindSuppressionAsync(ContactPointKind.Email, "c-2@example.com"));
    }

    [Fact]
    public async Task An_ingestion_write_leaves_no_event_of_a_gone_customer_and_foreign_keys_are_enforced_again_after_it()
    {
        // An ingestion write checks each customer's row itself (SQLite's per-event key check is off for it): the events of a
        // customer that is gone are not left behind, and the next writes and erasures have the foreign keys as before.
        using var store = SqlitePersonalizeStore.Open(_db.File, StoreKit.Channels);
        await store.ImportCustomersAsync([Bare("c-1")]);
        var v1 = (await store.GetCustomerAsync("c-1"))!.Version;
        var written = await store.RecordAsync(new SendBatch
        {
            Customers =
            [
                new CustomerSends { CustomerId = "gone", ExpectedVersion = 1, Events = [Event("g-1", "gone", "login", Now)], Facts = OneFact("logins", 1L, "g-1") },
                new CustomerSends { CustomerId = "gone-too", ExpectedVersion = 1, Events = [Event("g-2", "gone-too", "login", Now.AddDays(-1))] },
                new CustomerSends { CustomerId = "c-1", ExpectedVersion = v1, Events = [Event("e-1", "c-1", "login", Now)], Facts = OneFact("logins", 1L, "e-1") },
            ],
        });

        Assert.Equal([WriteStatus.NotFound, WriteStatus.NotFound, WriteStatus.Written], written.Customers.Select(static c => c.Status));
        Assert.Equal(["e-1"], (await store.ReadEventsAsync(new EventQuery())).Items.Select(static e => e.Id));
        Assert.Equal("1", store.WriterPragma("foreign_keys"));
        var send = await store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "gone", Deliveries = [Send("gone", "welcome", Now)] }] });
        Assert.Equal(WriteStatus.NotFound, send.Customers[0].Status);

        await store.EraseCustomerAsync("c-1", Now);
        Assert.Empty((await store.ReadEventsAsync(new EventQuery())).Items);
    }

    [Fact]
    public async Task A_send_write_records_nothing_for_a_gone_customer_and_erasure_still_takes_the_history_with_the_customer()
    {
        // A write of only sends, deferrals, delivered marks and failures checks each customer's row itself (SQLite's per-row
        // key check is off for it): a customer gone since the decision gets no delivery log entry, history or scheduled send,
        // in a batch with and without a version to check, and the foreign keys are on again for the erasure after it.
        using var store = SqlitePersonalizeStore.Open(_db.File, StoreKit.Channels);
        await store.ImportCustomersAsync([Bare("c-1")]);
        var v1 = (await store.GetCustomerAsync("c-1"))!.Version;
        var kept = Send("c-1", "welcome", Now);
        var written = await store.RecordAsync(new SendBatch
        {
            Customers =
            [
                new CustomerSends { CustomerId = "gone", ExpectedVersion = 1, Deliveries = [Send("gone", "welcome", Now)], Scheduled = [Scheduled("gone", "tips", Now.AddHours(2))] },
                new CustomerSends { CustomerId = "gone-too", Deliveries = [Send("gone-too", "welcome", Now)] },
                new CustomerSends { CustomerId = "gone-three", ExpectedVersion = 1, Scheduled = [Scheduled("gone-three", "tips", Now.AddHours(2))] },
                new CustomerSends { CustomerId = "c-1", ExpectedVersion = v1, Deliveries = [kept], Scheduled = [Scheduled("c-1", "tips", Now.AddHours(2))] },
            ],
        });

        Assert.Equal([WriteStatus.NotFound, WriteStatus.NotFound, WriteStatus.NotFound, WriteStatus.Written], written.Customers.Select(static c => c.Status));
        Assert.Equal([kept.IdempotencyKey], (await store.ReadDeliveriesAsync(new DeliveryQuery())).Items.Select(static d => d.IdempotencyKey));
        Assert.Equal(["c-1"], (await store.ReadScheduledSendsAsync(new ScheduledSendQuery())).Items.Select(static s => s.CustomerId));
        Assert.Equal("1", store.WriterPragma("foreign_keys"));
        var history = (await store.GetCustomerAsync("c-1"))!.Profile.History.Count;

        var erased = await store.EraseCustomerAsync("c-1", Now);
        Assert.Equal(history, erased.HistoryRecords);
        Assert.Equal(1, erased.ScheduledSends);
        Assert.Empty((await store.ReadScheduledSendsAsync(new ScheduledSendQuery())).Items);
        Assert.Null((await store.ReadDeliveriesAsync(new DeliveryQuery())).Items.Single().CustomerId);
    }

    [Fact]
    public void A_new_database_has_the_current_schema_wal_and_foreign_keys_and_writes_with_synchronous_full()
    {
        using var store = SqlitePersonalizeStore.Open(_db.File, StoreKit.Channels);

        Assert.Equal("wal", store.WriterPragma("journal_mode"));
        Assert.Equal("2", store.WriterPragma("synchronous")); // FULL
        Assert.Equal("1", store.WriterPragma("foreign_keys"));
        Assert.Equal("-65536", store.WriterPragma("cache_size")); // a 64 MB bound on the writer's page cache
        Assert.Equal(SqlitePersonalizeStore.SchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), store.WriterPragma("user_version"));
        Assert.Equal(17, SqlitePersonalizeStore.SchemaVersion);
    }

    [Fact]
    public async Task A_database_of_the_previous_version_is_migrated_on_open_and_keeps_its_customers()
    {
        // Version 3 (customers, sends, events; no journeys), written as the previous release would have.
        using (var connection = new SqliteConnection($"Data Source={_db.File};Pooling=False"))
        {
            connection.Open();
            SqliteSchema.Migrate(connection, 0, 3);
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO customers (id, version, facts) VALUES ('c-1', 3, $facts); INSERT INTO store_meta (key, value) VALUES ('suppression_salt', $salt);";
            command.Parameters.AddWithValue("$facts", new Serialization.CustomerJson(StoreKit.Channels).WriteCustomer(Bare("c-1")));
            command.Parameters.AddWithValue("$salt", new byte[32]);
            command.ExecuteNonQuery();
        }

        using var store = SqlitePersonalizeStore.Open(_db.File, StoreKit.Channels);

        Assert.Equal(SqlitePersonalizeStore.SchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), store.WriterPragma("user_version"));
        var customer = (await store.GetCustomerAsync("c-1"))!;
        Assert.Equal((3L, "c-1@example.com"), (customer.Version, customer.Profile.ContactPoints.Email));
        Assert.Empty(customer.Profile.Facts);
        var journey = new Journeys.JourneyInstance { CustomerId = "c-1", JourneyId = "renewal", InstanceId = "1", Version = 1, StepId = "call", WakeAt = Now };
        var recorded = await store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", ExpectedVersion = 3, Deliveries = [Send("c-1", "m", Now)], Journeys = [journey] }] });
        Assert.Equal(WriteStatus.Written, recorded.Customers[0].Status);
        Assert.Equal("call", Assert.Single((await store.ReadJourneysAsync(new Journeys.JourneyQuery { DueBy = Now })).Items).StepId);
    }

    [Fact]
    public async Task A_mark_for_an_entry_of_a_rolled_back_write_leaves_the_entry_that_took_its_place_pending()
    {
        // The writer remembers the row of each entry it records pending and marks it by that row; a write rolled back
        // after the insert leaves a remembered row that another entry takes next.
        using var store = SqlitePersonalizeStore.Open(_db.File, StoreKit.Channels);
        await store.ImportCustomersAsync([Customer("c-1")]);
        var version = (await store.GetCustomerAsync("c-1"))!.Version;
        var lost = Send("c-1", "m", Now);
        var bogus = new ScheduledSendCompletion { IdempotencyKey = "pz1_nosuchscheduledsendnosuchsendxx", State = ScheduledSendState.Sent, At = Now };
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", ExpectedVersion = version, Deliveries = [lost], Completions = [bogus] }] }));
        Assert.Null(await store.FindDeliveryAsync(lost.IdempotencyKey));
        var next = Send("c-1", "n", Now.AddMinutes(1));
        await store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", Deliveries = [next] }] });

        await store.RecordAsync(new SendBatch { Delivered = [lost.IdempotencyKey] });

        Assert.Null(await store.FindDeliveryAsync(lost.IdempotencyKey));
        Assert.Equal(DeliveryState.Pending, (await store.FindDeliveryAsync(next.IdempotencyKey))!.State);
        await store.RecordAsync(new SendBatch { Delivered = [next.IdempotencyKey] });
        Assert.Equal(DeliveryState.Delivered, (await store.FindDeliveryAsync(next.IdempotencyKey))!.State);
    }

    [Fact]
    public async Task Entries_recorded_pending_are_marked_delivered_by_the_next_write_whether_their_row_is_remembered_or_not()
    {
        var keys = Enumerable.Range(0, 120).Select(i => Send("c-1", "m" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), Now.AddSeconds(i))).ToList();
        using (var first = SqlitePersonalizeStore.Open(_db.File, StoreKit.Channels))
        {
            await first.ImportCustomersAsync([Customer("c-1")]);
            var version = (await first.GetCustomerAsync("c-1"))!.Version;
            await first.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", ExpectedVersion = version, Deliveries = keys.GetRange(0, 60) }] });
        }

        // A new store remembers no rows: the first 60 are marked by key, the next 60 (recorded by this store) by row.
        using var store = SqlitePersonalizeStore.Open(_db.File, StoreKit.Channels);
        var now = (await store.GetCustomerAsync("c-1"))!.Version;
        await store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", ExpectedVersion = now, Deliveries = keys.GetRange(60, 60) }] });

        await store.RecordAsync(new SendBatch { Delivered = [.. keys.Where((_, i) => i % 3 != 0).Select(k => k.IdempotencyKey)] });

        var pending = (await store.ReadDeliveriesAsync(new DeliveryQuery { State = DeliveryState.Pending, Limit = 500 })).Items.Select(d => d.IdempotencyKey).Order(StringComparer.Ordinal);
        Assert.Equal(keys.Where((_, i) => i % 3 == 0).Select(k => k.IdempotencyKey).Order(StringComparer.Ordinal), pending);
        Assert.Equal(80, (await store.ReadDeliveriesAsync(new DeliveryQuery { State = DeliveryState.Delivered, Limit = 500 })).Items.Count);
    }

    [Fact]
    public async Task Entries_never_marked_do_not_stop_the_writer_remembering_new_ones_and_every_entry_is_still_marked()
    {
        // A host that records pending and never marks (here: the first 10) fills what the writer remembers; when full it
        // starts again empty, so later entries are marked by row again, and the dropped ones are still marked by key.
        var keys = Enumerable.Range(0, 16).Select(i => Send("c-1", "m" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), Now.AddSeconds(i))).ToList();
        using var store = SqlitePersonalizeStore.Open(_db.File, StoreKit.Channels);
        store.MaxPendingRows = 8;
        await store.ImportCustomersAsync([Customer("c-1")]);
        foreach (var send in keys.GetRange(0, 10))
        {
            var version = (await store.GetCustomerAsync("c-1"))!.Version;
            await store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", ExpectedVersion = version, Deliveries = [send] }] });
        }

        Assert.Equal(2, store.RememberedPendingRows); // full at 8, started again with the 9th
        var now = (await store.GetCustomerAsync("c-1"))!.Version;
        await store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", ExpectedVersion = now, Deliveries = keys.GetRange(10, 6) }] });
        Assert.Equal(8, store.RememberedPendingRows);

        await store.RecordAsync(new SendBatch { Delivered = [.. keys.GetRange(10, 6).Select(k => k.IdempotencyKey)] });
        Assert.Equal(2, store.RememberedPendingRows); // the new ones were found by row; the 9th and 10th are still held
        Assert.Equal(10, (await store.ReadDeliveriesAsync(new DeliveryQuery { State = DeliveryState.Pending, Limit = 500 })).Items.Count);

        // The entries dropped when it started again (the first 8) and the held ones are all marked.
        await store.RecordAsync(new SendBatch { Delivered = [.. keys.GetRange(0, 10).Select(k => k.IdempotencyKey)] });
        Assert.Equal(0, store.RememberedPendingRows);
        Assert.Empty((await store.ReadDeliveriesAsync(new DeliveryQuery { State = DeliveryState.Pending, Limit = 500 })).Items);
        Assert.Equal(16, (await store.ReadDeliveriesAsync(new DeliveryQuery { State = DeliveryState.Delivered, Limit = 500 })).Items.Count);
    }

    [Fact]
    public async Task A_version_5_delivery_log_and_history_survive_migration_6_and_keep_every_key_to_one_send()
    {
        // Version 5 wrote the delivery log keyed by its idempotency key; migration 6 moves it to a table in write order.
        var first = Send("c-1", "m", Now);
        var second = Send("c-1", "n", Now.AddMinutes(1));
        using (var connection = new SqliteConnection($"Data Source={_db.File};Pooling=False"))
        {
            connection.Open();
            SqliteSchema.Migrate(connection, 0, 5);
        }

        InsertAsBefore8(_db.File, [Customer("c-1")]);
        using (var old = SqlitePersonalizeStore.OpenAt(_db.File, StoreKit.Channels, schemaVersion: 5))
        {
            await old.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", Deliveries = [first, second] }] });
            await old.RecordAsync(new SendBatch { Delivered = [first.IdempotencyKey] });
        }

        using var store = SqlitePersonalizeStore.Open(_db.File, StoreKit.Channels);

        Assert.Equal(SqlitePersonalizeStore.SchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), store.WriterPragma("user_version"));
        Assert.Equal(DeliveryState.Delivered, (await store.FindDeliveryAsync(first.IdempotencyKey))!.State);
        Assert.Equal(DeliveryState.Pending, (await store.FindDeliveryAsync(second.IdempotencyKey))!.State);
        var customer = (await store.GetCustomerAsync("c-1"))!;
        var again = await store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", ExpectedVersion = customer.Version, Deliveries = [first] }] });
        Assert.Equal([first.IdempotencyKey], again.Customers[0].AlreadyRecorded);
        Assert.Equal(customer.Profile.History.Count, (await store.GetCustomerAsync("c-1"))!.Profile.History.Count);

        // A failed delivery still takes its history record with it (found through the customer, not the key).
        await store.RecordAsync(new SendBatch { Failed = [new DeliveryFailure(second.IdempotencyKey, "sink.rejected")] });
        Assert.Null(await store.FindDeliveryAsync(second.IdempotencyKey));
        Assert.Equal(customer.Profile.History.Count - 1, (await store.GetCustomerAsync("c-1"))!.Profile.History.Count);
    }

    [Fact]
    public async Task A_version_7_database_with_customers_is_migrated_to_narrow_rows_and_reads_back_identical_customers()
    {
        // Version 7 kept the profile JSON in the customers row; migration 8 moves it to customer_profiles and copies the
        // screened fields (stage, pinned, time zone, service flags, birthday) into the row's own columns.
        var profiles = MigrationCustomers();
        using (var connection = new SqliteConnection($"Data Source={_db.File};Pooling=False"))
        {
            connection.Open();
            SqliteSchema.Migrate(connection, 0, 7);
        }

        InsertAsBefore8(_db.File, profiles);
        using (var old = SqlitePersonalizeStore.OpenAt(_db.File, StoreKit.Channels, schemaVersion: 7))
        {
            foreach (var profile in profiles)
            {
                Assert.Equal(WriteStatus.Written, (await old.AppendConsentAsync(profile.Id, profile.Consents.Records)).Status);
            }
        }

        using var store = SqlitePersonalizeStore.Open(_db.File, StoreKit.Channels);

        Assert.Equal(SqlitePersonalizeStore.SchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), store.WriterPragma("user_version"));
        var expected = profiles.Select(p => Describe(new StoredCustomer(p, p.Consents.Records.Count > 0 ? 2 : 1))).ToList();
        Assert.Equal(expected, (await store.GetCustomersAsync([.. profiles.Select(static p => p.Id)])).Select(Describe));
        Assert.Equal(expected, (await store.ReadCustomersAsync(new CustomerQuery { Limit = 10 })).Items.Select(Describe));

        // The migrated columns are exactly what this release writes for the same profiles.
        var fresh = Path.Combine(_db.Directory, "fresh.db");
        using (var written = SqlitePersonalizeStore.Open(fresh, StoreKit.Channels))
        {
            await written.ImportCustomersAsync(profiles);
        }

        Assert.Equal(ScreenColumns(fresh), ScreenColumns(_db.File));
        Assert.Contains("c-2|2|1|Europe/Berlin|1|3|\"1990-02-14\"", ScreenColumns(_db.File), StringComparison.Ordinal);

        // And the customer still takes sends at its version.
        var again = await store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-2", ExpectedVersion = 2, Deliveries = [Send("c-2", "n", Now)] }] });
        Assert.Equal((WriteStatus.Written, 3L), (again.Customers[0].Status, again.Customers[0].Version));

        // Migration 9: the profiles are in a rowid table (a profile of 1-4 KB stays on its b-tree page), in id order.
        Assert.Equal(string.Join("\n", profiles.Select(static p => p.Id).Order(StringComparer.Ordinal)), Rows(_db.File, "SELECT id FROM customer_profiles ORDER BY rowid"));
    }

    /// <summary>Writes customers as releases before migration 8 laid them out: the profile JSON in the customers row, history rows beside it (consents: append them through the store).</summary>
    internal static void InsertAsBefore8(string file, IEnumerable<Customers.CustomerProfile> profiles)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        foreach (var profile in profiles)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO customers (id, version, facts) VALUES ($id, 1, $facts)";
            command.Parameters.AddWithValue("$id", profile.Id);
            command.Parameters.AddWithValue("$facts", new Serialization.CustomerJson(StoreKit.Channels).WriteCustomer(profile with { Consents = ConsentLedger.Empty, History = Customers.ContactHistory.Empty }));
            command.ExecuteNonQuery();
            foreach (var record in profile.History.Records)
            {
                using var history = connection.CreateCommand();
                history.CommandText = "INSERT INTO contact_history (customer_id, sent_at, message_id, channel, purpose, kind) VALUES ($id, $at, $message, $channel, $purpose, $kind)";
                history.Parameters.AddWithValue("$id", profile.Id);
                history.Parameters.AddWithValue("$at", record.SentAt.UtcTicks);
                history.Parameters.AddWithValue("$message", record.MessageId);
                history.Parameters.AddWithValue("$channel", record.Channel.Name);
                history.Parameters.AddWithValue("$purpose", (int)record.Purpose);
                history.Parameters.AddWithValue("$kind", (int)record.Kind);
                history.ExecuteNonQuery();
            }
        }
    }

    private static string Describe(StoredCustomer customer)
        => customer.Version + " " + System.Text.Encoding.UTF8.GetString(new Serialization.CustomerJson(StoreKit.Channels).WriteCustomer(customer.Profile));

    private static List<Customers.CustomerProfile> MigrationCustomers()
    {
        var birthday = System.Text.Json.JsonDocument.Parse("\"1990-02-14\"").RootElement.Clone();
        var leapDay = System.Text.Json.JsonDocument.Parse("{\"month\":2,\"day\":29}").RootElement.Clone();
        var plan = System.Text.Json.JsonDocument.Parse("\"gold\"").RootElement.Clone();
        return
        [
            Customer("c-1"),
            Customer("c-2") with
            {
                Stage = LifecycleStage.Retention,
                StagePinned = true,
                TimeZone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"),
                ServiceFlags = new Customers.ServiceFlags { OpenComplaint = true, NpsScore = 3 },
                Attributes = new Dictionary<string, System.Text.Json.JsonElement>(StringComparer.Ordinal) { ["plan"] = plan, ["birthday"] = birthday },
            },
            Bare("c-3") with
            {
                ServiceFlags = new Customers.ServiceFlags { FailedPayment = true },
                Attributes = new Dictionary<string, System.Text.Json.JsonElement>(StringComparer.Ordinal) { ["birthday"] = leapDay },
            },
        ];
    }

    private static string ScreenColumns(string file)
        => Rows(file, "SELECT id, stage, stage_pinned, time_zone, service_flags, nps_score, CAST(birthday AS TEXT) FROM customers ORDER BY id");

    /// <summary>The rows of a query on the file, one line each, columns joined by '|' (null as "null").</summary>
    private static string Rows(string file, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var data = command.ExecuteReader();
        var rows = new List<string>();
        while (data.Read())
        {
            rows.Add(string.Join("|", Enumerable.Range(0, data.FieldCount).Select(i => data.IsDBNull(i) ? "null" : Convert.ToString(data.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        }

        return string.Join("\n", rows);
    }

    [Fact]
    public void A_database_from_a_newer_release_is_refused_with_a_clear_error_and_left_unchanged()
    {
        using (var store = SqlitePersonalizeStore.Open(_db.File, StoreKit.Channels))
        {
        }

        using (var connection = new SqliteConnection($"Data Source={_db.File};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 99; PRAGMA wal_checkpoint(TRUNCATE);";
            command.ExecuteNonQuery();
        }

        var before = SHA256.HashData(File.ReadAllBytes(_db.File));
        var error = Assert.Throws<SqliteStoreException>(() => SqlitePersonalizeStore.Open(_db.File, StoreKit.Channels));

        Assert.Contains(_db.File, error.Message, StringComparison.Ordinal);
        Assert.Contains("schema version 99", error.Message, StringComparison.Ordinal);
        Assert.Contains("newer release", error.Message, StringComparison.Ordinal);
        Assert.Contains("not changed", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(_db.File)));
    }

    [Fact]
    public void A_file_that_is_not_a_database_is_refused_with_a_clear_error()
    {
        File.WriteAllText(_db.File, "{ \"customers\": [] } — this is JSON, not SQLite, and it is long enough to have a header");

        var error = Assert.Throws<SqliteStoreException>(() => SqlitePersonalizeStore.Open(_db.File, StoreKit.Channels));

        Assert.Contains("not a SQLite database", error.Message, StringComparison.Ordinal);
        Assert.Contains(_db.File, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_stores_on_one_file_serialise_their_writes_to_one_customer()
    {
        using var first = SqlitePersonalizeStore.Open(_db.File, StoreKit.Channels);
        using var second = SqlitePersonalizeStore.Open(_db.File, StoreKit.Channels);
        await first.ImportCustomersAsync([Bare("c-1")]);
        var version = (await second.GetCustomerAsync("c-1"))!.Version;

        var attempts = Enumerable.Range(0, 6).Select(i => Task.Run(async () =>
        {
            var store = i % 2 == 0 ? first : second;
            var batch = new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", ExpectedVersion = version, Deliveries = [Send("c-1", "m", Now, trigger: "event:e" + i)] }] };
            return (await store.RecordAsync(batch)).Customers[0].Status;
        })).ToArray();
        var statuses = await Task.WhenAll(attempts);

        Assert.Equal(1, statuses.Count(s => s == WriteStatus.Written));
        Assert.Single((await first.GetCustomerAsync("c-1"))!.Profile.History.Records);
    }

    [Fact]
    public async Task A_withdrawal_written_by_one_store_is_read_by_the_other_at_once()
    {
        using var writer = SqlitePersonalizeStore.Open(_db.File, StoreKit.Channels);
        using var reader = SqlitePersonalizeStore.Open(_db.File, StoreKit.Channels);
        await writer.ImportCustomersAsync([Customer("c-1")]);

        await writer.AppendConsentAsync("c-1", [ConsentRecord.Withdraw(ConsentScope.ForChannel(Channel.Email), Now, Form)]);

        var customer = (await reader.GetCustomerAsync("c-1"))!;
        Assert.Equal(ConsentStatus.Withdrawn, customer.Profile.Consents.GetState(ConsentScope.ForChannel(Channel.Email)).Status);
    }

    [Fact]
    public async Task A_page_read_after_writes_by_this_store_and_another_sees_them_all_on_the_kept_read_connection()
    {
        // The page read keeps its connections (and their statements) from page to page: each page must still be a new
        // snapshot, never the one the connection read before.
        using var store = SqlitePersonalizeStore.Open(_db.File, StoreKit.Channels);
        using var other = SqlitePersonalizeStore.Open(_db.File, StoreKit.Channels);
        await store.ImportCustomersAsync([Customer("c-1"), Customer("c-2"), Customer("c-3")]);
        var before = await store.ReadCustomersAsync(new CustomerQuery { Limit = 2 });
        Assert.Equal(["c-1", "c-2"], before.Items.Select(c => c.Id));

        await other.AppendConsentAsync("c-1", [ConsentRecord.Withdraw(ConsentScope.ForChannel(Channel.Email), Now, Form)]);
        var version = (await store.GetCustomerAsync("c-2"))!.Version;
        await store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-2", ExpectedVersion = version, Deliveries = [Send("c-2", "m", Now)] }] });
        await other.ImportCustomersAsync([Customer("c-0")]);

        var after = await store.ReadCustomersAsync(new CustomerQuery { Limit = 3 });
        Assert.Equal(["c-0", "c-1", "c-2"], after.Items.Select(c => c.Id));
        Assert.Equal(ConsentStatus.Withdrawn, after.Items[1].Profile.Consents.GetState(ConsentScope.ForChannel(Channel.Email)).Status);
        Assert.Equal(Customer("c-2").History.Records.Count + 1, after.Items[2].Profile.History.Records.Count);
        Assert.Contains(after.Items[2].Profile.History.Records, r => r.MessageId == "m");
        Assert.Equal(version + 1, after.Items[2].Version);
        var rest = await store.ReadCustomersAsync(new CustomerQuery { Limit = 3, ContinueAfter = after.ContinueAfter });
        Assert.Equal(["c-3"], rest.Items.Select(c => c.Id));
        Assert.Null(rest.ContinueAfter);
    }

    [Fact]
    public async Task A_page_read_that_fails_on_a_row_leaves_no_read_open_and_the_next_reads_and_writes_work()
    {
        using var store = SqlitePersonalizeStore.Open(_db.File, StoreKit.Channels);
        await store.ImportCustomersAsync([Customer("c-1"), Customer("c-2")]);
        using (var connection = new SqliteConnection($"Data Source={_db.File};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE customer_profiles SET profile = CAST('{\"id\":\"c-2\",\"stage\":\"exposure\",\"timeZone\":\"Nowhere/Atlantis\"}' AS BLOB) WHERE id = 'c-2'";
            command.ExecuteNonQuery();
        }

        var failure = await Assert.ThrowsAsync<SqliteStoreException>(async () => await store.ReadCustomersAsync(new CustomerQuery { Limit = 10 }));
        Assert.Contains("customer 'c-2' cannot be read", failure.Message, StringComparison.Ordinal);

        // The failed read's connection was closed, not kept with its transaction open: a write and a checkpoint that
        // must wait for no reader go through, and the next page reads what the write wrote.
        await store.ImportCustomersAsync([Customer("c-2")]);
        using (var connection = new SqliteConnection($"Data Source={_db.File};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            using var data = command.ExecuteReader();
            Assert.True(data.Read());
            Assert.Equal(0L, data.GetInt64(0)); // not busy: no reader holds an old snapshot
        }

        var page = await store.ReadCustomersAsync(new CustomerQuery { Limit = 10 });
        Assert.Equal(["c-1", "c-2"], page.Items.Select(c => c.Id));
    }

    [Fact]
    public async Task Pages_read_on_many_threads_at_once_each_give_their_own_customers_and_a_closed_store_refuses_reads()
    {
        var store = SqlitePersonalizeStore.Open(_db.File, StoreKit.Channels);
        var ids = Enumerable.Range(0, 200).Select(i => $"c-{i:D3}").ToArray();
        await store.ImportCustomersAsync([.. ids.Select(id => Customer(id))]);

        var reads = Enumerable.Range(0, 16).Select(t => Task.Run(async () =>
        {
            var seen = new List<string>();
            string? after = null;
            do
            {
                var page = await store.ReadCustomersAsync(new CustomerQuery { Limit = 7 + t, ContinueAfter = after });
                seen.AddRange(page.Items.Select(c => c.Id));
                Assert.All(page.Items, c => Assert.Equal(Customer(c.Id).Consents.Records, c.Profile.Consents.Records));
                after = page.ContinueAfter;
            }
            while (after is not null);
            return seen;
        })).ToArray();

        foreach (var seen in await Task.WhenAll(reads))
        {
            Assert.Equal(ids, seen);
        }

        store.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.ReadCustomersAsync(new CustomerQuery { Limit = 5 }));
    }
}
