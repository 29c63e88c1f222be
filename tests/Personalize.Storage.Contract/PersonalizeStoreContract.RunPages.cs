using Personalize.Delivery;
using Xunit;
using static Personalize.Storage.Contract.StoreKit;

namespace Personalize.Storage.Contract;

/// <summary>The pages of a send run (ADR 0077): recorded with its messages, never overlapping, and no erased id kept.</summary>
public abstract partial class PersonalizeStoreContract
{
    private static readonly string PagedRun = RunRecord.CreateId("schedule", Now);

    private static RunPage Page(string first, string last, string tag, string? run = null) => new() { RunId = run ?? PagedRun, FirstCustomerId = first, LastCustomerId = last, Tag = tag };

    [StoreFact]
    public async Task A_runs_pages_are_recorded_with_its_messages_and_read_back_in_customer_order()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Customer("c-1"), Customer("c-2"), Customer("c-3"), Customer("c-4")]);
        var key = IdempotencyKey.Create("schedule", "c-1", "m", Now, IdempotencyKeyFormat.PageTagged, "aaaaa");
        var result = await scope.Store.RecordAsync(new SendBatch
        {
            Customers = [new CustomerSends { CustomerId = "c-1", Deliveries = [Send("c-1", "m", Now) with { IdempotencyKey = key }] }],
            RunPages = [Page("c-3", "c-4", "bbbbb"), Page("c-1", "c-2", "aaaaa"), Page("c-1", "c-9", "ccccc", run: "other@run")],
        });

        Assert.Equal(WriteStatus.Written, result.Customers[0].Status);
        Assert.Equal([Page("c-1", "c-2", "aaaaa"), Page("c-3", "c-4", "bbbbb")], await scope.Store.ReadRunPagesAsync(PagedRun));
        Assert.Equal([Page("c-1", "c-9", "ccccc", run: "other@run")], await scope.Store.ReadRunPagesAsync("other@run"));
        Assert.Empty(await scope.Store.ReadRunPagesAsync("none@run"));

        // The same page again (a batch repeated) is no overlap.
        var again = await scope.Store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-2" }], RunPages = [Page("c-1", "c-2", "aaaaa")] });
        Assert.Equal(WriteStatus.Written, again.Customers[0].Status);
        Assert.Equal(2, (await scope.Store.ReadRunPagesAsync(PagedRun)).Count);
    }

    [StoreFact]
    public async Task A_page_overlapping_one_the_run_holds_is_refused_and_its_customers_written_as_conflicts()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Customer("c-1"), Customer("c-2"), Customer("c-3"), Customer("c-4"), Customer("c-5")]);
        await scope.Store.RecordAsync(new SendBatch { RunPages = [Page("c-2", "c-3", "aaaaa")] });
        var before = (await scope.Store.GetCustomerAsync("c-3"))!.Version;

        // Another process's pages: one overlaps the recorded page, one does not.
        var late = IdempotencyKey.Create("schedule", "c-3", "m", Now, IdempotencyKeyFormat.PageTagged, "bbbbb");
        var fine = IdempotencyKey.Create("schedule", "c-5", "m", Now, IdempotencyKeyFormat.PageTagged, "bbbbb");
        var result = await scope.Store.RecordAsync(new SendBatch
        {
            Customers =
            [
                new CustomerSends { CustomerId = "c-3", Deliveries = [Send("c-3", "m", Now) with { IdempotencyKey = late }] },
                new CustomerSends { CustomerId = "c-5", Deliveries = [Send("c-5", "m", Now) with { IdempotencyKey = fine }] },
            ],
            RunPages = [Page("c-3", "c-4", "bbbbb"), Page("c-5", "c-5", "bbbbb")],
        });

        Assert.Equal((WriteStatus.Conflict, before), (result.Customers[0].Status, result.Customers[0].Version));
        Assert.Equal(WriteStatus.Written, result.Customers[1].Status);
        Assert.Null(await scope.Store.FindDeliveryAsync(late));
        Assert.NotNull(await scope.Store.FindDeliveryAsync(fine));
        Assert.Equal([Page("c-2", "c-3", "aaaaa"), Page("c-5", "c-5", "bbbbb")], await scope.Store.ReadRunPagesAsync(PagedRun));
    }

    [StoreFact]
    public async Task Pages_that_overlap_within_a_batch_or_bad_pages_are_refused_with_the_store_unchanged()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Customer("c-1")]);

        await Assert.ThrowsAsync<ArgumentException>(async () => await scope.Store.RecordAsync(new SendBatch { RunPages = [Page("c-1", "c-3", "aaaaa"), Page("c-2", "c-4", "bbbbb")] }));
        await Assert.ThrowsAsync<ArgumentException>(async () => await scope.Store.RecordAsync(new SendBatch { RunPages = [Page("c-3", "c-1", "aaaaa")] }));
        await Assert.ThrowsAsync<ArgumentException>(async () => await scope.Store.RecordAsync(new SendBatch { RunPages = [Page("c-1", "c-3", "AAAAA")] }));
        Assert.Empty(await scope.Store.ReadRunPagesAsync(PagedRun));
    }

    [StoreFact]
    public async Task Erasing_a_customer_that_bounds_a_run_page_moves_the_bound_to_the_nearest_remaining_customer()
    {
        await using var scope = await OpenAsync();
        await scope.Store.ImportCustomersAsync([Customer("c-1"), Customer("c-2"), Customer("c-3"), Customer("c-4"), Customer("c-5"), Customer("c-6")]);
        await scope.Store.RecordAsync(new SendBatch { RunPages = [Page("c-1", "c-3", "aaaaa"), Page("c-4", "c-4", "bbbbb"), Page("c-5", "c-6", "ccccc")] });

        await scope.Store.EraseCustomerAsync("c-1", Now);
        await scope.Store.EraseCustomerAsync("c-3", Now);
        await scope.Store.EraseCustomerAsync("c-4", Now);
        await scope.Store.EraseCustomerAsync("c-6", Now);

        // Every remaining customer keeps its page's tag; no erased id stays; a page left empty goes.
        Assert.Equal([Page("c-2", "c-2", "aaaaa"), Page("c-5", "c-5", "ccccc")], await scope.Store.ReadRunPagesAsync(PagedRun));
    }
}
