using Personalize.Delivery;
using Personalize.Storage;
using Personalize.Storage.Contract;
using static Personalize.Storage.Contract.StoreKit;

namespace Personalize.Sqlite.Tests;

/// <summary>Migration 16 (ADR 0077): the pages of a send run; a database of the previous version keeps its runs and their formats.</summary>
public sealed class RunPagesMigrationTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task A_version_15_database_with_a_half_done_time_ordered_run_opens_with_no_pages_and_records_pages_after()
    {
        var id = RunRecord.CreateId("campaign:spring", Now);
        var key = IdempotencyKey.Create("campaign:spring", "c-1", "m", Now, IdempotencyKeyFormat.TimeOrdered);
        using (var old = SqlitePersonalizeStore.OpenAt(_db.File, StoreKit.Channels, schemaVersion: 15))
        {
            Assert.Equal("15", old.WriterPragma("user_version"));
            await old.ImportCustomersAsync([Bare("c-1"), Bare("c-2")]);
            await old.RecordAsync(new SendBatch
            {
                Customers = [new CustomerSends { CustomerId = "c-1", Deliveries = [Send("c-1", "m", Now, trigger: "campaign:spring", runId: id)] }],
                Run = new RunRecord { Id = id, Trigger = "campaign:spring", At = Now, Status = RunStatus.Running, StartedAt = Now, UpdatedAt = Now, KeyFormat = IdempotencyKeyFormat.TimeOrdered },
            });
        }

        using var store = SqlitePersonalizeStore.Open(_db.File, StoreKit.Channels);

        Assert.Equal(SqlitePersonalizeStore.SchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), store.WriterPragma("user_version"));
        Assert.Equal(17, SqlitePersonalizeStore.SchemaVersion);
        Assert.Equal((RunStatus.Running, IdempotencyKeyFormat.TimeOrdered), ((await store.GetRunAsync(id))!.Status, (await store.GetRunAsync(id))!.KeyFormat));
        Assert.Equal(key, (await store.FindDeliveryAsync(key))!.IdempotencyKey);
        Assert.Empty(await store.ReadRunPagesAsync(id));

        var page = new RunPage { RunId = "campaign:spring@later", FirstCustomerId = "c-1", LastCustomerId = "c-2", Tag = "abcde" };
        await store.RecordAsync(new SendBatch { RunPages = [page] });
        Assert.Equal([page], await store.ReadRunPagesAsync(page.RunId));
    }
}
