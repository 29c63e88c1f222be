using Personalize.Channels;
using Personalize.Delivery.Security;

namespace Personalize.Tests.Delivery;

public sealed class SignedTokenTests
{
    private static readonly DateTimeOffset Now = DeliveryFixture.SendAt;

    private static (SignedTokenService Service, ManualTimeProvider Clock) Create(string? key = null)
    {
        var clock = new ManualTimeProvider(Now);
        var options = DeliveryFixture.Options(o =>
        {
            o.TokenSigningKey = key ?? DeliveryFixture.Key;
            o.TokenLifetime = TimeSpan.FromDays(30);
        });
        return (new SignedTokenService(options, clock), clock);
    }

    [Fact]
    public void A_token_verifies_and_carries_customer_scope_and_expiry()
    {
        var (service, _) = Create();
        var token = service.Create("c-42", TokenScopes.Preferences);

        var result = service.Verify(token, TokenScopes.Preferences);

        Assert.Equal(TokenStatus.Valid, result.Status);
        Assert.True(result.IsValid);
        Assert.Equal("c-42", result.CustomerId);
        Assert.Equal("preferences", result.Scope);
        Assert.Equal(Now.AddDays(30), result.ExpiresAt);
        Assert.Matches("^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$", token);
    }

    [Fact]
    public void Repeated_requests_for_one_payload_give_one_token_but_another_key_or_payload_signs_anew()
    {
        var (service, _) = Create();
        var (other, _) = Create("another-signing-key-0123456789abcdef");

        var first = service.Create("c-42", TokenScopes.Preferences);
        var again = service.Create("c-42", TokenScopes.Preferences);
        var otherKey = other.Create("c-42", TokenScopes.Preferences);
        var otherCustomer = service.Create("c-43", TokenScopes.Preferences);
        var later = service.Create("c-42", TokenScopes.Preferences, Now.AddSeconds(1));

        Assert.Equal(first, again);
        Assert.NotEqual(first, otherKey);
        Assert.Equal(TokenStatus.Valid, other.Verify(otherKey, TokenScopes.Preferences).Status);
        Assert.Equal(TokenStatus.InvalidSignature, service.Verify(otherKey, TokenScopes.Preferences).Status);
        Assert.Equal("c-43", service.Verify(otherCustomer, TokenScopes.Preferences).CustomerId);
        Assert.Equal(Now.AddSeconds(1).AddDays(30), service.Verify(later, TokenScopes.Preferences).ExpiresAt);
    }

    [Fact]
    public void Rotating_the_key_keeps_old_tokens_valid_until_the_old_key_is_dropped()
    {
        const string OldKey = "the-old-signing-key-0123456789abcdef";
        const string NewKey = "the-new-signing-key-0123456789abcdef";
        var clock = new ManualTimeProvider(Now);
        SignedTokenService Service(string key, params string[] previous)
        {
            var options = DeliveryFixture.Options(o => o.TokenSigningKey = key);
            foreach (var p in previous)
            {
                options.PreviousTokenSigningKeys.Add(p);
            }

            return new SignedTokenService(options, clock);
        }

        var oldToken = Service(OldKey).Create("c-42", TokenScopes.Preferences);
        var rotated = Service(NewKey, OldKey);
        var newToken = rotated.Create("c-42", TokenScopes.Preferences);
        var dropped = Service(NewKey);

        Assert.Equal(TokenStatus.Valid, rotated.Verify(oldToken, TokenScopes.Preferences).Status);
        Assert.Equal(TokenStatus.Valid, rotated.Verify(newToken, TokenScopes.Preferences).Status);
        Assert.Equal(TokenStatus.InvalidSignature, Service(OldKey).Verify(newToken, TokenScopes.Preferences).Status); // the newest key signs
        Assert.Equal(TokenStatus.InvalidSignature, dropped.Verify(oldToken, TokenScopes.Preferences).Status);
        Assert.Equal(TokenStatus.Valid, dropped.Verify(newToken, TokenScopes.Preferences).Status);
    }

    [Fact]
    public void A_token_from_before_key_ids_still_verifies_under_any_accepted_key()
    {
        // Version 1: version byte, 8-byte big-endian expiry, scope length, scope, customer id; no key id.
        var payload = new List<byte> { 1 };
        var expiry = BitConverter.GetBytes(Now.AddDays(1).ToUnixTimeSeconds());
        Array.Reverse(expiry);
        payload.AddRange(expiry);
        payload.Add((byte)"preferences".Length);
        payload.AddRange(System.Text.Encoding.ASCII.GetBytes("preferences"));
        payload.AddRange(System.Text.Encoding.UTF8.GetBytes("c-7"));
        var mac = System.Security.Cryptography.HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(DeliveryFixture.Key), payload.ToArray());
        static string Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var legacy = Url(payload.ToArray()) + "." + Url(mac);
        var options = DeliveryFixture.Options(o => o.TokenSigningKey = "a-newer-signing-key-0123456789abcdef");
        options.PreviousTokenSigningKeys.Add(DeliveryFixture.Key);

