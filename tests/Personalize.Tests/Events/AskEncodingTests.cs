using System.Globalization;
using System.Text;
using Personalize.Delivery;
using Personalize.Events;

namespace Personalize.Tests.Events;

/// <summary>
/// The stored form of facts with recorded asks (ADR 0079, 0086): the asks in binary before the other facts' JSON, 35
/// bytes for the ask a send records instead of 92 (39 in migration 14's form, which still reads), read back exactly
/// (values, instants, keys, order), JSON written before read as it was, and damaged bytes reported, not misread.
/// </summary>
public sealed class AskEncodingTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_sends_ask_takes_35_bytes_instead_of_its_92_bytes_of_JSON_and_reads_back()
    {
        var key = IdempotencyKey.Create("campaign:spring", "s-0", "welcome", T0);
        var facts = CustomerFacts.Create([new("asked.recipes", new Fact(1L, T0, key))]);

        var stored = StoredFacts.ToBytes(facts);

        Assert.Equal(92, facts.ToJson().Length);
        Assert.Equal(35, stored.Length);
        Assert.Equal(StoredFacts.Tag, stored[0]);
        AssertSame(facts, StoredFacts.Read(stored));
        AssertSame(facts, StoredFacts.Read(stored, new Utf8StringCache()));
    }

    [Theory]
    [InlineData("pz2_", 35)] // the key's 7 characters of seconds are the ask's instant: 16 bytes of key
    [InlineData("pz3_", 35)] // a key of a run's page (ADR 0077 § 2): the same 7 characters first
    [InlineData("pz1_", 39)] // a hashed key holds no instant: its 32 characters in 20 bytes
    public void Each_key_format_is_packed_and_reads_back_with_its_prefix(string prefix, int bytes)
    {
        var key = prefix + (prefix == "pz1_" ? IdempotencyKey.Create("t", "c", "m", T0, IdempotencyKeyFormat.Hashed)[4..] : IdempotencyKey.Create("t", "c", "m", T0)[4..]);
        var facts = CustomerFacts.Create([new("asked.recipes", new Fact(3L, T0, key))]);

        var stored = StoredFacts.ToBytes(facts);

        Assert.Equal(bytes, stored.Length);
        AssertSame(facts, StoredFacts.Read(stored));
    }

    [Fact]
    public void A_key_whose_seconds_are_not_the_asks_instant_keeps_all_its_characters()
    {
        // An ask recorded at another instant than its key's (a hand-made history; a key of a later second than 2^35 - 1).
        var key = IdempotencyKey.Create("t", "c", "m", T0);
        var facts = CustomerFacts.Create([
            new("asked.recipes", new Fact(1L, T0.AddSeconds(1), key)),
            new("asked.travel", new Fact(2L, T0.AddTicks(1), key)),
            new("asked.far", new Fact(1L, new DateTimeOffset(3100, 1, 1, 0, 0, 0, TimeSpan.Zero), IdempotencyKey.Create("t", "c", "m", new DateTimeOffset(3100, 1, 1, 0, 0, 0, TimeSpan.Zero)))),
        ]);

        var stored = StoredFacts.ToBytes(facts);

        Assert.Equal(3 + (8 + 1 + 1 + 1 + 5 + 20) + (7 + 1 + 1 + 1 + 8 + 20) + (4 + 1 + 1 + 1 + 6 + 20), stored.Length);
        AssertSame(facts, StoredFacts.Read(stored));
    }

    [Fact]
    public void Asks_in_migration_14s_form_read_as_they_were_written()
    {
        // The bytes migration 14's release wrote (flags 1 | 2 | 4, the key's 32 characters in 20 bytes), built here by hand.
        var key = IdempotencyKey.Create("campaign:spring", "s-0", "welcome", T0);
        var seconds = (ulong)T0.ToUnixTimeSeconds();
        var old = new List<byte> { StoredFacts.Tag, 1, 1, 1, 7 };
        old.AddRange("recipes"u8.ToArray());
        old.Add(2);
        old.Add(1 | 2 | 4);
        while (seconds >= 0x80)
        {
            old.Add((byte)(seconds | 0x80));
            seconds >>= 7;
        }

        old.Add((byte)seconds);
        old.AddRange(PackedByHand(key[4..]));
        old.AddRange("{\"order_count\":{\"v\":2,\"at\":0,\"e\":\"e-1\"}}"u8.ToArray());

        var read = StoredFacts.Read(old.ToArray());

        Assert.Equal(["order_count", "asked.recipes"], read.Keys);
        Assert.Equal((2m, T0, key), (read["asked.recipes"].Number, read["asked.recipes"].At, read["asked.recipes"].EventId));
        Assert.Equal(old.Count - 4, StoredFacts.ToBytes(read).Length);
    }

    [Theory]
    [InlineData(32)] // a flag no version writes
    [InlineData(2 | 4 | 8)] // a key prefix pz4_
    [InlineData(4)] // a prefix for a key that is not packed
    [InlineData(1 | 2 | 16)] // the instant left out of a pz1_ key
    [InlineData(2 | 4 | 16)] // the instant left out of a key while the ask's instant is in ticks
    public void Flags_no_version_writes_are_reported_as_damaged(byte flags)
    {
        var facts = CustomerFacts.Create([new("asked.q", new Fact(1L, T0, IdempotencyKey.Create("t", "c", "m", T0)))]);
        var stored = StoredFacts.ToBytes(facts);
        Assert.Equal(1 | 2 | 4 | 16, stored[7]); // tag, counts, position, id length, "q", count, flags

        stored[7] = flags;

        Assert.Contains("damaged", Assert.Throws<InvalidDataException>(() => StoredFacts.Read(stored)).Message, StringComparison.Ordinal);
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
            var key = random.Next(5) switch
            {
                0 => IdempotencyKey.Create("t", "c-" + i.ToString(CultureInfo.InvariantCulture), "m", at, IdempotencyKeyFormat.Hashed),
                1 => "e-" + random.Next(1000).ToString(CultureInfo.InvariantCulture),
                2 => "pz2_" + new string('A', 32), // the prefix and length of a key, not its alphabet
                3 => "pz3_" + IdempotencyKey.Create("t", "c-" + i.ToString(CultureInfo.InvariantCulture), "m", random.Next(2) == 0 ? at : at.AddSeconds(1))[4..],
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

    /// <summary>32 base32 characters in 20 bytes as migration 14 packed them: each 8 characters' 40 bits in 5 bytes, first character highest.</summary>
    private static byte[] PackedByHand(string chars)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        var packed = new byte[20];
        for (var g = 0; g < 4; g++)
        {
            ulong bits = 0;
            for (var c = 0; c < 8; c++)
            {
                bits = (bits << 5) | (uint)alphabet.IndexOf(chars[(g * 8) + c], StringComparison.Ordinal);
            }

            for (var b = 4; b >= 0; b--)
            {
                packed[(g * 5) + b] = (byte)bits;
                bits >>= 8;
            }
        }

        return packed;
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
