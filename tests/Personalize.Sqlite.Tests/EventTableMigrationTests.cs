using Microsoft.Data.Sqlite;
using Personalize.Events;
using Personalize.Storage;
using Personalize.Storage.Contract;
using static Personalize.Storage.Contract.StoreKit;

namespace Personalize.Sqlite.Tests;

/// <summary>Migration 10: events in a rowid table with a unique index of ids (appended, not sorted in by id).</summary>
public sealed class EventTableMigrationTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task A_version_9_database_keeps_its_events_and_their_ids_stay_unique_after_the_migration()
    {
        using (var old = SqlitePersonalizeStore.OpenAt(_db.File, StoreKit.Channels, schemaVersion: 9))
        {
            await old.ImportCustomersAsync([Bare("c-1"), Bare("c-2")]);
            var written = await old.RecordAsync(new SendBatch
            {
                Customers =
                [
                    new CustomerSends { CustomerId = "c-1", ExpectedVersion = 1, Events = [Event("e-2", "c-1", "order_placed", Now.AddHours(-2), """{"order_number":"A-1"}"""), Event("e-1", "c-1", "login", Now)], Facts = OneFact("logins", 1L, "e-1") },
                    new CustomerSends { CustomerId = "c-2", ExpectedVersion = 1, Events = [Event("e-3", "c-2", "visit", Now.AddHours(-1))], Facts = OneFact("visits", 1L, "e-3") },
                ],
            });
            Assert.All(written.Customers, static c => Assert.Equal(WriteStatus.Written, c.Status));
        }

        using var store = SqlitePersonalizeStore.Open(_db.File, StoreKit.Channels);

        Assert.Equal(SqlitePersonalizeStore.SchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), store.WriterPragma("user_version"));
        var events = (await store.ReadEventsAsync(new EventQuery())).Items;
        Assert.Equal([("e-2", "c-1", "order_placed"), ("e-3", "c-2", "visit"), ("e-1", "c-1", "login")], events.Select(static e => (e.Id, e.CustomerId, e.Type)));
        Assert.Equal("A-1", events[0].Data.GetProperty("order_number").GetString());
        Assert.Equal(["e-1", "e-3"], (await store.FindEventsAsync(["e-1", "e-3", "e-9"])).Order(StringComparer.Ordinal));

        // A held id is still refused (the unique index), in the ingestion write and in the general one.
        var again = await store.RecordAsync(new SendBatch
        {
            Customers =
            [
                new CustomerSends { CustomerId = "c-1", ExpectedVersion = 2, Events = [Event("e-4", "c-1", "login", Now), Event("e-1", "c-1", "login", Now)], Facts = OneFact("logins", 2L, "e-4") },
                new CustomerSends { CustomerId = "c-2", ExpectedVersion = 2, Events = [Event("e-3", "c-2", "visit", Now)], Facts = OneFact("visits", 2L, "e-3"), Deliveries = [Send("c-2", "n", Now)] },
            ],
        });
        Assert.Equal([WriteStatus.Conflict, WriteStatus.Conflict], again.Customers.Select(static c => c.Status));
        Assert.Equal(["e-1", "e-2", "e-3"], (await store.ReadEventsAsync(new EventQuery())).Items.Select(static e => e.Id).Order(StringComparer.Ordinal));

        // The table is a rowid table whose ids are unique through their own index.
        using var connection = new SqliteConnection($"Data Source={_db.File};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sql FROM sqlite_master WHERE name IN ('events', 'events_by_id') ORDER BY name";
        using var data = command.ExecuteReader();
        Assert.True(data.Read());
        Assert.DoesNotContain("WITHOUT ROWID", data.GetString(0), StringComparison.OrdinalIgnoreCase);
        Assert.True(data.Read());
        Assert.StartsWith("CREATE UNIQUE INDEX events_by_id", data.GetString(0), StringComparison.Ordinal);
    }
}
