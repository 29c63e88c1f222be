using Microsoft.Data.Sqlite;
using Personalize.Storage;
using Personalize.Storage.Contract;
using static Personalize.Storage.Contract.StoreKit;

namespace Personalize.Sqlite.Tests;

/// <summary>Migration 17 (ADR 0083): a logged message's history record is its delivery log entry; a database of the previous version keeps every customer's history, once each.</summary>
public sealed class HistoryInDeliveryLogMigrationTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task A_version_16_database_reads_the_same_history_after_the_migration_and_drops_the_rows_of_logged_messages()
    {
        var mine = Send("c-1", "mine", Now, runId: "run-a");
        var theirs = Send("c-1", "theirs", Now.AddSeconds(1), runId: "run-b");
        var other = Send("c-2", "other", Now, runId: "run-a");
        IReadOnlyList<StoredCustomer> before, beforeWithoutRun;
        using (var old = SqlitePersonalizeStore.OpenAt(_db.File, StoreKit.Channels, schemaVersion: 16))
        {
            await old.ImportCustomersAsync([Customer("c-1"), Customer("c-2")]);
            await old.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", Deliveries = [mine, theirs] }, new CustomerSends { CustomerId = "c-2", Deliveries = [other] }] });
            // The history as version 16 read it (its rows of logged messages are added below, as it wrote them).
            before = (await old.ReadCustomersAsync(new CustomerQuery())).Items;
            beforeWithoutRun = (await old.ReadCustomersAsync(new CustomerQuery { ExcludeHistoryOfRun = "run-a" })).Items;
        }

        // What version 16 wrote beside each delivery log entry (this release writes no such row): a history row with its key.
        Execute("INSERT INTO contact_history (customer_id, sent_at, message_id, channel, purpose, kind, idempotency_key) SELECT customer_id, sent_at, message_id, channel, purpose, kind, idempotency_key FROM delivery_log");
        Assert.Equal(3, Rows("SELECT COUNT(*) FROM contact_history WHERE idempotency_key IS NOT NULL"));
        using var store = SqlitePersonalizeStore.Open(_db.File, StoreKit.Channels);

        Assert.Equal("17", store.WriterPragma("user_version"));
        Assert.Equal(0, Rows("SELECT COUNT(*) FROM contact_history WHERE idempotency_key IS NOT NULL"));
        var after = (await store.ReadCustomersAsync(new CustomerQuery())).Items;
        Assert.Equal(before.Select(Records), after.Select(Records));
        Assert.Equal(["welcome", "nps", "mine", "theirs"], after[0].Profile.History.Records.Select(r => r.MessageId));
        Assert.Equal(before.Select(c => c.Version), after.Select(c => c.Version));
        Assert.Equal(beforeWithoutRun.Select(Records), (await store.ReadCustomersAsync(new CustomerQuery { ExcludeHistoryOfRun = "run-a" })).Items.Select(Records));
        Assert.Equal(Records(before[1]), Records((await store.GetCustomerAsync("c-2"))!));

        // A failed delivery leaves the history (and grows the version), as before.
        var version = (await store.GetCustomerAsync("c-1"))!.Version;
        await store.RecordAsync(new SendBatch { Failed = [new DeliveryFailure(theirs.IdempotencyKey, "sink.rejected")] });
        var failed = (await store.GetCustomerAsync("c-1"))!;
        Assert.Equal(["welcome", "nps", "mine"], failed.Profile.History.Records.Select(r => r.MessageId));
        Assert.True(failed.Version > version);

        // Erasure counts the imported records and the logged messages.
        var erased = await store.EraseCustomerAsync("c-1", Now);
        Assert.Equal(3, erased.HistoryRecords);
        Assert.Equal(1, erased.DeliveriesAnonymized);
    }

    private static string Records(StoredCustomer customer) => string.Join(", ", customer.Profile.History.Records.Select(r => $"{r.MessageId}@{r.SentAt.UtcTicks}/{r.Channel.Name}/{r.Purpose}/{r.Kind}"));

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_db.File};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private long Rows(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_db.File};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
