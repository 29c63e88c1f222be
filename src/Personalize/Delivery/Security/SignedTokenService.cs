using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Personalize.Delivery.Security;

/// <summary>
/// Issues and verifies signed tokens for preference-center and unsubscribe links. A token carries a customer id, a
/// scope (see <see cref="TokenScopes"/>), an expiry and the id of the key that signed it, and is signed with
/// HMAC-SHA256 under <see cref="DeliveryOptions.TokenSigningKey"/>; tokens of <see cref="DeliveryOptions.PreviousTokenSigningKeys"/>
/// still verify (key rotation). Tokens are URL-safe (base64url, one dot) and are not encrypted:
/// they reveal the customer id to whoever holds them. Verification compares signatures in fixed time and rejects
/// forgeries, changed payloads, expired tokens and tokens for another scope. Thread-safe.
/// </summary>
public sealed class SignedTokenService
{
    /// <summary>The longest customer id a token carries, in UTF-8 bytes.</summary>
    public const int MaxCustomerIdBytes = 1024;

    // Version 2 carries the id of the signing key (key rotation); version 1 tokens (no key id) still verify.
    private const byte Version = 2;
    private const byte LegacyVersion = 1;
    private const int Header = 14;       // version, 4-byte key id, 8-byte expiry, scope length
    private const int LegacyHeader = 10; // version, 8-byte expiry, scope length
    private readonly byte[] _key;
    private readonly byte[] _keyId;
    private readonly (byte[] Id, byte[] Key)[] _verifyKeys;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the service.</summary>
    /// <param name="options">The options; the key and lifetime are read once, here.</param>
    /// <param name="timeProvider">The clock for expiry.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public SignedTokenService(DeliveryOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.ThrowIfInvalid();
        _key = Encoding.UTF8.GetBytes(options.TokenSigningKey!);
        _keyId = KeyId(_key);
        var keys = new List<(byte[] Id, byte[] Key)> { (_keyId, _key) };
        foreach (var previous in options.PreviousTokenSigningKeys)
        {
            var bytes = Encoding.UTF8.GetBytes(previous);
            var id = KeyId(bytes);
            if (keys.Exists(k => k.Id.AsSpan().SequenceEqual(id)))
            {
                throw new ArgumentException("Two token signing keys have the same key id; use another new key.", nameof(options));
            }

            keys.Add((id, bytes));
        }

