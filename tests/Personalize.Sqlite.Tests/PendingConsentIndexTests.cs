using Microsoft.Data.Sqlite;
using Personalize.Consent;
using Personalize.Storage;
using Personalize.Storage.Contract;
using static Personalize.Storage.Contract.StoreKit;

namespace Personalize.Sqlite.Tests;

/// <summary>The confirmation sweep's query reads the partial index of pending requests (migration 7), never the whole ledger.</summary>
public sealed class PendingConsentIndexTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public void Both_pages_of_pending_requests_search_the_partial_index_in_its_order()
    {
        using (SqlitePersonalizeStore.Open(_db.File, StoreKit.Channels))
        {
        }

        using var connection = new SqliteConnection($"Data Source={_db.File};Pooling=False");
        connection.Open();
        foreach (var sql in SqlitePersonalizeStore.PendingConsentsSql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "EXPLAIN QUERY PLAN " + sql;
            foreach (var name in new[] { "$since", "$limit", "$afterTicks", "$afterCustomer", "$afterSeq" })
            {
                command.Parameters.AddWithValue(name, name == "$afterCustomer" ? "c-1" : 1L);
            }

            using var plan = command.ExecuteReader();
            var steps = new List<string>();
            while (plan.Read())
            {
                steps.Add(plan.GetString(3));
            }

            // One search of the index, in the index's order: no scan of the table, no sort.
            Assert.Equal(["SEARCH consent_records USING INDEX consent_records_pending (recorded_at>?)"], steps);
        }
    }

    [Fact]
    public async Task A_database_of_the_previous_version_gets_the_index_over_the_requests_it_holds()
    {
        using (var connection = new SqliteConnection($"Data Source={_db.File};Pooling=False"))
        {
            connection.Open();
            SqliteSchema.Migrate(connection, 0, 6);
        }

        var request = ConsentRecord.Grant(ConsentScope.ForTopic("gardening"), Now, Form, "v1", OptInMethod.Double);
        SqliteStoreTests.InsertAsBefore8(_db.File, [Bare("c-1")]); // the customers row as version 6 laid it out
        using (var old = SqlitePersonalizeStore.OpenAt(_db.File, StoreKit.Channels, schemaVersion: 6))
        {
            await old.AppendConsentAsync("c-1", [request]);
        }

        using var store = SqlitePersonalizeStore.Open(_db.File, StoreKit.Channels);

        Assert.Equal([new PendingConsent("c-1", request)], (await store.ReadPendingConsentsAsync(new PendingConsentQuery { Since = Now.AddDays(-7) })).Items);
    }
}
