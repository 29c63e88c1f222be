using Microsoft.Data.Sqlite;
using Personalize.Delivery;
using Personalize.Storage;
using Personalize.Storage.Contract;
using static Personalize.Storage.Contract.StoreKit;

namespace Personalize.Sqlite.Tests;

/// <summary>Migration 13 (ADR 0075): each run records the format of its idempotency keys; the runs of earlier releases made format 1.</summary>
public sealed class RunKeyFormatMigrationTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task A_run_of_a_version_12_database_reads_as_hashed_keys_and_keeps_that_format_when_saved_again()
    {
        var id = RunRecord.CreateId("campaign:spring", Now);
        using (var old = SqlitePersonalizeStore.OpenAt(_db.File, StoreKit.Channels, schemaVersion: 12))
        {
            await old.ImportCustomersAsync([Bare("c-1")]);
        }

        using (var connection = new SqliteConnection($"Data Source={_db.File};Pooling=False"))
        {
            // The run as the previous release saved it (its columns only), stopped half-way.
            connection.Open();
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO runs (id, trigger, at, status, started_at, updated_at, processed, sent, scheduled, already_sent, errors) VALUES ($id, 'campaign:spring', $at, 0, $at, $at, 500, 480, 20, 0, 0)";
            insert.Parameters.AddWithValue("$id", id);
            insert.Parameters.AddWithValue("$at", Now.UtcTicks);
            insert.ExecuteNonQuery();
        }

        using var store = SqlitePersonalizeStore.Open(_db.File, StoreKit.Channels);

        Assert.Equal(SqlitePersonalizeStore.SchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), store.WriterPragma("user_version"));
        var run = (await store.GetRunAsync(id))!;
        Assert.Equal((RunStatus.Running, 500L, IdempotencyKeyFormat.Hashed), (run.Status, run.Processed, run.KeyFormat));

        // The resumed run's final record, even from a process that would make the other format, keeps format 1.
        await store.SaveRunAsync(run with { Status = RunStatus.Completed, Processed = 1000, KeyFormat = IdempotencyKeyFormat.TimeOrdered });
        Assert.Equal((RunStatus.Completed, 1000L, IdempotencyKeyFormat.Hashed), ((await store.GetRunAsync(id))!.Status, (await store.GetRunAsync(id))!.Processed, (await store.GetRunAsync(id))!.KeyFormat));
        Assert.Equal(IdempotencyKeyFormat.Hashed, Assert.Single(await store.ReadRunsAsync(new RunQuery())).KeyFormat);
    }
}
