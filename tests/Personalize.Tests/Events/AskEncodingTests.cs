using System.Globalization;
using System.Text;
using Personalize.Delivery;
using Personalize.Events;

namespace Personalize.Tests.Events;

/// <summary>
/// The stored form of facts with recorded asks (ADR 0079): the asks in binary before the other facts' JSON, 39 bytes
/// for the ask a send records instead of 92, read back exactly (values, instants, keys, order), JSON written before read
/// as it was, and damaged bytes reported, not misread.
/// </summary>
public sealed class AskEncodingTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_sends_ask_takes_39_bytes_instead_of_its_92_bytes_of_JSON_and_reads_back()
    {
        var key = IdempotencyKey.Create("campaign:spring", "s-0", "welcome", T0);
        var facts = CustomerFacts.Create([new("asked.recipes", new Fact(1L, T0, key))]);

        var stored = StoredFacts.ToBytes(facts);

        Assert.Equal(92, facts.ToJson().Length);
        Assert.Equal(39, stored.Length);
        Assert.Equal(StoredFacts.Tag, stored[0]);
        AssertSame(facts, StoredFacts.Read(stored));
        AssertSame(facts, StoredFacts.Read(stored, new Utf8StringCache()));
    }

    [Fact]
    public void Facts_without_an_ask_are_stored_as_the_JSON_they_were_and_JSON_written_before_reads_as_before()
    {
        var facts = CustomerFacts.Create([new("order_count", new Fact(2L, T0, "e-1")), new("asked.note", new Fact("text", T0, "e-2"))]);
        Assert.Equal(facts.ToJson(), StoredFacts.ToBytes(facts));

        var before = CustomerFacts.Create([new("order_count", new Fact(2L, T0, "e-1")), new("asked.recipes", new Fact(1L, T0, IdempotencyKey.Create("t", "c", "m", T0)))]);
        AssertSame(before, StoredFacts.Read(before.ToJson()));
        Assert.Same(CustomerFacts.Empty, StoredFacts.Read([]));
    }

    [Fact]
    public void Random_sets_of_asks_and_other_facts_read_back_exactly_in_their_order()
    {
        var random = new Random(1579);
        var cache = new Utf8StringCache();
        for (var round = 0; round < 2000; round++)
        {
            var facts = RandomFacts(random);
            var stored = StoredFacts.ToBytes(facts);

            AssertSame(facts, StoredFacts.Read(stored));
            AssertSame(facts, StoredFacts.Read(stored, cache));
            Assert.True(stored.Length <= Math.Max(facts.ToJson().Length, 2), "The stored form is never longer than the JSON.");
        }
    }

    [Fact]
    public void Damaged_bytes_are_reported_as_damaged_facts_never_misread()
    {
        var facts = CustomerFacts.Create([
            new("asked.recipes", new Fact(1L, T0, IdempotencyKey.Create("t", "c", "m", T0))),
            new("order_count", new Fact(2L, T0, "e-1")),
        ]);
        var stored = StoredFacts.ToBytes(facts);

        for (var length = 1; length < stored.Length; length++)
        {
            var cut = stored.AsSpan(0, length).ToArray();
            var error = Record.Exception(() => StoredFacts.Read(cut));
            Assert.True(error is InvalidDataException or System.Text.Json.JsonException, $"A blob cut to {length} bytes gave {error?.GetType().Name ?? "no error"}.");
        }

        var taken = (byte[])stored.Clone();
        taken[3] = 5; // the ask's position (after the tag and the two counts) beyond the set's two facts
        Assert.Contains("damaged", Assert.Throws<InvalidDataException>(() => StoredFacts.Read(taken)).Message, StringComparison.Ordinal);
    }

    private static CustomerFacts RandomFacts(Random random)
    {
        var pairs = new List<KeyValuePair<string, Fact>>();
        var count = random.Next(0, 24);
        for (var i = 0; i < count; i++)
        {
            var at = T0.AddSeconds(random.Next(-100_000_000, 100_000_000)).AddTicks(random.Next(3) == 0 ? random.Next(1, 10_000_000) : 0);
            var key = random.Next(4) switch
            {
                0 => IdempotencyKey.Create("t", "c-" + i.ToString(CultureInfo.InvariantCulture), "m", at, IdempotencyKeyFormat.Hashed),
                1 => "e-" + random.Next(1000).ToString(CultureInfo.InvariantCulture),
                2 => "pz2_" + new string('A', 32), // the prefix and length of a key, not its alphabet
                _ => IdempotencyKey.Create("t", "c-" + i.ToString(CultureInfo.InvariantCulture), "m", at),
            };
            var name = random.Next(3) == 0 ? "f" + i.ToString(CultureInfo.InvariantCulture) : "asked.q" + i.ToString(CultureInfo.InvariantCulture) + (random.Next(5) == 0 ? "é" : "");
            object? value = random.Next(6) switch
            {
                0 => "text",
                1 => -random.NextInt64(1, long.MaxValue),
                2 => random.NextInt64(16, long.MaxValue),
                3 => 12.5m,
                4 => null,
                _ => (long)random.Next(16),
            };
            pairs.Add(new(name, new Fact(value, at, key)));
        }

        return CustomerFacts.Create(pairs);
    }

    private static void AssertSame(CustomerFacts expected, CustomerFacts actual)
    {
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (name, fact) in expected)
        {
            var read = actual[name];
            Assert.Equal((fact.Value, fact.At.UtcTicks, fact.At.Offset, fact.EventId), (read.Value, read.At.UtcTicks, read.At.Offset, read.EventId));
        }
    }
}
