using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Storage;
using Personalize.Storage.Contract;
using static Personalize.Storage.Contract.StoreKit;
using Personalize.Channels;

namespace Personalize.PostgreSql.Tests;

/// <summary>What only the PostgreSQL store promises: migrations, refusals, several store objects (processes) on one schema.</summary>
public sealed class PostgreSqlStoreTests : IAsyncLifetime
{
    private readonly string _schema = PostgresServer.NewSchema();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => PostgresServer.DropAsync([_schema]);

    [PostgresFact]
    public async Task Everything_written_is_there_when_another_store_object_opens_the_schema()
    {
        var delivery = Send("c-1", "m", Now);
        var run = new RunRecord { Id = RunRecord.CreateId("schedule", Now), Trigger = "schedule", At = Now, StartedAt = Now, UpdatedAt = Now, Sent = 1 };
        await using (var store = await OpenAsync())
        {
            await store.ImportCustomersAsync([Customer("c-1"), Customer("c-2")]);
            await store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", Deliveries = [delivery], Scheduled = [Scheduled("c-1", "tips", Now.AddHours(2))] }] });
            await store.SaveRunAsync(run);
            await store.EraseCustomerAsync("c-2", Now);
        }

        await using var reopened = await OpenAsync();
        var customer = (await reopened.GetCustomerAsync("c-1"))!;
        Assert.Equal(FactsJson(Customer("c-1")), FactsJson(customer.Profile));
        Assert.Equal(Customer("c-1").Consents.Records, customer.Profile.Consents.Records);
        Assert.Equal(3, customer.Profile.History.Count);
        Assert.NotNull(await reopened.FindDeliveryAsync(delivery.IdempotencyKey));
        Assert.Equal(run, await reopened.GetRunAsync(run.Id));

        // The suppression salt is kept in the schema: the erased address still matches in another store object.
        Assert.NotNull(await reopened.FindSuppressionAsync(ContactPointKind.Email, "c-2@example.com"));
    }

    [PostgresFact]
    public async Task A_new_schema_is_created_at_the_current_version_and_an_open_schema_is_not_migrated_again()
    {
        await using (var store = await OpenAsync())
        {
            Assert.Equal(_schema, store.Schema);
        }

        await using var again = await OpenAsync();

        Assert.Equal(12, PostgreSqlPersonalizeStore.SchemaVersion);
        Assert.Equal((long)PostgreSqlPersonalizeStore.SchemaVersion, await PostgresServer.ScalarAsync($"SELECT max(version)::bigint FROM \"{_schema}\".schema_migrations"));
        Assert.Equal((long)PostgreSqlPersonalizeStore.SchemaVersion, await PostgresServer.ScalarAsync($"SELECT count(*) FROM \"{_schema}\".schema_migrations"));
    }

    [PostgresFact]
    public async Task A_schema_of_the_previous_version_is_migrated_on_open_and_keeps_its_customers()
    {
        // Version 1 (customers, consent, history), as the previous release left it.
        await using (var connection = new NpgsqlConnection(PostgresServer.ConnectionString))
        {
            await connection.OpenAsync();
            await PostgreSqlSchema.MigrateAsync(connection, _schema, 1, default);
            await using var command = new NpgsqlCommand($"INSERT INTO \"{_schema}\".customers (id, version, facts) VALUES ('c-1', 3, @facts); INSERT INTO \"{_schema}\".store_meta (key, value) VALUES ('suppression_salt', @salt);", connection);
            command.Parameters.AddWithValue("facts", new Serialization.CustomerJson(StoreKit.Channels).WriteCustomer(Bare("c-1")));
            command.Parameters.AddWithValue("salt", new byte[32]);
            await command.ExecuteNonQueryAsync();
        }

        await using var store = await OpenAsync();

        Assert.Equal((long)PostgreSqlPersonalizeStore.SchemaVersion, await PostgresServer.ScalarAsync($"SELECT max(version)::bigint FROM \"{_schema}\".schema_migrations"));
        var customer = (await store.GetCustomerAsync("c-1"))!;
        Assert.Empty(customer.Profile.Facts);
        Assert.Equal((3L, "c-1@example.com"), (customer.Version, customer.Profile.ContactPoints.Email));
        var recorded = await store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", ExpectedVersion = 3, Deliveries = [Send("c-1", "m", Now)] }] });
        Assert.Equal((WriteStatus.Written, 4L), (recorded.Customers[0].Status, recorded.Customers[0].Version));
    }

