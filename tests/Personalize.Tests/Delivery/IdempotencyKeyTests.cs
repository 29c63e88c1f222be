using System.Security.Cryptography;
using System.Text;
using Personalize.Delivery;

namespace Personalize.Tests.Delivery;

public sealed class IdempotencyKeyTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 15, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Same_send_gives_the_same_key_and_the_same_instant_in_another_offset_too()
    {
        var key = IdempotencyKey.Create("campaign:spring", "c-42", "spring-sale", At);

        Assert.Equal(key, IdempotencyKey.Create("campaign:spring", "c-42", "spring-sale", At));
        Assert.Equal(key, IdempotencyKey.Create("campaign:spring", "c-42", "spring-sale", At.ToOffset(TimeSpan.FromHours(13))));
        Assert.True(IdempotencyKey.IsWellFormed(key));
        Assert.Equal(IdempotencyKey.Length, key.Length);
        Assert.StartsWith(IdempotencyKey.TimeOrderedPrefix, key, StringComparison.Ordinal);
        Assert.Equal(IdempotencyKeyFormat.TimeOrdered, IdempotencyKey.FormatOf(key));
    }

    [Fact]
    public void Every_field_changes_the_key_and_field_boundaries_cannot_be_shifted()
    {
        var keys = new[]
        {
            IdempotencyKey.Create("t", "c-42", "m", At),
            IdempotencyKey.Create("t2", "c-42", "m", At),
            IdempotencyKey.Create("t", "c-43", "m", At),
            IdempotencyKey.Create("t", "c-42", "m2", At),
            IdempotencyKey.Create("t", "c-42", "m", At.AddTicks(1)),
            IdempotencyKey.Create("tc", "-42", "m", At),
            IdempotencyKey.Create("t", "c-42m", string.Empty + "x", At),
        };

        Assert.Equal(keys.Length, keys.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void The_key_follows_the_documented_canonical_encoding()
    {
        // Recomputed here from the remarks of IdempotencyKey, so the documented encoding and the code agree.
        var bytes = new List<byte>(Encoding.UTF8.GetBytes("personalize.idempotency.v1"));
        foreach (var field in new[] { "campaign:spring", "kunde-ü", "spring-sale" })
        {
            var utf8 = Encoding.UTF8.GetBytes(field);
            bytes.AddRange([(byte)(utf8.Length >> 24), (byte)(utf8.Length >> 16), (byte)(utf8.Length >> 8), (byte)utf8.Length]);
            bytes.AddRange(utf8);
        }

        bytes.AddRange(Encoding.UTF8.GetBytes("2026-03-15T09:30:00.0000000Z"));
        var hash = SHA256.HashData([.. bytes]);
        var bits = string.Concat(hash.Take(20).Select(b => Convert.ToString(b, 2).PadLeft(8, '0')));
        var expected = "pz1_" + string.Concat(Enumerable.Range(0, 32).Select(i => "abcdefghijklmnopqrstuvwxyz234567"[Convert.ToInt32(bits.Substring(i * 5, 5), 2)]));

        Assert.Equal(expected, IdempotencyKey.Create("campaign:spring", "kunde-ü", "spring-sale", At, IdempotencyKeyFormat.Hashed));
    }

    [Theory]
    [InlineData("0001-01-01T00:00:00+00:00")]
    [InlineData("9999-12-31T23:59:59.9999999+00:00")]
    [InlineData("2026-03-15T09:30:00.1234567+00:00")]
    [InlineData("2026-03-15T23:05:09.0000001+13:45")]
    [InlineData("0987-07-04T01:02:03.0450000-08:00")]
    public void The_instant_is_encoded_as_the_invariant_utc_round_trip_text_at_every_range_edge(string instant)
    {
        var at = DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture);
        var text = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var bytes = new List<byte>(Encoding.UTF8.GetBytes("personalize.idempotency.v1"));
        foreach (var field in new[] { "t", "c", "m" })
        {
            bytes.AddRange([0, 0, 0, 1, (byte)field[0]]);
        }

        bytes.AddRange(Encoding.UTF8.GetBytes(text));
        var hash = SHA256.HashData([.. bytes]);
        var bits = string.Concat(hash.Take(20).Select(b => Convert.ToString(b, 2).PadLeft(8, '0')));
        var expected = "pz1_" + string.Concat(Enumerable.Range(0, 32).Select(i => "abcdefghijklmnopqrstuvwxyz234567"[Convert.ToInt32(bits.Substring(i * 5, 5), 2)]));

        Assert.Equal(expected, IdempotencyKey.Create("t", "c", "m", at, IdempotencyKeyFormat.Hashed));
    }

    [Fact]
    public void Keys_created_on_many_threads_at_once_equal_the_ones_created_on_one()
    {
        var ids = Enumerable.Range(0, 2000).Select(i => "c-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var sequential = ids.Select(id => IdempotencyKey.Create("campaign:spring", id, "spring-sale", At)).ToArray();
        var parallel = new string[ids.Length];

        Parallel.For(0, ids.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => parallel[i] = IdempotencyKey.Create("campaign:spring", ids[i], "spring-sale", At));

        Assert.Equal(sequential, parallel);
        Assert.Equal(ids.Length, sequential.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void The_key_is_pinned_across_versions()
    {
        // Changing an encoding would make resumed runs resend everything: add a format (a new prefix) instead.
        Assert.Equal("pz1_oxndb6uq6n23t6ranmkvuccvaquk6mam", IdempotencyKey.Create("campaign:spring", "c-42", "spring-sale", At, IdempotencyKeyFormat.Hashed));
        Assert.Equal(PinnedTimeOrdered, IdempotencyKey.Create("campaign:spring", "c-42", "spring-sale", At, IdempotencyKeyFormat.TimeOrdered));
        Assert.Equal(PinnedTimeOrdered, IdempotencyKey.Create("campaign:spring", "c-42", "spring-sale", At));
    }

    private const string PinnedTimeOrdered = "pz2_3ovgz2syrm4poja4gjczs2iqcirlb2kv";

    [Fact]
    public void The_time_ordered_key_follows_the_documented_encoding()
    {
        // Recomputed from the remarks: 7 characters of the whole seconds since 1970 and the first 125 bits of the hash of
        // the v2 domain's encoding, in an alphabet in ordinal order.
        const string sortable = "234567abcdefghijklmnopqrstuvwxyz";
        var at = new DateTimeOffset(2026, 3, 15, 9, 30, 0, 999, TimeSpan.Zero).AddTicks(1234);
        var bytes = new List<byte>(Encoding.UTF8.GetBytes("personalize.idempotency.v2"));
        foreach (var field in new[] { "campaign:spring", "kunde-ü", "spring-sale" })
        {
            var utf8 = Encoding.UTF8.GetBytes(field);
            bytes.AddRange([(byte)(utf8.Length >> 24), (byte)(utf8.Length >> 16), (byte)(utf8.Length >> 8), (byte)utf8.Length]);
            bytes.AddRange(utf8);
        }

        bytes.AddRange(Encoding.UTF8.GetBytes(at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture)));
        var hash = SHA256.HashData([.. bytes]);
        var bits = string.Concat(hash.Take(16).Select(b => Convert.ToString(b, 2).PadLeft(8, '0')));
        var seconds = Convert.ToString(at.ToUnixTimeSeconds(), 2).PadLeft(35, '0');
        var expected = "pz2_"
            + string.Concat(Enumerable.Range(0, 7).Select(i => sortable[Convert.ToInt32(seconds.Substring(i * 5, 5), 2)]))
            + string.Concat(Enumerable.Range(0, 25).Select(i => sortable[Convert.ToInt32(bits.Substring(i * 5, 5), 2)]));

        Assert.Equal(expected, IdempotencyKey.Create("campaign:spring", "kunde-ü", "spring-sale", at, IdempotencyKeyFormat.TimeOrdered));
    }

    [Fact]
    public void Time_ordered_keys_sort_by_their_send_instant_whatever_the_rest()
    {
        var instants = new[]
        {
            new DateTimeOffset(1970, 1, 1, 0, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(2026, 3, 15, 9, 30, 0, TimeSpan.Zero),
            new DateTimeOffset(2026, 3, 15, 9, 30, 1, TimeSpan.Zero),
            new DateTimeOffset(2026, 3, 15, 9, 31, 0, TimeSpan.Zero),
            new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(3000, 1, 1, 0, 0, 0, TimeSpan.Zero),
        };
        var keys = instants.SelectMany((at, i) => Enumerable.Range(0, 50).Select(c => (Order: i, Key: IdempotencyKey.Create("campaign:" + c, "c-" + (c * 7919), "m" + (c % 3), at)))).ToArray();

        var sorted = keys.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => k.Order).ToArray();

        Assert.Equal(keys.Select(k => k.Order).Order().ToArray(), sorted);
        Assert.All(keys, k => Assert.True(IdempotencyKey.IsWellFormed(k.Key)));
        Assert.Equal(keys.Length, keys.Select(k => k.Key).Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData("0001-01-01T00:00:00+00:00", "pz2_2222222")]
    [InlineData("1969-12-31T23:59:59+00:00", "pz2_2222222")]
    [InlineData("9999-12-31T23:59:59.9999999+00:00", "pz2_zzzzzzz")]
    public void Instants_outside_the_seconds_range_share_its_first_or_last_second_and_stay_distinct(string instant, string start)
    {
        var at = DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture);

        var key = IdempotencyKey.Create("t", "c", "m", at);

        Assert.StartsWith(start, key, StringComparison.Ordinal);
        Assert.True(IdempotencyKey.IsWellFormed(key));
        Assert.NotEqual(key, IdempotencyKey.Create("t", "c", "m", at.AddTicks(at.Year == 1 ? 1 : -1)));
    }

    [Fact]
    public void A_key_is_recognised_as_the_key_of_its_send_in_its_own_format()
    {
        var v1 = IdempotencyKey.Create("campaign:spring", "c-42", "spring-sale", At, IdempotencyKeyFormat.Hashed);
        var v2 = IdempotencyKey.Create("campaign:spring", "c-42", "spring-sale", At, IdempotencyKeyFormat.TimeOrdered);

        Assert.NotEqual(v1, v2);
        Assert.Equal(IdempotencyKeyFormat.Hashed, IdempotencyKey.FormatOf(v1));
        Assert.Equal(IdempotencyKeyFormat.TimeOrdered, IdempotencyKey.FormatOf(v2));
        Assert.True(IdempotencyKey.IsKeyOf(v1, "campaign:spring", "c-42", "spring-sale", At));
        Assert.True(IdempotencyKey.IsKeyOf(v2, "campaign:spring", "c-42", "spring-sale", At.ToOffset(TimeSpan.FromHours(-5))));
        Assert.False(IdempotencyKey.IsKeyOf(v2, "campaign:spring", "c-43", "spring-sale", At));
        Assert.False(IdempotencyKey.IsKeyOf("pz4_" + v2[4..], "campaign:spring", "c-42", "spring-sale", At));
        Assert.Null(IdempotencyKey.FormatOf("pz4_" + v2[4..]));
    }

    [Fact]
    public void A_page_tagged_key_is_the_instant_the_page_tag_and_the_send_hash_and_sorts_by_instant_then_page()
    {
        var v2 = IdempotencyKey.Create("campaign:spring", "c-42", "spring-sale", At, IdempotencyKeyFormat.TimeOrdered);
        var v3 = IdempotencyKey.Create("campaign:spring", "c-42", "spring-sale", At, IdempotencyKeyFormat.PageTagged, "b7m2d");

        Assert.Equal(IdempotencyKey.Length, v3.Length);
        Assert.Equal("pz3_" + v2[4..11] + "b7m2d" + v2[11..31], v3);
        Assert.Equal(IdempotencyKeyFormat.PageTagged, IdempotencyKey.FormatOf(v3));
        Assert.Equal("b7m2d", IdempotencyKey.TagOf(v3));
        Assert.Null(IdempotencyKey.TagOf(v2));
        Assert.True(IdempotencyKey.IsWellFormed(v3));
        Assert.True(IdempotencyKey.IsKeyOf(v3, "campaign:spring", "c-42", "spring-sale", At));
        Assert.False(IdempotencyKey.IsKeyOf(v3, "campaign:spring", "c-43", "spring-sale", At));

        // A page's keys sit together: by instant, then by page tag, whatever the customers.
        var early = IdempotencyKey.Create("t", "c-9", "m", At, IdempotencyKeyFormat.PageTagged, "zzzzz");
        var pageA = IdempotencyKey.Create("t", "c-1", "m", At.AddSeconds(1), IdempotencyKeyFormat.PageTagged, "aaaaa");
        var pageA2 = IdempotencyKey.Create("t", "c-2", "m", At.AddSeconds(1), IdempotencyKeyFormat.PageTagged, "aaaaa");
        var pageB = IdempotencyKey.Create("t", "c-0", "m", At.AddSeconds(1), IdempotencyKeyFormat.PageTagged, "aaaab");
        Assert.True(string.CompareOrdinal(early, pageA) < 0);
        Assert.True(string.CompareOrdinal(pageA, pageB) < 0 && string.CompareOrdinal(pageA2, pageB) < 0);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("abcd")]
    [InlineData("abcdef")]
    [InlineData("ABCDE")]
    [InlineData("abc1e")]
    public void A_page_tagged_key_needs_its_page_tag(string? tag)
    {
        var error = Assert.Throws<ArgumentException>(() => IdempotencyKey.Create("t", "c", "m", At, IdempotencyKeyFormat.PageTagged, tag));

        Assert.Contains("IdempotencyKey.CreateTag", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Drawn_tags_are_tags_and_differ()
    {
        var tags = Enumerable.Range(0, 64).Select(_ => IdempotencyKey.CreateTag()).ToList();

        Assert.All(tags, t => Assert.True(IdempotencyKey.IsTag(t)));
        Assert.True(tags.Distinct(StringComparer.Ordinal).Count() > 60);
    }

    [Fact]
    public void An_unknown_format_is_refused_with_the_formats_there_are()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => IdempotencyKey.Create("t", "c", "m", At, (IdempotencyKeyFormat)4));

        Assert.Contains("Hashed, pz1_", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("pz1_short")]
    [InlineData("pz4_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("pz3_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("pz2_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1")]
    [InlineData("pz2_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("pz1_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("pz1_../../etc/passwdaaaaaaaaaaaaaaaa")]
    public void Malformed_keys_are_recognised(string? key) => Assert.False(IdempotencyKey.IsWellFormed(key));

    [Fact]
    public void Composed_messages_carry_the_key_of_their_send()
    {
        var message = DeliveryFixture.Composer().Sms(DeliveryFixture.Request(ContactPurpose.Service), "Shipped.");

        Assert.Equal(IdempotencyKey.Create("campaign:spring-2026", "c-42", "spring-sale", DeliveryFixture.SendAt), message.IdempotencyKey);
        Assert.StartsWith(IdempotencyKey.TimeOrderedPrefix, message.IdempotencyKey, StringComparison.Ordinal);
    }

    [Fact]
    public void A_request_in_the_hashed_format_gives_the_key_of_earlier_versions()
    {
        var message = DeliveryFixture.Composer().Sms(DeliveryFixture.Request(ContactPurpose.Service) with { KeyFormat = IdempotencyKeyFormat.Hashed }, "Shipped.");

        Assert.Equal(IdempotencyKey.Create("campaign:spring-2026", "c-42", "spring-sale", DeliveryFixture.SendAt, IdempotencyKeyFormat.Hashed), message.IdempotencyKey);
        Assert.StartsWith(IdempotencyKey.Prefix, message.IdempotencyKey, StringComparison.Ordinal);
    }
}
