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
        Assert.StartsWith(IdempotencyKey.Prefix, key, StringComparison.Ordinal);
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

        Assert.Equal(expected, IdempotencyKey.Create("campaign:spring", "kunde-ü", "spring-sale", At));
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

        Assert.Equal(expected, IdempotencyKey.Create("t", "c", "m", at));
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
        // Changing the encoding would make resumed runs resend everything: bump the prefix instead.
        Assert.Equal("pz1_oxndb6uq6n23t6ranmkvuccvaquk6mam", IdempotencyKey.Create("campaign:spring", "c-42", "spring-sale", At));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("pz1_short")]
    [InlineData("pz2_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("pz1_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("pz1_../../etc/passwdaaaaaaaaaaaaaaaa")]
    public void Malformed_keys_are_recognised(string? key) => Assert.False(IdempotencyKey.IsWellFormed(key));

    [Fact]
    public void Composed_messages_carry_the_key_of_their_send()
    {
        var message = DeliveryFixture.Composer().Sms(DeliveryFixture.Request(ContactPurpose.Service), "Shipped.");

        Assert.Equal(IdempotencyKey.Create("campaign:spring-2026", "c-42", "spring-sale", DeliveryFixture.SendAt), message.IdempotencyKey);
    }
}