    [PostgresFact]
    public async Task A_run_of_a_version_8_schema_reads_as_hashed_keys_and_keeps_that_format_when_saved_again()
    {
        // Migration 9 (ADR 0075): the run as the previous release saved it (its columns only), stopped half-way.
        var id = RunRecord.CreateId("campaign:spring", Now);
        await using (var connection = new NpgsqlConnection(PostgresServer.ConnectionString))
        {
            await connection.OpenAsync();
            await PostgreSqlSchema.MigrateAsync(connection, _schema, 8, default);
            await using var command = new NpgsqlCommand($"INSERT INTO \"{_schema}\".runs (id, trigger, at, status, started_at, updated_at, processed, sent, scheduled, already_sent, errors) VALUES (@id, 'campaign:spring', @at, 0, @at, @at, 500, 480, 20, 0, 0)", connection);
            command.Parameters.AddWithValue("id", id);
            command.Parameters.AddWithValue("at", Now.UtcTicks);
            await command.ExecuteNonQueryAsync();
        }

        await using var store = await OpenAsync();

        var run = (await store.GetRunAsync(id))!;
        Assert.Equal((RunStatus.Running, 500L, Delivery.IdempotencyKeyFormat.Hashed), (run.Status, run.Processed, run.KeyFormat));
        await store.SaveRunAsync(run with { Status = RunStatus.Completed, Processed = 1000, KeyFormat = Delivery.IdempotencyKeyFormat.TimeOrdered });
        var saved = (await store.GetRunAsync(id))!;
        Assert.Equal((RunStatus.Completed, 1000L, Delivery.IdempotencyKeyFormat.Hashed), (saved.Status, saved.Processed, saved.KeyFormat));
    }

