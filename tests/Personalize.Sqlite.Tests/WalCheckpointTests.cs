using System.Globalization;
using Personalize.Storage;
using Personalize.Storage.Contract;
using static Personalize.Storage.Contract.StoreKit;

namespace Personalize.Sqlite.Tests;

/// <summary>The write-ahead log's checkpoints, which run off the writer's thread (ADR 0076).</summary>
public sealed class WalCheckpointTests : IDisposable
{
    private const int Frames = 16;
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task The_log_is_checkpointed_off_the_writer_and_starts_again_from_its_beginning_with_every_record_kept()
    {
        var keys = new List<string>();
        long largestLog = 0;
        using (var store = SqlitePersonalizeStore.Open(_db.File, StoreKit.Channels))
        {
            Assert.True(SqliteNative.Available);
            store.CheckpointAfterFrames = Frames;
            var ids = Enumerable.Range(0, 40).Select(static i => "c-" + i.ToString("D3", CultureInfo.InvariantCulture)).ToArray();
            await store.ImportCustomersAsync([.. ids.Select(static id => Customer(id))]);
            var versions = ids.ToDictionary(static id => id, static _ => 1L, StringComparer.Ordinal);
            for (var batch = 0; batch < 150; batch++)
            {
                var at = Now.AddMinutes(batch);
                var writes = ids.Select(id => new CustomerSends { CustomerId = id, ExpectedVersion = versions[id], Deliveries = [Send(id, "m" + batch.ToString(CultureInfo.InvariantCulture), at)] }).ToArray();
                var result = await store.RecordAsync(new SendBatch { Customers = writes });
                foreach (var customer in result.Customers)
                {
                    Assert.Equal(WriteStatus.Written, customer.Status);
                    versions[customer.CustomerId] = customer.Version;
                }

                keys.AddRange(writes.Select(static w => w.Deliveries[0].IdempotencyKey));
                largestLog = Math.Max(largestLog, new FileInfo(_db.File + "-wal").Length);
            }

            // The checkpoint thread copied the log, the writer copied what came meanwhile, and the log started again from
            // its beginning: without checkpoints these 150 commits grow it to ~7,000 pages (29 MB); here it stays near
            // a few checkpoints' worth (~220-800 pages measured; the bound leaves room for a slow machine).
            var (background, writer) = store.Checkpoints;
            Assert.True(background > 0, "no checkpoint ran on the checkpoint thread");
            Assert.True(writer > 0, "the writer never copied what was committed while the thread copied");
            Assert.True(largestLog < 2_500 * 4_120L, $"the log grew to {largestLog:N0} bytes");
            Assert.Equal(keys.Count, await CountDeliveries(store));
        }

        // Closed right after its last write (a copy may have been under way): reopened, every record is there.
        using var reopened = SqlitePersonalizeStore.Open(_db.File, StoreKit.Channels);
        Assert.Equal(keys.Count, await CountDeliveries(reopened));
        Assert.All(keys.Take(5).Concat(keys.TakeLast(5)), key => Assert.NotNull(reopened.FindDeliveryAsync(key).AsTask().GetAwaiter().GetResult()));
        Assert.Equal(150, (await reopened.GetCustomerAsync("c-007"))!.Profile.History.Records.Count(static r => r.SentAt >= Now));
    }

    [Fact]
    public async Task A_store_that_writes_little_starts_no_checkpoint_thread_and_closes_with_its_records()
    {
        var send = Send("c-1", "m", Now);
        using (var store = SqlitePersonalizeStore.Open(_db.File, StoreKit.Channels))
        {
            await store.ImportCustomersAsync([Customer("c-1")]);
            await store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", ExpectedVersion = 1, Deliveries = [send] }] });
            Assert.Equal((0, 0), store.Checkpoints);
        }

        using var reopened = SqlitePersonalizeStore.Open(_db.File, StoreKit.Channels);
        Assert.NotNull(await reopened.FindDeliveryAsync(send.IdempotencyKey));
    }

    private static async Task<int> CountDeliveries(SqlitePersonalizeStore store)
    {
        var count = 0;
        string? after = null;
        do
        {
            var page = await store.ReadDeliveriesAsync(new DeliveryQuery { Limit = 1_000, ContinueAfter = after });
            count += page.Items.Count;
            after = page.ContinueAfter;
        }
        while (after is not null);
        return count;
    }
}
