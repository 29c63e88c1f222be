using Microsoft.Data.Sqlite;
using Personalize.Customers;
using Personalize.Events;
using Personalize.Storage;
using Personalize.Storage.Contract;
using Xunit;
using static Personalize.Storage.Contract.StoreKit;

namespace Personalize.Sqlite.Tests;

/// <summary>Event ingestion's write of a stage the events moved, without reading the customer whole (ADR 53).</summary>
public sealed class IngestionStageTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task A_stage_moved_by_events_is_written_to_the_row_and_the_profile_and_the_rest_of_the_profile_reads_back_unchanged()
    {
        var before = Customer("c-1") with { Stage = LifecycleStage.Exposure };
        using (var store = SqlitePersonalizeStore.Open(_db.File, StoreKit.Channels))
        {
            await store.ImportCustomersAsync([before, Customer("c-2") with { Stage = LifecycleStage.Exposure }]);
            var version = (await store.GetCustomerAsync("c-1"))!.Version;
            var summary = await new EventIngestor().IngestAsync(
                ToAsync([Event("e-1", "c-1", "order_placed", Now.AddHours(-2), """{"order_number":"A-1","total":12.50}"""), Event("e-2", "c-2", "login", Now.AddHours(-1))]),
                store,
                Now);

            Assert.Equal((2L, 1L), (summary.Applied, summary.StageChanges));
            var after = (await store.GetCustomerAsync("c-1"))!;
            Assert.Equal(version + 1, after.Version);
            Assert.Equal(LifecycleStage.Adoption, after.Profile.Stage);
            Assert.Equal(1L, after.Profile.Facts.ValueOf(FactNames.OrderCount));
            Assert.Equal("adoption", after.Profile.Facts.ValueOf(FactNames.Stage));
            Assert.Equal(FactsJson(before with { Stage = LifecycleStage.Adoption, Facts = after.Profile.Facts }), FactsJson(after.Profile));
            Assert.Equal(before.Consents.Records, after.Profile.Consents.Records);
            var change = Assert.Single((await store.ReadChangesAsync(new ChangeQuery { CustomerId = "c-1" })).Items);
            Assert.Equal(("exposure", "adoption", "e-1"), (change.From, change.To, change.EventId));
            Assert.Equal(LifecycleStage.Exposure, (await store.GetCustomerAsync("c-2"))!.Profile.Stage);

            // The customer still takes a whole-profile write at its new version.
            var saved = await store.SaveProfileAsync(after.Profile with { Language = "de-DE" }, after.Version);
            Assert.Equal(WriteStatus.Written, saved.Status);
        }

        // Stored as the profile writer stores it (UTF-8 JSON in a BLOB), and the screened column agrees, after reopening.
        Assert.Equal("blob|adoption|1", Scalar("SELECT typeof(p.profile) || '|' || json_extract(CAST(p.profile AS TEXT), '$.stage') || '|' || c.stage FROM customer_profiles p JOIN customers c ON c.id = p.id WHERE p.id = 'c-1'"));
        using var reopened = SqlitePersonalizeStore.Open(_db.File, StoreKit.Channels);
        var read = (await reopened.GetCustomerAsync("c-1"))!.Profile;
        Assert.Equal((LifecycleStage.Adoption, "de-DE"), (read.Stage, read.Language));
    }

    [Fact]
    public async Task A_stage_and_a_service_flag_moved_together_are_both_written()
    {
        using var store = SqlitePersonalizeStore.Open(_db.File, StoreKit.Channels);
        var before = Customer("c-1") with { Stage = LifecycleStage.Exposure, ServiceFlags = new ServiceFlags() };
        await store.ImportCustomersAsync([before]);

        var summary = await new EventIngestor().IngestAsync(
            ToAsync([Event("e-1", "c-1", "order_placed", Now.AddHours(-2)), Event("e-2", "c-1", "complaint_opened", Now.AddHours(-1))]),
            store,
            Now);

        Assert.Equal((2L, 1L), (summary.Applied, summary.StageChanges));
        var after = (await store.GetCustomerAsync("c-1"))!.Profile;
        Assert.Equal((LifecycleStage.Adoption, true), (after.Stage, after.ServiceFlags.OpenComplaint));
        Assert.Equal(FactsJson(before with { Stage = LifecycleStage.Adoption, ServiceFlags = new ServiceFlags { OpenComplaint = true }, Facts = after.Facts }), FactsJson(after));
    }

    private string Scalar(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_db.File};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!;
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
