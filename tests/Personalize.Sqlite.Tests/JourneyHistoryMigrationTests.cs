using Microsoft.Data.Sqlite;
using Personalize.Journeys;
using Personalize.Storage;
using Personalize.Storage.Contract;
using static Personalize.Storage.Contract.StoreKit;

namespace Personalize.Sqlite.Tests;

/// <summary>Migration 11: journey history as rows of its own (appended), no longer inside each instance's JSON.</summary>
public sealed class JourneyHistoryMigrationTests : IDisposable
{
    // An instance as migration 4's rows held it (the release before 11 wrote this JSON): 2 records dropped, 3 kept.
    private const string Version10Instance = """
        {"customerId":"c-1","journeyId":"renewal","instanceId":"1","version":2,"revision":4,"status":0,"stepId":"letter",
         "stepSince":638000000000000000,"attempt":1,"wakeAt":638000864000000000,"waitingFor":"renewed","startedAt":637990000000000000,
         "updatedAt":638000000000000000,"entryEventId":"e-7","historyDropped":2,"history":[
         {"at":637990000000000000,"step":"entry","outcome":"entered","detail":"event:renewal_due e-7"},
         {"at":637995000000000000,"step":"thank","outcome":"sent","detail":"phone k-1"},
         {"at":638000000000000000,"step":"letter","outcome":"deferred"}]}
        """;

    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task A_version_10_database_keeps_each_instances_history_in_order_and_appends_after_it()
    {
        using (var old = SqlitePersonalizeStore.OpenAt(_db.File, StoreKit.Channels, schemaVersion: 10))
        {
            await old.ImportCustomersAsync([Bare("c-1"), Bare("c-2")]);
        }

        using (var connection = Connect())
        {
            using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO journey_instances (customer_id, journey_id, instance_id, status, wake_at, data) VALUES ('c-1', 'renewal', '1', 0, 638000864000000000, CAST($data AS BLOB));
                INSERT INTO journey_instances (customer_id, journey_id, instance_id, status, wake_at, data) VALUES ('c-2', 'renewal', '1', 0, 638000864000000000, CAST($other AS BLOB));
                """;
            insert.Parameters.AddWithValue("$data", Version10Instance);
            insert.Parameters.AddWithValue("$other", Version10Instance.Replace("\"c-1\"", "\"c-2\"", StringComparison.Ordinal).Replace("\"historyDropped\":2", "\"historyDropped\":0", StringComparison.Ordinal));
            insert.ExecuteNonQuery();
        }

        using var store = SqlitePersonalizeStore.Open(_db.File, StoreKit.Channels);

        var instances = (await store.ReadJourneysAsync(new JourneyQuery())).Items;
        Assert.Equal(["c-1", "c-2"], instances.Select(static i => i.CustomerId));
        var read = instances[0];
        Assert.Equal((4, "letter", 1, 2, "renewed"), (read.Revision, read.StepId, read.Attempt, read.HistoryDropped, read.WaitingFor));
        Assert.Equal(
            [
                new JourneyStepRecord(new DateTimeOffset(637990000000000000, TimeSpan.Zero), "entry", "entered", "event:renewal_due e-7"),
                new JourneyStepRecord(new DateTimeOffset(637995000000000000, TimeSpan.Zero), "thank", "sent", "phone k-1"),
                new JourneyStepRecord(new DateTimeOffset(638000000000000000, TimeSpan.Zero), "letter", "deferred"),
            ],
            read.History);
        Assert.Equal(3, instances[1].History.Count);

        // A later revision appends after the migrated records (numbered after the dropped and kept ones).
        var next = read.Record(new JourneyStepRecord(Now, "letter", JourneyOutcomes.Sent, "mail k-2")) with { Revision = 5, StepId = "call" };
        var version = (await store.GetCustomerAsync("c-1"))!.Version;
        var written = await store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", ExpectedVersion = version, Journeys = [next] }] });
        Assert.Equal(WriteStatus.Written, written.Customers[0].Status);
        var again = Assert.Single((await store.ReadJourneysAsync(new JourneyQuery { CustomerId = "c-1" })).Items);
        Assert.Equal(["entry", "thank", "letter", "letter"], again.History.Select(static h => h.StepId));
        Assert.Equal(("call", 2), (again.StepId, again.HistoryDropped));

        // The records are rows numbered from the dropped count on; the instance's JSON keeps their count, not them.
        using var check = Connect();
        using var command = check.CreateCommand();
        command.CommandText = "SELECT group_concat(seq, ',') FROM (SELECT seq FROM journey_history WHERE customer_id = 'c-1' ORDER BY seq)";
        Assert.Equal("2,3,4,5", command.ExecuteScalar());
        command.CommandText = "SELECT json_extract(CAST(data AS TEXT), '$.historyCount'), json_type(CAST(data AS TEXT), '$.history') FROM journey_instances WHERE customer_id = 'c-2'";
        using var data = command.ExecuteReader();
        Assert.True(data.Read());
        Assert.Equal((3L, true), (data.GetInt64(0), data.IsDBNull(1)));
    }

    private SqliteConnection Connect()
    {
        var connection = new SqliteConnection($"Data Source={_db.File};Pooling=False");
        connection.Open();
        return connection;
    }
}
