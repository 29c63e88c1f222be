using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Personalize.Delivery;

/// <summary>
/// The idempotency key of an outgoing message: the same (trigger, customer, message, send instant) always gives the
/// same key, in every process and on every machine, so a resumed or repeated run can skip what a sink already holds.
/// </summary>
/// <remarks>
/// The key is <c>pz1_</c> followed by 32 lower-case base32 characters (the first 160 bits of a SHA-256 hash). The hash
/// covers a canonical UTF-8 encoding: the prefix <c>personalize.idempotency.v1</c>, then each of trigger, customer id
/// and message id as a 4-byte big-endian length and its UTF-8 bytes, then the send instant in UTC as
/// <c>yyyy-MM-ddTHH:mm:ss.fffffffZ</c> (so the same instant in any offset gives the same key). The key is safe in
/// file names and URLs.
/// </remarks>
public static class IdempotencyKey
{
    /// <summary>The prefix every key starts with; it names the version of the encoding.</summary>
    public const string Prefix = "pz1_";

    /// <summary>The length of every key.</summary>
    public const int Length = 36;

    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    [ThreadStatic]
    private static IncrementalHash? t_sha256;
    private static readonly byte[] Domain = "personalize.idempotency.v1"u8.ToArray();

    /// <summary>Creates the key of a send.</summary>
    /// <param name="trigger">What caused the send: an event id, a campaign run or a journey step.</param>
    /// <param name="customerId">The customer's id.</param>
    /// <param name="messageId">The catalog message's id.</param>
    /// <param name="sendAt">The planned send instant.</param>
    /// <returns>The key, for example <c>pz1_3kq…</c>.</returns>
    /// <exception cref="ArgumentException">An id is null or empty.</exception>
    public static string Create(string trigger, string customerId, string messageId, DateTimeOffset sendAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(trigger);
        ArgumentException.ThrowIfNullOrEmpty(customerId);
        ArgumentException.ThrowIfNullOrEmpty(messageId);

        var length = Domain.Length + 12 + Encoding.UTF8.GetByteCount(trigger) + Encoding.UTF8.GetByteCount(customerId)
            + Encoding.UTF8.GetByteCount(messageId) + InstantLength;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var buffer = rented.AsSpan(0, length);
            Domain.CopyTo(buffer);
            var position = Domain.Length;
            position += Field(trigger, buffer[position..]);
            position += Field(customerId, buffer[position..]);
            position += Field(messageId, buffer[position..]);
            // A UTC DateTime in "O" is always InstantLength bytes (four-digit year, seven fraction digits, 'Z').
            var formatted = sendAt.UtcDateTime.TryFormat(buffer[position..], out var written, "O", CultureInfo.InvariantCulture);
            Debug.Assert(formatted && written == InstantLength, "The round-trip UTC text has a fixed length.");
            position += written;

            // One SHA-256 hash object per thread, reset after each key: the one-shot SHA256.HashData sets a new one up
            // every call, which costs more than hashing the hundred-odd bytes.
            Span<byte> hash = stackalloc byte[32];
            var sha = t_sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            sha.AppendData(buffer[..position]);
            sha.GetHashAndReset(hash);
            Span<char> key = stackalloc char[Length];
            Prefix.AsSpan().CopyTo(key);
            Base32(hash[..20], key[Prefix.Length..]);
            return new string(key);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Whether a text has the form of a key made by <see cref="Create"/>.</summary>
    /// <param name="key">The text.</param>
    /// <returns><see langword="true"/> when it has the form.</returns>
    public static bool IsWellFormed(string? key)
    {
        if (key is null || key.Length != Length || !key.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        for (var i = Prefix.Length; i < key.Length; i++)
        {
            if (!Alphabet.Contains(key[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The length of a UTC instant in the round-trip ("O") format: <c>yyyy-MM-ddTHH:mm:ss.fffffffZ</c>.</summary>
    private const int InstantLength = 28;

    private static int Field(string value, Span<byte> destination)
    {
        var count = Encoding.UTF8.GetBytes(value, destination[4..]);
        destination[0] = (byte)(count >> 24);
        destination[1] = (byte)(count >> 16);
        destination[2] = (byte)(count >> 8);
        destination[3] = (byte)count;
        return count + 4;
    }

    private static void Base32(ReadOnlySpan<byte> bytes, Span<char> chars)
    {
        // 20 bytes = 160 bits = 32 characters of 5 bits.
        var buffer = 0;
        var bits = 0;
        var index = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                chars[index++] = Alphabet[(buffer >> (bits - 5)) & 31];
                bits -= 5;
            }
        }
    }
}