    [PostgresFact]
    public async Task Facts_of_a_version_9_schema_read_as_they_were_and_the_next_send_stores_them_compactly_with_the_new_ask()
    {
        // Migration 10 (ADR 0079): the facts as the previous release wrote them (JSON, an ask among them), in a schema at 9.
        var first = Delivery.IdempotencyKey.Create("campaign:spring", "c-1", "welcome", Now.AddDays(-40));
        var json = "{\"order_count\":{\"v\":2,\"at\":" + Now.AddDays(-50).UtcTicks + ",\"e\":\"e-1\"},\"asked.recipes\":{\"v\":1,\"at\":" + Now.AddDays(-40).UtcTicks + ",\"e\":\"" + first + "\"}}";
        await using (var store = await OpenAsync())
        {
            await store.ImportCustomersAsync([Bare("c-1")]);
        }

        await using (var connection = new NpgsqlConnection(PostgresServer.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"UPDATE \"{_schema}\".customers SET event_facts = @facts WHERE id = 'c-1'; DELETE FROM \"{_schema}\".schema_migrations WHERE version = 10", connection);
            command.Parameters.AddWithValue("facts", System.Text.Encoding.UTF8.GetBytes(json));
            await command.ExecuteNonQueryAsync();
        }

        await using var upgraded = await OpenAsync();

        Assert.Equal((long)PostgreSqlPersonalizeStore.SchemaVersion, await PostgresServer.ScalarAsync($"SELECT max(version)::bigint FROM \"{_schema}\".schema_migrations"));
        var before = (await upgraded.GetCustomerAsync("c-1"))!;
        Assert.Equal(["order_count", "asked.recipes"], before.Profile.Facts.Keys);
        Assert.Equal((1m, first), (before.Profile.Facts["asked.recipes"].Number, before.Profile.Facts["asked.recipes"].EventId));

        var send = Send("c-1", "spring-sale", Now);
        var facts = Events.CustomerFacts.Create(before.Profile.Facts.Select(f => f.Key == "asked.recipes" ? new KeyValuePair<string, Events.Fact>(f.Key, new Events.Fact(2L, Now, send.IdempotencyKey)) : f));
        var result = await upgraded.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", ExpectedVersion = before.Version, Deliveries = [send], Facts = facts }] });

        Assert.Equal(WriteStatus.Written, result.Customers[0].Status);
        var after = (await upgraded.GetCustomerAsync("c-1"))!.Profile.Facts;
        Assert.Equal(facts.Keys, after.Keys);
        Assert.Equal(facts.Values, after.Values);
        var length = Convert.ToInt32(await PostgresServer.ScalarAsync($"SELECT length(event_facts) FROM \"{_schema}\".customers WHERE id = 'c-1'"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(length < json.Length - 40, $"The stored facts take {length} bytes against the JSON's {json.Length}.");
    }

    [PostgresFact]
    public async Task A_version_11_schema_with_a_half_done_time_ordered_run_migrates_with_no_pages_and_records_pages_after()
    {
        // Migration 12 (ADR 0077): the run and its first message as the previous release left them.
        var id = RunRecord.CreateId("campaign:spring", Now);
        var send = Send("c-1", "m", Now, trigger: "campaign:spring", runId: id);
        await using (var connection = new NpgsqlConnection(PostgresServer.ConnectionString))
        {
            await connection.OpenAsync();
            await PostgreSqlSchema.MigrateAsync(connection, _schema, 11, default);
        }

        await using (var old = await OpenAsync())
        {
            await old.ImportCustomersAsync([Bare("c-1"), Bare("c-2")]);
            await old.RecordAsync(new SendBatch
            {
                Customers = [new CustomerSends { CustomerId = "c-1", Deliveries = [send] }],
                Run = new RunRecord { Id = id, Trigger = "campaign:spring", At = Now, Status = RunStatus.Running, StartedAt = Now, UpdatedAt = Now, KeyFormat = Delivery.IdempotencyKeyFormat.TimeOrdered },
            });
        }

        await using (var connection = new NpgsqlConnection(PostgresServer.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP TABLE \"{_schema}\".run_pages; DELETE FROM \"{_schema}\".schema_migrations WHERE version = 12", connection);
            await command.ExecuteNonQueryAsync();
        }

        await using var store = await OpenAsync();

        Assert.Equal((long)PostgreSqlPersonalizeStore.SchemaVersion, await PostgresServer.ScalarAsync($"SELECT max(version)::bigint FROM \"{_schema}\".schema_migrations"));
        Assert.Equal((RunStatus.Running, Delivery.IdempotencyKeyFormat.TimeOrdered), ((await store.GetRunAsync(id))!.Status, (await store.GetRunAsync(id))!.KeyFormat));
        Assert.NotNull(await store.FindDeliveryAsync(send.IdempotencyKey));
        Assert.Empty(await store.ReadRunPagesAsync(id));
        var page = new RunPage { RunId = "campaign:spring@later", FirstCustomerId = "c-1", LastCustomerId = "c-2", Tag = "abcde" };
        await store.RecordAsync(new SendBatch { RunPages = [page] });
        Assert.Equal([page], await store.ReadRunPagesAsync(page.RunId));
    }

    [PostgresFact]
    public async Task A_version_7_schema_keeps_each_journey_instances_history_in_order_and_appends_after_it()
    {
        // Version 7 kept an instance's history inside its JSON (as the previous release wrote it): 2 dropped, 3 kept.
        const string instance = """
            {"customerId":"c-1","journeyId":"renewal","instanceId":"1","version":2,"revision":4,"status":0,"stepId":"letter",
             "stepSince":638000000000000000,"attempt":1,"wakeAt":638000864000000000,"startedAt":637990000000000000,
             "updatedAt":638000000000000000,"historyDropped":2,"history":[
             {"at":637990000000000000,"step":"entry","outcome":"entered","detail":"event:renewal_due e-7"},
             {"at":637995000000000000,"step":"thank","outcome":"sent","detail":"phone k-1"},
             {"at":638000000000000000,"step":"letter","outcome":"deferred"}]}
            """;
        await using (var connection = new NpgsqlConnection(PostgresServer.ConnectionString))
        {
            await connection.OpenAsync();
            await PostgreSqlSchema.MigrateAsync(connection, _schema, 7, default);
            await using var command = new NpgsqlCommand($"""
                INSERT INTO "{_schema}".customers (id, version, facts) VALUES ('c-1', 3, @facts);
                INSERT INTO "{_schema}".store_meta (key, value) VALUES ('suppression_salt', @salt);
                INSERT INTO "{_schema}".journey_instances (customer_id, journey_id, instance_id, status, wake_at, data) VALUES ('c-1', 'renewal', '1', 0, 638000864000000000, convert_to(@data, 'UTF8'));
                """, connection);
            command.Parameters.AddWithValue("facts", new Serialization.CustomerJson(StoreKit.Channels).WriteCustomer(Bare("c-1")));
            command.Parameters.AddWithValue("salt", new byte[32]);
            command.Parameters.AddWithValue("data", instance);
            await command.ExecuteNonQueryAsync();
        }

        await using var store = await OpenAsync();

        var read = Assert.Single((await store.ReadJourneysAsync(new Journeys.JourneyQuery())).Items);
        Assert.Equal((4, "letter", 2), (read.Revision, read.StepId, read.HistoryDropped));
        Assert.Equal(
            [
                new Journeys.JourneyStepRecord(new DateTimeOffset(637990000000000000, TimeSpan.Zero), "entry", "entered", "event:renewal_due e-7"),
                new Journeys.JourneyStepRecord(new DateTimeOffset(637995000000000000, TimeSpan.Zero), "thank", "sent", "phone k-1"),
                new Journeys.JourneyStepRecord(new DateTimeOffset(638000000000000000, TimeSpan.Zero), "letter", "deferred"),
            ],
            read.History);

        var next = read.Record(new Journeys.JourneyStepRecord(Now, "letter", Journeys.JourneyOutcomes.Sent, "mail k-2")) with { Revision = 5, StepId = "call" };
        var written = await store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", ExpectedVersion = 3, Journeys = [next] }] });
        Assert.Equal(WriteStatus.Written, written.Customers[0].Status);
        var again = Assert.Single((await store.ReadJourneysAsync(new Journeys.JourneyQuery { CustomerId = "c-1" })).Items);
        Assert.Equal(["entry", "thank", "letter", "letter"], again.History.Select(static h => h.StepId));
        Assert.Equal("2,3,4,5", await PostgresServer.ScalarAsync($"SELECT string_agg(seq::text, ',' ORDER BY seq) FROM \"{_schema}\".journey_history"));
    }

    [PostgresFact]
    public async Task A_schema_from_a_newer_release_is_refused_with_a_clear_error_and_left_unchanged()
    {
        await using (var store = await OpenAsync())
        {
            await store.ImportCustomersAsync([Bare("c-1")]);
        }

        await PostgresServer.ScalarAsync($"INSERT INTO \"{_schema}\".schema_migrations (version) VALUES (99)");
        var before = await DescribeAsync();

        var error = await Assert.ThrowsAsync<PostgreSqlStoreException>(OpenAsync);

        Assert.Contains(_schema, error.Message, StringComparison.Ordinal);
        Assert.Contains("schema version 99", error.Message, StringComparison.Ordinal);
        Assert.Contains("newer release", error.Message, StringComparison.Ordinal);
        Assert.Contains("not changed", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await DescribeAsync());
    }

    [PostgresFact]
    public async Task A_server_that_cannot_be_reached_is_a_clear_error_naming_it_without_the_password()
    {
        var options = new PostgreSqlStoreOptions { ConnectionString = "Host=127.0.0.1;Port=1;Database=nowhere;Username=someone;Password=hunter2;Timeout=2", Schema = _schema };

        var error = await Assert.ThrowsAsync<PostgreSqlStoreException>(() => PostgreSqlPersonalizeStore.OpenAsync(options));

        Assert.Contains("127.0.0.1:1/nowhere", error.Message, StringComparison.Ordinal);
        Assert.Contains("connection string", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_registration_refuses_invalid_options_at_start_with_every_problem_in_one_message()
    {
        var services = new ServiceCollection()
            .AddPersonalizePostgreSql(o => (o.Schema, o.MaxRowsPerStatement) = ("Bad-Schema", 0));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.StartsWith("The PostgreSQL store options are invalid: ConnectionString is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("Schema 'Bad-Schema' is not a schema name the store accepts", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxRowsPerStatement is 0; use 1 or more.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_schema_name_or_connection_string_is_refused_before_connecting()
    {
        var schema = await Assert.ThrowsAsync<ArgumentException>(() => PostgreSqlPersonalizeStore.OpenAsync(new PostgreSqlStoreOptions { ConnectionString = "Host=localhost", Schema = "Robert'); DROP TABLE customers;--" }));
        var connection = await Assert.ThrowsAsync<PostgreSqlStoreException>(() => PostgreSqlPersonalizeStore.OpenAsync(new PostgreSqlStoreOptions { ConnectionString = "Hots=localhost;;==" }));

        Assert.Contains("schema name", schema.Message, StringComparison.Ordinal);
        Assert.Contains("connection string is not valid", connection.Message, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task Stores_opening_a_new_schema_at_once_migrate_it_once()
    {
        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(OpenAsync)));
        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }

        Assert.Equal((long)PostgreSqlPersonalizeStore.SchemaVersion, await PostgresServer.ScalarAsync($"SELECT count(*) FROM \"{_schema}\".schema_migrations"));
    }

    [PostgresFact]
    public async Task Two_store_objects_serialise_their_writes_to_one_customer()
    {
        await using var first = await OpenAsync();
        await using var second = await OpenAsync();
        await first.ImportCustomersAsync([Bare("c-1")]);
        var version = (await second.GetCustomerAsync("c-1"))!.Version;

        var statuses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            var store = i % 2 == 0 ? first : second;
            var batch = new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", ExpectedVersion = version, Deliveries = [Send("c-1", "payment-failed", Now, trigger: "event:e" + i)] }] };
            return (await store.RecordAsync(batch)).Customers[0].Status;
        })));

        Assert.Equal(1, statuses.Count(s => s == WriteStatus.Written));
        Assert.Single((await first.GetCustomerAsync("c-1"))!.Profile.History.Records);
    }

    [PostgresFact]
    public async Task A_withdrawal_written_through_one_store_object_is_read_by_the_other_at_once()
    {
        await using var writer = await OpenAsync();
        await using var reader = await OpenAsync();
        await writer.ImportCustomersAsync([Customer("c-1")]);

        await writer.AppendConsentAsync("c-1", [ConsentRecord.Withdraw(ConsentScope.ForChannel(Channel.Email), Now, Form)]);

        var customer = (await reader.GetCustomerAsync("c-1"))!;
        Assert.Equal(ConsentStatus.Withdrawn, customer.Profile.Consents.GetState(ConsentScope.ForChannel(Channel.Email)).Status);
    }

    [PostgresFact]
    public async Task Ids_are_ordered_by_code_point_as_in_the_other_stores_and_a_large_import_is_one_transaction()
    {
        await using var store = await OpenAsync();
        var ids = new[] { "b", "B", "a", "Z", "ä", "a-1", "a_1", "10", "9" };
        // The addresses are ASCII (a non-ASCII local part is not an address a message can be sent to); the ids need not be.
        Assert.True((await store.ImportCustomersAsync(ids.Select((id, i) => Bare(id) with { ContactPoints = new ContactPoints { Email = $"c{i}@example.com" } }).ToList())).Succeeded);

        var page = await store.ReadCustomersAsync(new CustomerQuery { Limit = 100 });

        Assert.Equal(ids.Order(StringComparer.Ordinal), page.Items.Select(c => c.Id));

        // Many rows per statement kind, more than one statement each (MaxRowsPerStatement is 5,000).
        var many = Enumerable.Range(0, 12_000).Select(i => Customer($"m-{i:D5}")).ToList();
        var result = await store.ImportCustomersAsync(many);
        Assert.Equal((12_000, 60_000, 24_000), (result.Created, result.ConsentRecordsAdded, result.HistoryRecordsAdded));
        Assert.Equal(12_009L, await store.CountCustomersAsync());
    }

    private Task<PostgreSqlPersonalizeStore> OpenAsync() => PostgreSqlPersonalizeStore.OpenAsync(PostgresServer.Options(_schema));

    /// <summary>The schema's tables with their row counts and the migrations table, to tell whether anything changed.</summary>
    private async Task<string> DescribeAsync()
    {
        var tables = await PostgresServer.ScalarAsync($"""
            SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables WHERE table_schema = '{_schema}'
            """);
        var migrations = await PostgresServer.ScalarAsync($"SELECT string_agg(version::text, ',' ORDER BY version) FROM \"{_schema}\".schema_migrations");
        var customers = await PostgresServer.ScalarAsync($"SELECT string_agg(id || ':' || version, ',' ORDER BY id) FROM \"{_schema}\".customers");
        return $"{tables} | {migrations} | {customers}";
    }
}

/// <summary>CI must run the PostgreSQL tests, not skip them.</summary>
public sealed class PostgresServerTests
{
    [Fact]
    public void In_ci_the_postgresql_tests_have_a_server()
    {
        // .ci/run starts a throwaway cluster and sets the variable; under CI=true a missing server is a failure.
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.True(PostgresServer.ConnectionString is not null, PostgresServer.SkipReason);
        }
    }
}
