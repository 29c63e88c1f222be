using System.Globalization;
using System.Text;
using Personalize.Events;

namespace Personalize.Tests.Events;

/// <summary>
/// Facts as the stores keep them (<c>{"name":{"v":…,"at":…,"e":"…"}}</c>): what is written reads back exactly, and the
/// byte-by-byte reader of the written shape and the general JSON reader read every input alike (the same facts, or the
/// same error).
/// </summary>
public sealed class StoredFactsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Random_fact_sets_read_back_exactly_with_and_without_the_string_cache()
    {
        var random = new Random(2209);
        var cache = new Utf8StringCache();
        for (var round = 0; round < 2000; round++)
        {
            var facts = RandomFacts(random);
            var json = facts.ToJson();

            AssertSame(facts, CustomerFacts.FromJson(json));
            AssertSame(facts, CustomerFacts.FromJson(json, cache));
            AssertSame(facts, CustomerFacts.ReadGeneral(json, null));
        }
    }

    [Fact]
    public void A_fact_set_on_a_listed_or_table_set_gives_the_facts_order_and_stored_bytes_of_a_copied_table()
    {
        // CustomerFacts.With (a send recording its question's ask) against the table copy and indexer set it replaces.
        for (var size = 0; size <= CustomerFacts.MaxListed + 1; size++)
        {
            var pairs = Enumerable.Range(0, size).Select(i => new KeyValuePair<string, Fact>("f" + i.ToString(CultureInfo.InvariantCulture), new Fact((long)i, T0.AddMinutes(i), "e-" + i.ToString(CultureInfo.InvariantCulture)))).ToArray();
            foreach (var current in new[] { CustomerFacts.Create(pairs), CustomerFacts.Read(pairs) })
            {
                foreach (var name in new[] { "asked.recipes", "f0", "f" + (size / 2).ToString(CultureInfo.InvariantCulture), "f" + (size - 1).ToString(CultureInfo.InvariantCulture) })
                {
                    var fact = new Fact(7L, T0.AddDays(1), "msg-key");
                    var expected = current.Copy();
                    expected[name] = fact;
                    var with = current.With(name, fact);

                    Assert.Equal(expected.ToArray(), with.ToArray());
                    Assert.Equal(CustomerFacts.Create(expected).ToJson(), with.ToJson());
                    Assert.Same(fact, with[name]);
                    Assert.Equal(size, current.Count);
                }
            }
        }
    }

    [Fact]
    public void Facts_of_plain_ascii_text_are_read_by_the_written_shape_reader_and_escaped_text_by_the_json_reader()
    {
        var plain = CustomerFacts.Create(
        [
            new("order_count", new Fact(3L, T0, "o-3")),
            new("total_value", new Fact(30.50m, T0, "o-3")),
            new("last_purchase_at", new Fact(T0, T0, "o-3")),
            new("tier", new Fact("best friends", T0, "tick:2026-03-01T09:00:00Z")),
            new("detractor", new Fact(false, T0, "n-1")),
            new("answer.size", new Fact(null, T0, "q-1")),
        ]);
        var escaped = CustomerFacts.Create([new("city", new Fact("Zoë's \"place\"", T0, "a-1"))]);

        Assert.NotNull(WrittenFacts.TryRead(plain.ToJson(), null));
        Assert.Null(WrittenFacts.TryRead(escaped.ToJson(), null));
        AssertSame(escaped, CustomerFacts.FromJson(escaped.ToJson()));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(7L)]
    [InlineData(-1L)]
    [InlineData(12345678L)]
    [InlineData(99999999L)]
    [InlineData(100000000L)]
    [InlineData(-908070605040302010L)]
    [InlineData(123456789012345678L)]
    [InlineData(999999999999999999L)]
    [InlineData(1000000000000000000L)]
    [InlineData(long.MaxValue)]
    [InlineData(long.MinValue)]
    public void Whole_numbers_of_every_length_read_back_exactly(long number)
    {
        var facts = CustomerFacts.Create([new("n", new Fact(number, new DateTimeOffset(Math.Abs(number % DateTimeOffset.MaxValue.UtcTicks), TimeSpan.Zero), "e-1"))]);

        var read = CustomerFacts.FromJson(facts.ToJson(), new Utf8StringCache());

        Assert.Equal(number, read["n"].Value);
        Assert.Equal(facts["n"].At, read["n"].At);
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"a":{"v":1,"at":0,"e":"x"}}""")]
    [InlineData("""{ "a":{"v":1,"at":0,"e":"x"}}""")]
    [InlineData("""{"a":{"at":0,"v":1,"e":"x"}}""")]
    [InlineData("""{"a":{"v":1,"at":0,"e":"x","extra":[1,2]}}""")]
    [InlineData("""{"a":{"v":1,"at":0,"e":"x"},"a":{"v":2,"at":5,"e":"y"}}""")]
    [InlineData("""{"a":{"v":12345678901234567,"at":0,"e":"x"}}""")]
    [InlineData("""{"a":{"v":1234567890123456789,"at":0,"e":"x"}}""")]
    [InlineData("""{"a":{"v":-9223372036854775808,"at":0,"e":"x"}}""")]
    [InlineData("""{"a":{"v":-0,"at":0,"e":"x"}}""")]
    [InlineData("""{"a":{"v":{"d":"-12.50"},"at":0,"e":"x"}}""")]
    [InlineData("""{"a":{"v":{"d":"1e3"},"at":0,"e":"x"}}""")]
    [InlineData("""{"a":{"v":"caf\u00e9","at":0,"e":"x"}}""")]
    [InlineData("{\"a\":{\"v\":\"tab\tin text\",\"at\":0,\"e\":\"x\"}}")]
    [InlineData("""{"a":{"v":true,"at":3155378975999999999,"e":"x"}}""")]
    [InlineData("""{"a":{"v":1,"at":3155378976000000000,"e":"x"}}""")]
    [InlineData("""{"a":{"v":1,"at":-1,"e":"x"}}""")]
    [InlineData("""{"a":{"v":1.5,"at":0,"e":"x"}}""")]
    [InlineData("""{"a":{"v":01,"at":0,"e":"x"}}""")]
    [InlineData("""{"a":{"v":1234567a,"at":0,"e":"x"}}""")]
    [InlineData("""{"a":{"v":12345678:,"at":0,"e":"x"}}""")]
    [InlineData("""{"a":{"v":1,"at":6391/0925920000000,"e":"x"}}""")]
    [InlineData("""{"a":{"v":1,"at":0}}""")]
    [InlineData("""{"a":{"v":1,"at":0,"e":"x"}""")]
    [InlineData("""{"a":{"v":1,"at":0,"e":"x"}} """)]
    [InlineData("""{"a":{"v":1,"at":0,"e":"x"}}}""")]
    [InlineData("""{"a":{"v":1,"at":0,"e":"x"},}""")]
    [InlineData("""{"a":{"v":tru,"at":0,"e":"x"}}""")]
    [InlineData("""{"a":{"v":"unterminated,"at":0,"e":"x"}}""")]
    [InlineData("""[1]""")]
    public void Any_input_reads_as_the_json_reader_reads_it(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);

        var general = Read(() => CustomerFacts.ReadGeneral(bytes, null));
        var fast = Read(() => CustomerFacts.FromJson(bytes, new Utf8StringCache()));

        Assert.Equal(general.Error, fast.Error);
        if (general.Facts is { } expected)
        {
            AssertSame(expected, fast.Facts!);
        }
    }

    [Fact]
    public void Input_cut_short_anywhere_reads_as_the_json_reader_reads_it()
    {
        var json = CustomerFacts.Create(
        [
            new("order_count", new Fact(12L, T0, "o-12")),
            new("total_value", new Fact(-0.5m, T0, "o-12")),
            new("vip", new Fact(true, T0, "v-1")),
            new("last_login_at", new Fact(T0, T0.AddDays(1), "l-1")),
        ]).ToJson();
        for (var length = 0; length < json.Length; length++)
        {
            var cut = json[..length];
            var general = Read(() => length == 0 ? CustomerFacts.Empty : CustomerFacts.ReadGeneral(cut, null));
            var fast = Read(() => CustomerFacts.FromJson(cut));

            Assert.Equal(general.Error, fast.Error);
            Assert.Equal(general.Facts?.Count, fast.Facts?.Count);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(CustomerFacts.MaxListed)]
    [InlineData(CustomerFacts.MaxListed + 1)]
    [InlineData(WrittenFacts.MaxFacts)]
    [InlineData(WrittenFacts.MaxFacts + 1)]
    public void A_set_read_from_a_store_answers_every_lookup_as_the_set_that_was_written(int count)
    {
        var written = CustomerFacts.Create(Enumerable.Range(0, count).Select(i => new KeyValuePair<string, Fact>("fact_" + i.ToString(CultureInfo.InvariantCulture), new Fact((long)i, T0.AddDays(i), "e-" + i.ToString(CultureInfo.InvariantCulture)))));

        var read = CustomerFacts.FromJson(written.ToJson(), new Utf8StringCache());

        Assert.Equal(count, read.Count);
        Assert.Equal(written.Keys, read.Keys);
        Assert.Equal(written.Values.Select(static f => f.EventId), read.Values.Select(static f => f.EventId));
        Assert.Equal(written.Select(static f => f.Key), read.Select(static f => f.Key));
        for (var i = 0; i < count; i++)
        {
            var name = "fact_" + i.ToString(CultureInfo.InvariantCulture);
            Assert.True(read.ContainsKey(name));
            Assert.Equal((long)i, read[name].Value);
            Assert.Equal(i, read.NumberOf(name));
            Assert.Equal(T0.AddDays(i), read[name].At);
        }

        Assert.False(read.ContainsKey("fact_"));
        Assert.False(read.TryGetValue("fact_" + count.ToString(CultureInfo.InvariantCulture), out _));
        Assert.Null(read.ValueOf("missing"));
        Assert.Throws<KeyNotFoundException>(() => read["missing"]);
        Assert.Throws<ArgumentNullException>(() => read.TryGetValue(null!, out _));
        Assert.Equal(written.ToJson(), read.ToJson());
        Assert.Equal(read.ToJson(), CustomerFacts.Wrap(read.Copy()).ToJson());
    }

    [Fact]
    public void A_name_stored_twice_reads_as_its_last_fact_as_the_json_reader_reads_it()
    {
        var json = """{"a":{"v":1,"at":0,"e":"x"},"b":{"v":2,"at":0,"e":"y"},"a":{"v":3,"at":5,"e":"z"}}"""u8.ToArray();

        var read = CustomerFacts.FromJson(json, new Utf8StringCache());

        Assert.Equal(["a", "b"], read.Keys);
        Assert.Equal((3L, "z"), (read["a"].Value, read["a"].EventId));
    }

    private static (CustomerFacts? Facts, Type? Error) Read(Func<CustomerFacts> read)
    {
        try
        {
            return (read(), null);
        }
        catch (Exception e)
        {
            return (null, e.GetType());
        }
    }

    private static void AssertSame(CustomerFacts expected, CustomerFacts actual)
    {
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (name, fact) in expected)
        {
            var read = actual[name];
            Assert.Equal(fact.At, read.At);
            Assert.Equal(fact.EventId, read.EventId);
            Assert.Equal(fact.Value?.GetType(), read.Value?.GetType());
            Assert.Equal(
                Convert.ToString(fact.Value, CultureInfo.InvariantCulture),
                Convert.ToString(read.Value, CultureInfo.InvariantCulture));
        }
    }

    private static CustomerFacts RandomFacts(Random random)
    {
        var count = random.Next(0, random.Next(4) == 0 ? 80 : 18);
        var facts = new List<KeyValuePair<string, Fact>>(count);
        for (var i = 0; i < count; i++)
        {
            object? value = random.Next(9) switch
            {
                0 => null,
                1 => random.Next(2) == 0,
                2 => random.NextInt64(long.MinValue, long.MaxValue),
                3 => (long)random.Next(-1000, 1000),
                4 => new decimal(random.Next(), random.Next(), random.Next(), random.Next(2) == 0, (byte)random.Next(29)),
                5 => Fact.Format(new DateTimeOffset(random.NextInt64(0, DateTimeOffset.MaxValue.UtcTicks), TimeSpan.Zero)),
                6 => Text(random, escaped: true),
                _ => Text(random, escaped: false),
            };
            var at = new DateTimeOffset(random.Next(4) == 0 ? random.Next(3) switch { 0 => 0, 1 => DateTimeOffset.MaxValue.UtcTicks, _ => 1 } : random.NextInt64(0, DateTimeOffset.MaxValue.UtcTicks), TimeSpan.Zero);
            facts.Add(new(Text(random, escaped: random.Next(10) == 0) + i.ToString(CultureInfo.InvariantCulture), new Fact(value, at, Text(random, escaped: random.Next(10) == 0))));
        }

        return CustomerFacts.Create(facts);
    }

    private static string Text(Random random, bool escaped)
    {
        const string plain = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.:/?=#~!$%()*,;@[]^`{|}";
        const string other = "\"\\<>&'+\u00e9\u6771\t\n\u007f\u0001";
        var length = random.Next(escaped ? 1 : 0, random.Next(3) == 0 ? 120 : 24);
        var builder = new StringBuilder(length);
        for (var c = 0; c < length; c++)
        {
            builder.Append(escaped && random.Next(4) == 0 ? other[random.Next(other.Length)] : plain[random.Next(plain.Length)]);
        }

        return builder.ToString();
    }
}