        _verifyKeys = [.. keys];
        _timeProvider = timeProvider;
        Lifetime = options.TokenLifetime;
    }

    /// <summary>How long tokens issued without an explicit expiry stay valid.</summary>
    public TimeSpan Lifetime { get; }

    /// <summary>Issues a token that expires <see cref="Lifetime"/> after <paramref name="issuedAt"/>.</summary>
    /// <param name="customerId">The customer id.</param>
    /// <param name="scope">The scope, for example <see cref="TokenScopes.Preferences"/>.</param>
    /// <param name="issuedAt">The instant the lifetime counts from, usually the message's send instant.</param>
    /// <returns>The token.</returns>
    public string Create(string customerId, string scope, DateTimeOffset issuedAt) => CreateUntil(customerId, scope, issuedAt + Lifetime);

    /// <summary>Issues a token that expires <see cref="Lifetime"/> from now.</summary>
    /// <param name="customerId">The customer id.</param>
    /// <param name="scope">The scope.</param>
    /// <returns>The token.</returns>
    public string Create(string customerId, string scope) => Create(customerId, scope, _timeProvider.GetUtcNow());

    /// <summary>Issues a token with an explicit expiry (whole seconds; fractions are dropped).</summary>
    /// <param name="customerId">The customer id.</param>
    /// <param name="scope">The scope: printable ASCII without spaces.</param>
    /// <param name="expiresAt">The expiry.</param>
    /// <returns>The token.</returns>
    /// <exception cref="ArgumentException">The customer id is empty or the scope is malformed.</exception>
    public string CreateUntil(string customerId, string scope, DateTimeOffset expiresAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(customerId);
        ArgumentException.ThrowIfNullOrEmpty(scope);
        if (ScopeProblem(scope) is { } problem)
        {
            throw new ArgumentException(problem, nameof(scope));
        }

        var seconds = expiresAt.ToUnixTimeSeconds();
        if (TokenCache.TryGet(this, customerId, scope, seconds, out var cached))
        {
            return cached;
        }

        var idLength = Encoding.UTF8.GetByteCount(customerId);
        if (idLength > MaxCustomerIdBytes)
        {
            throw new ArgumentException($"The customer id has {idLength} UTF-8 bytes; tokens carry at most {MaxCustomerIdBytes}.", nameof(customerId));
        }

        // At most 14 + 255 + 1024 bytes of payload: small enough for the stack, so signing allocates only the token string.
        Span<byte> utf8 = stackalloc byte[TokenLength(scope.Length, idLength)];
        var token = Encoding.ASCII.GetString(utf8[..WriteToken(customerId, idLength, scope, seconds, utf8)]);
        TokenCache.Add(this, customerId, scope, seconds, token);
        return token;
    }

    /// <summary>
    /// Writes the token <see cref="Create(string, string, DateTimeOffset)"/> returns (the same characters, ASCII) into
    /// <paramref name="destination"/> without a string: for links written straight into a UTF-8 render.
    /// </summary>
    /// <returns>
    /// The token's length in bytes (written only when it fits <paramref name="destination"/>); -1 when the customer id or
    /// the scope is not one <see cref="Create(string, string, DateTimeOffset)"/> accepts (it throws the error).
    /// </returns>
    internal int WriteUtf8(string customerId, string scope, DateTimeOffset issuedAt, Span<byte> destination)
    {
        if (string.IsNullOrEmpty(customerId) || string.IsNullOrEmpty(scope) || ScopeProblem(scope) is not null)
        {
            return -1;
        }

        var idLength = Encoding.UTF8.GetByteCount(customerId);
        if (idLength > MaxCustomerIdBytes)
        {
            return -1;
        }

        var length = TokenLength(scope.Length, idLength);
        if (length > destination.Length)
        {
            return length;
        }

        var seconds = (issuedAt + Lifetime).ToUnixTimeSeconds();
        return TokenCache.TryGetUtf8(this, customerId, scope, seconds, destination, out var written)
            ? written
            : TokenCache.AddUtf8(this, customerId, scope, seconds, destination[..WriteToken(customerId, idLength, scope, seconds, destination)]);
    }

    /// <summary>Why a scope cannot be signed (printable ASCII without spaces, at most 255 characters); <see langword="null"/> when it can.</summary>
    private static string? ScopeProblem(string scope)
    {
        foreach (var c in scope)
        {
            if (c is <= ' ' or > '~')
            {
                return $"The scope '{scope}' must be printable ASCII without spaces.";
            }
        }

        return scope.Length > 255 ? "The scope has at most 255 characters." : null;
    }

    /// <summary>The length of a token: the payload (14 bytes, the scope, the id) and the 32-byte MAC in base64url, a dot between.</summary>
    private static int TokenLength(int scopeLength, int idLength) => Base64UrlLength(Header + scopeLength + idLength) + 1 + Base64UrlLength(32);

    /// <summary>Signs and writes a token (validated arguments, <paramref name="destination"/> at least <see cref="TokenLength"/> long); returns its length.</summary>
    private int WriteToken(string customerId, int idLength, string scope, long seconds, Span<byte> destination)
    {
        // Payload: version byte, 4-byte key id, 8-byte big-endian expiry (Unix seconds), scope length byte, scope,
        // customer id (UTF-8).
        var payloadLength = Header + scope.Length + idLength;
        Span<byte> payload = stackalloc byte[payloadLength];
        payload[0] = Version;
        _keyId.CopyTo(payload[1..]);
        BinaryPrimitives.WriteInt64BigEndian(payload[5..], seconds);
        payload[13] = (byte)scope.Length;
        Encoding.ASCII.GetBytes(scope, payload[Header..]);
        Encoding.UTF8.GetBytes(customerId, payload[(Header + scope.Length)..]);

        Span<byte> mac = stackalloc byte[32];
        TokenSigner.Sign(_key, payload, mac);

        var position = WriteBase64Url(payload, destination);
        destination[position++] = (byte)'.';
        position += WriteBase64Url(mac, destination[position..]);
        return position;
    }

    /// <summary>Verifies a token for a scope at the current instant.</summary>
    /// <param name="token">The token from the link.</param>
    /// <param name="expectedScope">The scope the endpoint serves.</param>
    /// <returns>The status and, for genuine tokens, the customer id, scope and expiry.</returns>
    public TokenVerification Verify(string? token, string expectedScope)
    {
        ArgumentNullException.ThrowIfNull(expectedScope);
        if (string.IsNullOrEmpty(token) || token.Length > 2048)
        {
            return new TokenVerification(TokenStatus.Malformed);
        }

        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot != token.LastIndexOf('.') || dot == token.Length - 1)
        {
            return new TokenVerification(TokenStatus.Malformed);
        }

        var payload = FromBase64Url(token.AsSpan(0, dot));
        var mac = FromBase64Url(token.AsSpan(dot + 1));
        if (payload is null || mac is null || mac.Length != 32)
        {
            return new TokenVerification(TokenStatus.Malformed);
        }

        int header;
        if (payload[0] == Version && payload.Length > Header)
        {
            header = Header;
            if (!Matches(KeyFor(payload.AsSpan(1, 4)), payload, mac))
            {
                return new TokenVerification(TokenStatus.InvalidSignature);
            }
        }
        else if (payload[0] == LegacyVersion && payload.Length > LegacyHeader)
        {
            // A token from before key ids: any accepted key may have signed it.
            header = LegacyHeader;
            var any = false;
            foreach (var (_, key) in _verifyKeys)
            {
                any |= Matches(key, payload, mac);
            }

            if (!any)
            {
                return new TokenVerification(TokenStatus.InvalidSignature);
            }
        }
        else
        {
            return new TokenVerification(TokenStatus.Malformed);
        }

        var scopeLength = payload[header - 1];
        if (payload.Length <= header + scopeLength)
        {
            return new TokenVerification(TokenStatus.Malformed);
        }

        long seconds = 0;
        for (var i = 0; i < 8; i++)
        {
            seconds = (seconds << 8) | payload[header - 9 + i];
        }

        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, -62135596800L, 253402300799L));
        var scope = Encoding.ASCII.GetString(payload, header, scopeLength);
        var customerId = Encoding.UTF8.GetString(payload, header + scopeLength, payload.Length - header - scopeLength);
        if (_timeProvider.GetUtcNow() >= expiresAt)
        {
            return new TokenVerification(TokenStatus.Expired, customerId, scope, expiresAt);
        }

        return !string.Equals(scope, expectedScope, StringComparison.Ordinal)
            ? new TokenVerification(TokenStatus.WrongScope, customerId, scope, expiresAt)
            : new TokenVerification(TokenStatus.Valid, customerId, scope, expiresAt);
    }

    /// <summary>Verifies a token for a scope at the current instant.</summary>
    /// <param name="token">The token.</param>
    /// <param name="expectedScope">The scope the endpoint serves.</param>
    /// <param name="customerId">The customer id when valid.</param>
    /// <returns><see langword="true"/> only for a genuine, unexpired token of the expected scope.</returns>
    public bool TryVerify(string? token, string expectedScope, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? customerId)
    {
        var result = Verify(token, expectedScope);
        customerId = result.IsValid ? result.CustomerId : null;
        return result.IsValid;
    }

    /// <summary>The first 4 bytes of the key's SHA-256: names the key in a token without revealing it.</summary>
    private static byte[] KeyId(byte[] key) => SHA256.HashData(key)[..4];

    private byte[]? KeyFor(ReadOnlySpan<byte> id)
    {
        foreach (var (keyId, key) in _verifyKeys)
        {
            if (id.SequenceEqual(keyId))
            {
                return key;
            }
        }

        return null;
    }

    private static bool Matches(byte[]? key, byte[] payload, byte[] mac)
    {
        if (key is null)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[32];
        HMACSHA256.HashData(key, payload, expected);
        return CryptographicOperations.FixedTimeEquals(expected, mac);
    }

    private static int Base64UrlLength(int bytes) => ((bytes * 4) + 2) / 3;

    /// <summary>Writes base64url without padding; <paramref name="destination"/> has room for the padded form.</summary>
    private static int WriteBase64Url(ReadOnlySpan<byte> bytes, Span<byte> destination)
    {
        // Base64 needs room for its padding; the url form drops it ('=') and uses '-' and '_' for '+' and '/'.
        Span<byte> encoded = stackalloc byte[((bytes.Length + 2) / 3) * 4];
        Base64.EncodeToUtf8(bytes, encoded, out _, out var written);
        while (written > 0 && encoded[written - 1] == (byte)'=')
        {
            written--;
        }

        for (var i = 0; i < written; i++)
        {
            destination[i] = encoded[i] switch { (byte)'+' => (byte)'-', (byte)'/' => (byte)'_', var c => c };
        }

        return written;
    }

    private static byte[]? FromBase64Url(ReadOnlySpan<char> text)
    {
        if (text.Length % 4 == 1)
        {
            return null;
        }

        var padded = new char[text.Length + ((4 - (text.Length % 4)) % 4)];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return null;
            }

            padded[i] = c switch { '-' => '+', '_' => '/', _ => c };
        }

        for (var i = text.Length; i < padded.Length; i++)
        {
            padded[i] = '=';
        }

        var bytes = new byte[padded.Length / 4 * 3];
        return Convert.TryFromBase64Chars(padded, bytes, out var written) ? bytes[..written] : null;
    }
}
