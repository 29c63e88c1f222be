using Microsoft.Data.Sqlite;
using Personalize.Journeys;
using Personalize.Storage;
using Personalize.Storage.Contract;
using static Personalize.Storage.Contract.StoreKit;

namespace Personalize.Sqlite.Tests;

/// <summary>Migration 12 (ADR 0061): the records one write adds share one history row; rows written before keep one record each.</summary>
public sealed class JourneyHistoryRowsTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task A_version_11_history_reads_the_same_and_a_step_appends_its_records_as_one_row_after_it()
    {
        // A version 11 file: one row per record (written here as that release wrote them).
        var entered = Paused(0, [Record(0, "entry", JourneyOutcomes.Entered, "event:renewal_due e-1"), Record(0, "pause", JourneyOutcomes.Waiting, "until later")]) with { Revision = 1 };
        using (var old = SqlitePersonalizeStore.OpenAt(_db.File, StoreKit.Channels, schemaVersion: 11))
        {
            await old.ImportCustomersAsync([Bare("c-1")]);
        }

        using (var connection = new SqliteConnection($"Data Source={_db.File};Pooling=False"))
        {
            connection.Open();
            using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO journey_instances (customer_id, journey_id, instance_id, status, wake_at, data) VALUES ('c-1', 'renewal', '1', 0, $wake, CAST($data AS BLOB));
                INSERT INTO journey_history (customer_id, journey_id, instance_id, seq, at, step, outcome, detail) VALUES
                    ('c-1', 'renewal', '1', 0, $at, 'entry', 'entered', 'event:renewal_due e-1'),
                    ('c-1', 'renewal', '1', 1, $at, 'pause', 'waiting', 'until later');
                """;
            insert.Parameters.AddWithValue("$wake", Now.AddDays(1).UtcTicks);
            insert.Parameters.AddWithValue("$at", Now.UtcTicks);
            insert.Parameters.AddWithValue("$data", FormattableString.Invariant($$"""{"customerId":"c-1","journeyId":"renewal","instanceId":"1","version":1,"revision":1,"status":0,"stepId":"pause","stepSince":{{Now.UtcTicks}},"attempt":0,"wakeAt":{{Now.AddDays(1).UtcTicks}},"startedAt":{{Now.UtcTicks}},"updatedAt":{{Now.UtcTicks}},"historyDropped":0,"historyCount":2}"""));
            insert.ExecuteNonQuery();
        }

        Assert.Equal("0:1:,1:1:", Rows());
        using var store = SqlitePersonalizeStore.Open(_db.File, StoreKit.Channels);
        Assert.Equal(SqlitePersonalizeStore.SchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), store.WriterPragma("user_version"));
        var read = Assert.Single((await store.ReadJourneysAsync(new JourneyQuery())).Items);
        Assert.Equal(entered.History, read.History);

        // The due pass's shape: read without the history, three records added, one row written after the two stored.
        var state = Assert.Single((await store.ReadJourneysAsync(new JourneyQuery { WithoutHistory = true })).Items);
        var step = state
            .Record(Record(1, "pause", JourneyOutcomes.Waited, null))
            .Record(Record(1, "note", JourneyOutcomes.Sent, "email k-1 \"quoted\" é"))
            .Record(Record(1, "pause2", JourneyOutcomes.Waiting, "until 2026-03-23T09:00:00Z")) with { Revision = 2 };
        await Write(store, step);

        Assert.Equal("0:1:,1:1:,2:3:2", Rows());
        var again = Assert.Single((await store.ReadJourneysAsync(new JourneyQuery())).Items);
        Assert.Equal([.. entered.History, .. step.History], again.History);
        Assert.Equal((2, 0), (again.Revision, again.HistoryDropped));
    }

    [Fact]
    public async Task An_instance_written_whole_over_packed_rows_replaces_its_records_by_number_and_keeps_later_ones()
    {
        using var store = SqlitePersonalizeStore.Open(_db.File, StoreKit.Channels);
        await store.ImportCustomersAsync([Bare("c-1")]);
        var first = Paused(0, [Record(0, "entry", JourneyOutcomes.Entered, null), Record(0, "pause", JourneyOutcomes.Waiting, "a"), Record(0, "pause", JourneyOutcomes.Waited, "b")]) with { Revision = 1 };
        await Write(store, first);
        var state = Assert.Single((await store.ReadJourneysAsync(new JourneyQuery { WithoutHistory = true })).Items);
        await Write(store, state.Record(Record(1, "note", JourneyOutcomes.Sent, "c")).Record(Record(1, "pause", JourneyOutcomes.Waiting, "d")) with { Revision = 2 });
        Assert.Equal("0:3:2,3:2:1", Rows());

        // Read whole, one record added, written whole: every record lands at its number, none twice.
        var whole = Assert.Single((await store.ReadJourneysAsync(new JourneyQuery())).Items);
        await Write(store, whole.Record(Record(2, "pause", JourneyOutcomes.Waited, "e")) with { Revision = 3 });
        var read = Assert.Single((await store.ReadJourneysAsync(new JourneyQuery())).Items);
        Assert.Equal(["entry", "a", "b", "c", "d", "e"], read.History.Select(static h => h.Detail ?? h.StepId));
        Assert.Equal("0:1:,1:1:,2:1:,3:1:,4:1:,5:1:", Rows());

        // A whole write of a shorter history replaces the records it carries and leaves the later ones (ADR 0055).
        await Write(store, read with { Revision = 4, History = [read.History[0], Record(3, "pause", JourneyOutcomes.Waiting, "B")] });
        read = Assert.Single((await store.ReadJourneysAsync(new JourneyQuery())).Items);
        Assert.Equal(["entry", "B", "b", "c", "d", "e"], read.History.Select(static h => h.Detail ?? h.StepId));
    }

    [Fact]
    public async Task Dropping_the_oldest_records_starts_the_row_holding_the_first_kept_one_at_it_and_deletes_older_rows()
    {
        using var store = SqlitePersonalizeStore.Open(_db.File, StoreKit.Channels);
        await store.ImportCustomersAsync([Bare("c-1")]);

        // Rows of 16 records (a whole write of 199), then a step of three: the maximum drops two, inside the first row.
        var history = Enumerable.Range(0, JourneyInstance.MaxHistory - 1).Select(static i => Record(0, "pause", JourneyOutcomes.Waiting, "old " + i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray();
        await Write(store, Paused(0, history) with { Revision = 1 });
        var state = Assert.Single((await store.ReadJourneysAsync(new JourneyQuery { WithoutHistory = true })).Items);
        var step = state.Record(Record(1, "pause", JourneyOutcomes.Waited, "new 0")).Record(Record(1, "note", JourneyOutcomes.Sent, "new 1")).Record(Record(1, "pause", JourneyOutcomes.Waiting, "new 2")) with { Revision = 2 };
        Assert.Equal(2, step.HistoryDropped);
        await Write(store, step);

        var read = Assert.Single((await store.ReadJourneysAsync(new JourneyQuery())).Items);
        Assert.Equal(JourneyInstance.MaxHistory, read.History.Count);
        Assert.Equal(2, read.HistoryDropped);
        Assert.Equal("old 2", read.History[0].Detail);
        Assert.Equal(["new 0", "new 1", "new 2"], read.History.TakeLast(3).Select(static h => h.Detail));
        Assert.StartsWith("2:14:13,16:16:15,", Rows(), StringComparison.Ordinal);

        // Once a later drop passes the first row's last record, the row goes.
        for (var n = 2; n <= 6; n++)
        {
            state = Assert.Single((await store.ReadJourneysAsync(new JourneyQuery { WithoutHistory = true })).Items);
            await Write(store, state.Record(Record(n, "pause", JourneyOutcomes.Waited, "w")).Record(Record(n, "pause", JourneyOutcomes.Waiting, "x")).Record(Record(n, "pause", JourneyOutcomes.Waited, "y")) with { Revision = n + 1 });
        }

        read = Assert.Single((await store.ReadJourneysAsync(new JourneyQuery())).Items);
        Assert.Equal((JourneyInstance.MaxHistory, 17), (read.History.Count, read.HistoryDropped));
        Assert.Equal("old 17", read.History[0].Detail);
        Assert.StartsWith("17:15:14,32:16:15,", Rows(), StringComparison.Ordinal);
    }

    private static JourneyStepRecord Record(int day, string step, string outcome, string? detail) => new(Now.AddDays(day), step, outcome, detail);

    private static JourneyInstance Paused(int dropped, IReadOnlyList<JourneyStepRecord> history) => new()
    {
        CustomerId = "c-1", JourneyId = "renewal", InstanceId = "1", Version = 1, StepId = "pause", StepSince = Now, WakeAt = Now.AddDays(1),
        StartedAt = Now, UpdatedAt = Now, History = history, HistoryDropped = dropped,
    };

    private static async Task Write(SqlitePersonalizeStore store, JourneyInstance instance)
    {
        var version = (await store.GetCustomerAsync("c-1"))!.Version;
        var written = await store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", ExpectedVersion = version, Journeys = [instance] }] });
        Assert.Equal(WriteStatus.Written, written.Customers[0].Status);
    }

    /// <summary>The history rows as "seq:records:more's length" (the columns migration 12 adds read 1 and null on older rows).</summary>
    private string Rows()
    {
        using var connection = new SqliteConnection($"Data Source={_db.File};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        var hasRecords = false;
        command.CommandText = "SELECT name FROM pragma_table_info('journey_history') WHERE name = 'records'";
        hasRecords = command.ExecuteScalar() is not null;
        command.CommandText = hasRecords
            ? "SELECT group_concat(seq || ':' || records || ':' || coalesce(json_array_length(more), ''), ',') FROM (SELECT * FROM journey_history ORDER BY seq)"
            : "SELECT group_concat(seq || ':1:', ',') FROM (SELECT * FROM journey_history ORDER BY seq)";
        return (string)command.ExecuteScalar()!;
    }
}
