using Microsoft.Data.Sqlite;
using Personalize.Delivery;
using Personalize.Events;
using Personalize.Storage;
using Personalize.Storage.Contract;
using static Personalize.Storage.Contract.StoreKit;

namespace Personalize.Sqlite.Tests;

/// <summary>
/// The asks' binary form in the facts blob (ADR 0079, 0086): a database of an earlier release keeps the facts it wrote
/// (JSON before migration 14, asks with 20-byte keys before 15), reads them as before after the migrations, and a
/// customer's next write stores them in the current form, carried over.
/// </summary>
public sealed class AskFormatMigrationTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task Facts_of_the_release_before_read_as_they_were_and_the_next_send_stores_them_compactly_with_the_new_ask()
    {
        var first = IdempotencyKey.Create("campaign:spring", "c-1", "welcome", Now.AddDays(-40));
        var json = "{\"order_count\":{\"v\":2,\"at\":" + Now.AddDays(-50).UtcTicks + ",\"e\":\"e-1\"},\"asked.recipes\":{\"v\":1,\"at\":" + Now.AddDays(-40).UtcTicks + ",\"e\":\"" + first + "\"}}";
        using (var old = SqlitePersonalizeStore.OpenAt(_db.File, StoreKit.Channels, schemaVersion: 13))
        {
            await old.ImportCustomersAsync([Bare("c-1"), Bare("c-2")]);
        }

        using (var connection = new SqliteConnection($"Data Source={_db.File};Pooling=False"))
        {
            // The facts as the release before wrote them: JSON, the ask among them.
            connection.Open();
            using var update = connection.CreateCommand();
            update.CommandText = "UPDATE customers SET event_facts = $facts WHERE id = 'c-1'";
            update.Parameters.AddWithValue("$facts", System.Text.Encoding.UTF8.GetBytes(json));
            update.ExecuteNonQuery();
        }

        using var store = SqlitePersonalizeStore.Open(_db.File, StoreKit.Channels);

        Assert.Equal(SqlitePersonalizeStore.SchemaVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), store.WriterPragma("user_version"));
        var before = (await store.GetCustomerAsync("c-1"))!;
        Assert.Equal(["order_count", "asked.recipes"], before.Profile.Facts.Keys);
        Assert.Equal((1m, first, Now.AddDays(-40)), (before.Profile.Facts["asked.recipes"].Number, before.Profile.Facts["asked.recipes"].EventId, before.Profile.Facts["asked.recipes"].At));
        Assert.Equal(json.Length, StoredBlob("c-1").Length);

        // The send run's write: the message with the ask, counted on from the stored one.
        var send = Send("c-1", "spring-sale", Now);
        var facts = CustomerFacts.Create(before.Profile.Facts.Select(f => f.Key == "asked.recipes" ? new KeyValuePair<string, Fact>(f.Key, new Fact(2L, Now, send.IdempotencyKey)) : f));
        var result = await store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", ExpectedVersion = before.Version, Deliveries = [send], Facts = facts }] });

        Assert.Equal(WriteStatus.Written, result.Customers[0].Status);
        var after = (await store.GetCustomerAsync("c-1"))!.Profile.Facts;
        Assert.Equal(facts.Keys, after.Keys);
        Assert.Equal(facts.Values, after.Values);
        var blob = StoredBlob("c-1");
        Assert.Equal(StoredFacts.Tag, blob[0]);
        Assert.True(blob.Length < json.Length - 40, $"The stored facts take {blob.Length} bytes against the JSON's {json.Length}.");
        Assert.Empty((await store.GetCustomerAsync("c-2"))!.Profile.Facts);
    }

    [Fact]
    public async Task Asks_migration_14_wrote_read_as_they_were_and_the_next_send_stores_its_key_without_the_instant()
    {
        var first = IdempotencyKey.Create("campaign:spring", "c-1", "welcome", Now.AddDays(-40));
        using (var old = SqlitePersonalizeStore.OpenAt(_db.File, StoreKit.Channels, schemaVersion: 14))
        {
            await old.ImportCustomersAsync([Bare("c-1")]);
        }

        // Migration 14's form (ADR 0079) of {"asked.recipes": 1 at the key's instant}: tag, counts, position, id, count,
        // flags 1 | 2 | 4, the seconds, the key's 32 characters in 20 bytes (5 bits each, the first character highest).
        var blob = new List<byte> { StoredFacts.Tag, 1, 0, 0, 7 };
        blob.AddRange("recipes"u8.ToArray());
        blob.AddRange([1, 1 | 2 | 4]);
        for (var seconds = (ulong)Now.AddDays(-40).ToUnixTimeSeconds(); ; seconds >>= 7)
        {
            blob.Add((byte)(seconds < 0x80 ? seconds : (seconds & 0x7F) | 0x80));
            if (seconds < 0x80)
            {
                break;
            }
        }

        var bits = new System.Numerics.BigInteger(0);
        foreach (var c in first[4..])
        {
            bits = (bits * 32) + "abcdefghijklmnopqrstuvwxyz234567".IndexOf(c, StringComparison.Ordinal);
        }

        blob.AddRange(bits.ToByteArray(isUnsigned: true, isBigEndian: true).AsEnumerable().Reverse().Concat(new byte[20]).Take(20).Reverse());
        using (var connection = new SqliteConnection($"Data Source={_db.File};Pooling=False"))
        {
            connection.Open();
            using var update = connection.CreateCommand();
            update.CommandText = "UPDATE customers SET event_facts = $facts WHERE id = 'c-1'";
            update.Parameters.AddWithValue("$facts", blob.ToArray());
            update.ExecuteNonQuery();
        }

        using var store = SqlitePersonalizeStore.Open(_db.File, StoreKit.Channels);

        var before = (await store.GetCustomerAsync("c-1"))!;
        Assert.Equal((1m, first, Now.AddDays(-40)), (before.Profile.Facts["asked.recipes"].Number, before.Profile.Facts["asked.recipes"].EventId, before.Profile.Facts["asked.recipes"].At));
        var send = Send("c-1", "spring-sale", Now);
        var facts = CustomerFacts.Create([new("asked.recipes", new Fact(2L, Now, send.IdempotencyKey))]);
        var result = await store.RecordAsync(new SendBatch { Customers = [new CustomerSends { CustomerId = "c-1", ExpectedVersion = before.Version, Deliveries = [send], Facts = facts }] });

        Assert.Equal(WriteStatus.Written, result.Customers[0].Status);
        Assert.Equal(facts.Values, (await store.GetCustomerAsync("c-1"))!.Profile.Facts.Values);
        Assert.Equal(blob.Count - 4, StoredBlob("c-1").Length);
    }

    private byte[] StoredBlob(string id)
    {
        using var connection = new SqliteConnection($"Data Source={_db.File};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var select = connection.CreateCommand();
        select.CommandText = "SELECT event_facts FROM customers WHERE id = $id";
        select.Parameters.AddWithValue("$id", id);
        return (byte[])select.ExecuteScalar()!;
    }
}
