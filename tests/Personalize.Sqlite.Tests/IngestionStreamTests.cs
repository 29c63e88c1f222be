using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;
using Personalize.Events;
using Personalize.Storage;
using Personalize.Storage.Contract;
using Xunit;
using static Personalize.Storage.Contract.StoreKit;

namespace Personalize.Sqlite.Tests;

/// <summary>Streams into SQLite: a live stream's batches (<see cref="EventOptions.MaxBatchWait"/>) and held ids met without looking them up first.</summary>
public sealed class IngestionStreamTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task Events_of_a_stream_that_pauses_are_written_after_the_batch_wait_while_the_stream_stays_open()
    {
        using var store = SqlitePersonalizeStore.Open(_db.File, StoreKit.Channels);
        await store.ImportCustomersAsync([Bare("c-1"), Bare("c-2")]);
        var clock = new FakeTimeProvider(Now);
        var stream = Channel.CreateUnbounded<CustomerEvent>();
        var ingestion = new EventIngestor(new EventOptions { MaxBatchWait = TimeSpan.FromSeconds(1) }, clock).IngestAsync(stream.Reader.ReadAllAsync(), store, Now);

        await stream.Writer.WriteAsync(Event("e-1", "c-1", "order_placed", Now.AddMinutes(-2)));
        await stream.Writer.WriteAsync(Event("e-2", "c-2", "login", Now.AddMinutes(-1)));
        await Task.Delay(200);
        Assert.Empty(await store.FindEventsAsync(["e-1", "e-2"])); // a batch of 10,000 is not full, and no time has passed

        // The batch wait passes. Under load the ingestor may start its wait only after this advance, so the clock moves
        // on by one wait at each look until the batch is written (a wait that never fires fails after 20 s).
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(["e-1", "e-2"], (await Eventually(
            () =>
            {
                var found = store.FindEventsAsync(["e-1", "e-2"]).AsTask();
                clock.Advance(TimeSpan.FromSeconds(1));
                return found;
            },
            static ids => ids.Count == 2)).Order(StringComparer.Ordinal));
        Assert.Equal(1L, (await store.GetCustomerAsync("c-1"))!.Profile.Facts.ValueOf(FactNames.OrderCount));
        Assert.False(ingestion.IsCompleted);

        // The stream goes on: its next events make a new batch, written when the stream ends.
        await stream.Writer.WriteAsync(Event("e-3", "c-1", "order_placed", Now.AddSeconds(-30)));
        await stream.Writer.WriteAsync(Event("e-1", "c-1", "order_placed", Now.AddMinutes(-2)));
        stream.Writer.Complete();
        var summary = await ingestion.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal((4L, 3L, 1L), (summary.Received, summary.Applied, summary.Duplicates));
        Assert.Equal(2L, (await store.GetCustomerAsync("c-1"))!.Profile.Facts.ValueOf(FactNames.OrderCount));
    }

    [Fact]
    public async Task A_stream_ingested_again_with_new_events_among_held_ones_applies_only_the_new_ones_once()
    {
        using var store = SqlitePersonalizeStore.Open(_db.File, StoreKit.Channels);
        await store.ImportCustomersAsync([Bare("c-1"), Bare("c-2"), Bare("c-3")]);
        CustomerEvent[] first = [Event("e-1", "c-1", "order_placed", Now.AddHours(-5)), Event("e-2", "c-2", "order_placed", Now.AddHours(-4)), Event("e-3", "c-1", "login", Now.AddHours(-3))];
        CustomerEvent[] again = [.. first, Event("e-4", "c-1", "order_placed", Now.AddHours(-2)), Event("e-5", "c-3", "order_placed", Now.AddHours(-1)), Event("e-6", "c-2", "login", Now.AddMinutes(-30))];
        var options = new EventOptions { BatchSize = 4 };

        var one = await new EventIngestor(options).IngestAsync(ToAsync(first), store, Now);
        var two = await new EventIngestor(options).IngestAsync(ToAsync(again), store, Now);

        Assert.Equal((3L, 0L), (one.Applied, one.Duplicates));
        Assert.Equal((6L, 3L, 3L, 0L), (two.Received, two.Applied, two.Duplicates, two.RejectedCount));
        var counts = await Task.WhenAll(new[] { "c-1", "c-2", "c-3" }.Select(async id => (long)(await store.GetCustomerAsync(id))!.Profile.Facts.ValueOf(FactNames.OrderCount)!));
        Assert.Equal(new[] { 2L, 1L, 1L }, counts);
        Assert.Equal(["e-1", "e-2", "e-3", "e-4", "e-5", "e-6"], (await store.ReadEventsAsync(new EventQuery())).Items.Select(static e => e.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Older_events_that_change_no_fact_are_stored_once_and_a_held_one_among_them_is_left_out()
    {
        using var store = SqlitePersonalizeStore.Open(_db.File, StoreKit.Channels);
        await store.ImportCustomersAsync([Bare("c-1"), Bare("c-2")]);
        var options = new EventOptions { BatchSize = 3 };
        await new EventIngestor(options).IngestAsync(ToAsync([Event("new-1", "c-1", "order_shipped", Now.AddHours(-1), """{"order_number":"A-1"}"""), Event("new-2", "c-2", "order_shipped", Now.AddHours(-1), """{"order_number":"A-2"}""")]), store, Now);
        var before = await Task.WhenAll(new[] { "c-1", "c-2" }.Select(async id => (await store.GetCustomerAsync(id))!));

        // Each older than the facts it would set (shipping facts keep the latest shipment): stored, no fact changes; new-1 is held, so c-1's first write is a conflict
        // and its events are read and applied again without it.
        CustomerEvent[] older = [Event("old-1", "c-1", "order_shipped", Now.AddDays(-2), """{"order_number":"A-0"}"""), Event("new-1", "c-1", "order_shipped", Now.AddHours(-1), """{"order_number":"A-1"}"""), Event("old-2", "c-2", "order_shipped", Now.AddDays(-3)), Event("old-3", "c-1", "order_shipped", Now.AddDays(-1))];
        var one = await new EventIngestor(options).IngestAsync(ToAsync(older), store, Now);
        var two = await new EventIngestor(options).IngestAsync(ToAsync(older), store, Now);

        Assert.Equal((4L, 3L, 1L, 0L, 0L), (one.Received, one.Applied, one.Duplicates, one.RejectedCount, one.FactsChanged));
        Assert.Equal((4L, 0L, 4L, 0L), (two.Received, two.Applied, two.Duplicates, two.RejectedCount));
        var after = await Task.WhenAll(new[] { "c-1", "c-2" }.Select(async id => (await store.GetCustomerAsync(id))!));
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(before[i].Version, after[i].Version);
            Assert.Equal(before[i].Profile.Facts.Select(static f => (f.Key, f.Value.EventId)), after[i].Profile.Facts.Select(static f => (f.Key, f.Value.EventId)));
        }

        Assert.Equal(["new-1", "new-2", "old-1", "old-2", "old-3"], (await store.ReadEventsAsync(new EventQuery())).Items.Select(static e => e.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_negative_batch_wait_is_refused_by_name()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new EventIngestor(new EventOptions { MaxBatchWait = TimeSpan.FromSeconds(-1) }));
        Assert.Contains("MaxBatchWait", error.Message, StringComparison.Ordinal);
    }

    private static async Task<T> Eventually<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var value = await read();
            if (done(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }

            await Task.Delay(20);
        }
    }

    private static async IAsyncEnumerable<CustomerEvent> ToAsync(IEnumerable<CustomerEvent> events)
    {
        foreach (var e in events)
        {
            yield return e;
        }

        await Task.CompletedTask;
    }
}