        var result = new SignedTokenService(options, new ManualTimeProvider(Now)).Verify(legacy, TokenScopes.Preferences);

        Assert.Equal(TokenStatus.Valid, result.Status);
        Assert.Equal("c-7", result.CustomerId);
        Assert.Equal(TokenStatus.InvalidSignature, Create("yet-another-signing-key-0123456789ab").Service.Verify(legacy, TokenScopes.Preferences).Status);
    }

    [Fact]
    public void Long_customer_ids_up_to_the_limit_round_trip_and_longer_ones_are_refused()
    {
        var (service, _) = Create();
        var longest = new string('x', SignedTokenService.MaxCustomerIdBytes);

        Assert.True(service.TryVerify(service.Create(longest, TokenScopes.Preferences), TokenScopes.Preferences, out var id));
        Assert.Equal(longest, id);
        Assert.Throws<ArgumentException>(() => service.Create(longest + "x", TokenScopes.Preferences));
    }

    [Theory]
    [InlineData("two words", "printable ASCII without spaces")]
    [InlineData("caf\u00e9", "printable ASCII without spaces")]
    public void A_malformed_scope_is_refused_with_what_a_scope_may_hold(string scope, string expected)
    {
        var (service, _) = Create();

        var error = Assert.Throws<ArgumentException>(() => service.Create("c-7", scope));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal("scope", error.ParamName);
    }

    [Fact]
    public void A_scope_longer_than_255_characters_is_refused()
    {
        var (service, _) = Create();

        var error = Assert.Throws<ArgumentException>(() => service.Create("c-7", new string('s', 256)));

        Assert.Contains("at most 255 characters", error.Message, StringComparison.Ordinal);
        Assert.True(service.TryVerify(service.Create("c-7", new string('s', 255)), new string('s', 255), out _));
    }

    [Fact]
    public void Non_ascii_customer_ids_round_trip()
    {
        var (service, _) = Create();

        Assert.True(service.TryVerify(service.Create("kunde-müller-😀", "preferences"), "preferences", out var id));
        Assert.Equal("kunde-müller-😀", id);
    }

    [Fact]
    public void Tokens_expire_by_the_injected_clock()
    {
        var (service, clock) = Create();
        var token = service.Create("c-42", "preferences");

        clock.Now = Now.AddDays(30).AddSeconds(-1);
        Assert.True(service.Verify(token, "preferences").IsValid);

        clock.Now = Now.AddDays(30);
        var expired = service.Verify(token, "preferences");
        Assert.Equal(TokenStatus.Expired, expired.Status);
        Assert.Equal("c-42", expired.CustomerId);
        Assert.False(service.TryVerify(token, "preferences", out _));
    }

    [Fact]
    public void A_token_for_another_scope_is_rejected()
    {
        var (service, _) = Create();
        var token = service.Create("c-42", TokenScopes.Preferences);

        Assert.Equal(TokenStatus.WrongScope, service.Verify(token, TokenScopes.Unsubscribe(Channel.Email, ContactPurpose.Marketing)).Status);
        Assert.False(service.TryVerify(token, "unsubscribe:email:marketing", out var id));
        Assert.Null(id);
    }

    [Fact]
    public void A_token_signed_with_another_key_is_a_forgery()
    {
        var (service, _) = Create();
        var (other, _) = Create("another-key-that-is-long-enough-0123456789");

        Assert.Equal(TokenStatus.InvalidSignature, service.Verify(other.Create("c-42", "preferences"), "preferences").Status);
    }

    [Fact]
    public void A_changed_payload_is_rejected()
    {
        var (service, _) = Create();
        var token = service.Create("c-42", "preferences");
        var victim = service.Create("c-43", "preferences");
        var dot = token.IndexOf('.', StringComparison.Ordinal);

        // Someone else's payload with this signature, and every single-character change of the payload.
        Assert.Equal(TokenStatus.InvalidSignature, service.Verify(victim[..victim.IndexOf('.', StringComparison.Ordinal)] + token[dot..], "preferences").Status);
        for (var i = 0; i < dot; i++)
        {
            var changed = token[..i] + (token[i] == 'A' ? 'B' : 'A') + token[(i + 1)..];
            Assert.False(service.Verify(changed, "preferences").IsValid, "Changed at " + i);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("no-dot")]
    [InlineData(".abc")]
    [InlineData("abc.")]
    [InlineData("a.b.c")]
    [InlineData("!!!.???")]
    [InlineData("AQAAAA.AAAA")]
    public void Garbage_is_malformed(string? token)
    {
        var (service, _) = Create();

        Assert.Equal(TokenStatus.Malformed, service.Verify(token, "preferences").Status);
    }

    [Fact]
    public void Scopes_name_channel_and_purpose_and_parse_back()
    {
        var scope = TokenScopes.Unsubscribe(Channel.Sms, ContactPurpose.Relationship);

        Assert.Equal("unsubscribe:sms:relationship", scope);
        Assert.True(TokenScopes.TryParseUnsubscribe(scope, out var channel, out var purpose));
        Assert.Equal(Channel.Sms, channel);
        Assert.Equal(ContactPurpose.Relationship, purpose);
        Assert.False(TokenScopes.TryParseUnsubscribe("preferences", out _, out _));
    }

    [Fact]
    public void Links_carry_verifiable_tokens()
    {
        var options = DeliveryFixture.Options(o => o.UnsubscribeUrl = new Uri("https://example.com/u?list=news"));
        var clock = new ManualTimeProvider(Now);
        var links = new DeliveryLinks(options, new SignedTokenService(options, clock));

        var preferences = links.PreferenceCenter("c-42", Now);
        var unsubscribe = links.Unsubscribe("c-42", Channel.Email, ContactPurpose.Marketing, Now);
        var mailto = links.UnsubscribeMailto("c-42", Channel.Email, ContactPurpose.Marketing, Now);

        Assert.StartsWith("https://example.com/preferences?token=", preferences, StringComparison.Ordinal);
        Assert.StartsWith("https://example.com/u?list=news&token=", unsubscribe, StringComparison.Ordinal);
        Assert.StartsWith("mailto:unsubscribe@example.com?subject=unsubscribe%20", mailto, StringComparison.Ordinal);
        Assert.True(links.Tokens.TryVerify(preferences[(preferences.IndexOf("token=", StringComparison.Ordinal) + 6)..], TokenScopes.Preferences, out var id));
        Assert.Equal("c-42", id);
        Assert.True(links.Tokens.Verify(unsubscribe[(unsubscribe.IndexOf("token=", StringComparison.Ordinal) + 6)..], "unsubscribe:email:marketing").IsValid);
        Assert.True(links.Tokens.Verify(mailto[(mailto.IndexOf("%20", StringComparison.Ordinal) + 3)..], "unsubscribe:email:marketing").IsValid);
    }

    [Fact]
    public void A_short_key_is_refused()
    {
        var options = DeliveryFixture.Options(o => o.TokenSigningKey = "short");

        var error = Assert.Throws<ArgumentException>(() => new SignedTokenService(options, TimeProvider.System));

        Assert.Contains("TokenSigningKey must have at least 32 characters", error.Message, StringComparison.Ordinal);
        Assert.Contains("it was 5 characters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Services_with_different_keys_signing_in_turn_on_one_thread_each_sign_with_their_own_key()
    {
        // Each thread keeps a keyed hash for the last key it signed with; alternating services must never mix keys.
        var (service, _) = Create();
        var (other, _) = Create("another-signing-key-0123456789abcdef");

        for (var i = 0; i < 20; i++)
        {
            var id = "c-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var mine = service.Create(id, TokenScopes.Preferences);
            var theirs = other.Create(id, TokenScopes.Preferences);

            Assert.Equal(Expected(DeliveryFixture.Key, mine), Signature(mine));
            Assert.Equal(Expected("another-signing-key-0123456789abcdef", theirs), Signature(theirs));
            Assert.Equal(TokenStatus.Valid, service.Verify(mine, TokenScopes.Preferences).Status);
            Assert.Equal(TokenStatus.InvalidSignature, service.Verify(theirs, TokenScopes.Preferences).Status);
        }
    }

    [Fact]
    public void Tokens_signed_on_many_threads_at_once_equal_the_ones_signed_on_one()
    {
        var (service, _) = Create();
        var ids = Enumerable.Range(0, 400).Select(i => "p-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var parallel = new string[ids.Length];

        Parallel.For(0, ids.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => parallel[i] = service.Create(ids[i], TokenScopes.Preferences));

        for (var i = 0; i < ids.Length; i++)
        {
            Assert.Equal(Expected(DeliveryFixture.Key, parallel[i]), Signature(parallel[i]));
            Assert.Equal(ids[i], service.Verify(parallel[i], TokenScopes.Preferences).CustomerId);
        }
    }

    /// <summary>The HMAC-SHA256 of a token's payload under a key, computed independently of the service (base64url).</summary>
    private static string Expected(string key, string token)
    {
        var payload = FromBase64Url(token[..token.IndexOf('.', StringComparison.Ordinal)]);
        var mac = System.Security.Cryptography.HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key), payload);
        return Convert.ToBase64String(mac).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private static string Signature(string token) => token[(token.IndexOf('.', StringComparison.Ordinal) + 1)..];

    private static byte[] FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded + new string('=', (4 - (padded.Length % 4)) % 4));
    }

    [Fact]
    public void A_default_verification_result_is_not_valid()
    {
        Assert.False(default(TokenVerification).IsValid);
        Assert.Equal(TokenStatus.Malformed, default(TokenVerification).Status);
    }
}
