using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Personalize.Delivery;

/// <summary>
/// The idempotency key of an outgoing message: the same (trigger, customer, message, send instant) always gives the
/// same key in a given <see cref="IdempotencyKeyFormat"/>, in every process and on every machine, so a resumed or
/// repeated run can skip what a sink already holds.
/// </summary>
/// <remarks>
/// <para>
/// Both formats hash a canonical UTF-8 encoding with SHA-256: a domain text (<c>personalize.idempotency.v1</c> or
/// <c>personalize.idempotency.v2</c>), then each of trigger, customer id and message id as a 4-byte big-endian length
/// and its UTF-8 bytes, then the send instant in UTC as <c>yyyy-MM-ddTHH:mm:ss.fffffffZ</c> (so the same instant in any
/// offset gives the same key). Every key is 36 characters, lower-case letters and the digits 2-7: safe in file names
/// and URLs.
/// </para>
/// <para>
/// <see cref="IdempotencyKeyFormat.Hashed"/> (<c>pz1_</c>, every key before this format existed): the prefix and 32
/// base32 characters (alphabet <c>a-z2-7</c>) of the first 160 bits of the hash.
/// <see cref="IdempotencyKeyFormat.TimeOrdered"/> (<c>pz2_</c>, the default): the prefix, 7 characters of the send
/// instant's whole seconds since 1970-01-01T00:00:00Z (clamped to 0 … 2^35 - 1, that is up to the year 3058), then 25
/// characters of the first 125 bits of the hash, all in the alphabet <c>234567abcdefghijklmnopqrstuvwxyz</c>, which is
/// in ordinal (ASCII) order: keys sort by their send instant's second, so a store's index on the key takes each run's
/// keys at its end instead of at random places among every earlier key (ADR 0075).
/// <see cref="IdempotencyKeyFormat.PageTagged"/> (<c>pz3_</c>, the keys of a send run over a store): the prefix, the same 7
/// characters of the instant, a 5-character tag (<see cref="CreateTag"/>, drawn for each page of the run and recorded
/// with it), then 20 characters of the first 100 bits of the same hash as format 2 (the tag is not hashed): a page's keys
/// sort next to each other, so a store's key index takes them in a few leaves instead of all over the run's (ADR 0077).
/// </para>
/// </remarks>
public static class IdempotencyKey
{
    /// <summary>The prefix of the keys of <see cref="IdempotencyKeyFormat.Hashed"/> (the format of every key made before <see cref="IdempotencyKeyFormat.TimeOrdered"/> existed).</summary>
    public const string Prefix = "pz1_";

    /// <summary>The prefix of the keys of <see cref="IdempotencyKeyFormat.TimeOrdered"/>.</summary>
    public const string TimeOrderedPrefix = "pz2_";

    /// <summary>The prefix of the keys of <see cref="IdempotencyKeyFormat.PageTagged"/>.</summary>
    public const string PageTaggedPrefix = "pz3_";

    /// <summary>The length of a page tag of <see cref="IdempotencyKeyFormat.PageTagged"/> keys (25 bits).</summary>
    public const int TagLength = 5;

    /// <summary>The format <see cref="Create(string, string, string, DateTimeOffset)"/> makes: <see cref="IdempotencyKeyFormat.TimeOrdered"/>.</summary>
    public const IdempotencyKeyFormat DefaultFormat = IdempotencyKeyFormat.TimeOrdered;

    /// <summary>The length of every key.</summary>
    public const int Length = 36;

    /// <summary>The 32 characters of format 1's hash and of a packed key (RFC 4648 base32, lower case).</summary>
    internal const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    /// <summary>The same 32 characters in ordinal order (format 2): a text in it sorts as the numbers it encodes.</summary>
    private const string SortableAlphabet = "234567abcdefghijklmnopqrstuvwxyz";

    /// <summary>How many characters of format 2 encode the send instant's second.</summary>
    internal const int SecondsLength = 7;

    /// <summary>The last second format 2 can encode (35 bits); later instants share it.</summary>
    internal const long MaxSeconds = (1L << (5 * SecondsLength)) - 1;

    [ThreadStatic]
    private static IncrementalHash? t_sha256;
    private static readonly byte[] Domain = "personalize.idempotency.v1"u8.ToArray();
    private static readonly byte[] DomainV2 = "personalize.idempotency.v2"u8.ToArray();

    /// <summary>Creates the key of a send in the <see cref="DefaultFormat"/> (<see cref="IdempotencyKeyFormat.TimeOrdered"/>).</summary>
    /// <param name="trigger">What caused the send: an event id, a campaign run or a journey step.</param>
    /// <param name="customerId">The customer's id.</param>
    /// <param name="messageId">The catalog message's id.</param>
    /// <param name="sendAt">The planned send instant.</param>
    /// <returns>The key, for example <c>pz2_ax3f5kq…</c>.</returns>
    /// <exception cref="ArgumentException">An id is null or empty.</exception>
    public static string Create(string trigger, string customerId, string messageId, DateTimeOffset sendAt)
        => Create(trigger, customerId, messageId, sendAt, DefaultFormat);

    /// <summary>Creates the key of a send in a format.</summary>
    /// <param name="trigger">What caused the send: an event id, a campaign run or a journey step.</param>
    /// <param name="customerId">The customer's id.</param>
    /// <param name="messageId">The catalog message's id.</param>
    /// <param name="sendAt">The planned send instant.</param>
    /// <param name="format">The format: <see cref="IdempotencyKeyFormat.Hashed"/> gives the keys of earlier versions for the same send.</param>
    /// <returns>The key, for example <c>pz1_3kq…</c> or <c>pz2_ax3f5kq…</c>.</returns>
    /// <exception cref="ArgumentException">An id is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The format is not one of <see cref="IdempotencyKeyFormat"/>'s.</exception>
    public static string Create(string trigger, string customerId, string messageId, DateTimeOffset sendAt, IdempotencyKeyFormat format)
        => Create(trigger, customerId, messageId, sendAt, format, null);

    /// <summary>Creates the key of a send in a format, with the page tag a <see cref="IdempotencyKeyFormat.PageTagged"/> key carries.</summary>
    /// <param name="trigger">What caused the send: an event id, a campaign run or a journey step.</param>
    /// <param name="customerId">The customer's id.</param>
    /// <param name="messageId">The catalog message's id.</param>
    /// <param name="sendAt">The planned send instant.</param>
    /// <param name="format">The format.</param>
    /// <param name="tag">The page's tag (<see cref="TagLength"/> characters of <c>a-z2-7</c>, <see cref="CreateTag"/>): required by <see cref="IdempotencyKeyFormat.PageTagged"/>, ignored by the other formats.</param>
    /// <returns>The key, for example <c>pz3_ax3f5kqb7m2d…</c>.</returns>
    /// <exception cref="ArgumentException">An id is null or empty, or the format is <see cref="IdempotencyKeyFormat.PageTagged"/> and the tag is missing or not a tag.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The format is not one of <see cref="IdempotencyKeyFormat"/>'s.</exception>
    public static string Create(string trigger, string customerId, string messageId, DateTimeOffset sendAt, IdempotencyKeyFormat format, string? tag)
    {
        ArgumentException.ThrowIfNullOrEmpty(trigger);
        ArgumentException.ThrowIfNullOrEmpty(customerId);
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        if (format is not (IdempotencyKeyFormat.Hashed or IdempotencyKeyFormat.TimeOrdered or IdempotencyKeyFormat.PageTagged))
        {
            throw new ArgumentOutOfRangeException(nameof(format), format, "The idempotency key format is 1 (Hashed, pz1_), 2 (TimeOrdered, pz2_) or 3 (PageTagged, pz3_).");
        }

        if (format == IdempotencyKeyFormat.PageTagged && !IsTag(tag))
        {
            throw new ArgumentException($"A PageTagged (pz3_) key needs its page's tag: {TagLength} characters of a-z and 2-7 (IdempotencyKey.CreateTag), not '{tag}'.", nameof(tag));
        }

        var domain = format == IdempotencyKeyFormat.Hashed ? Domain : DomainV2;
        var length = domain.Length + 12 + Encoding.UTF8.GetByteCount(trigger) + Encoding.UTF8.GetByteCount(customerId)
            + Encoding.UTF8.GetByteCount(messageId) + InstantLength;
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var buffer = rented.AsSpan(0, length);
            domain.CopyTo(buffer);
            var position = domain.Length;
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
            if (format == IdempotencyKeyFormat.Hashed)
            {
                Prefix.AsSpan().CopyTo(key);
                Base32(hash[..20], key[Prefix.Length..], Alphabet);
            }
            else
            {
                (format == IdempotencyKeyFormat.TimeOrdered ? TimeOrderedPrefix : PageTaggedPrefix).AsSpan().CopyTo(key);
                WriteSeconds(Math.Clamp(sendAt.ToUnixTimeSeconds(), 0, MaxSeconds), key.Slice(TimeOrderedPrefix.Length, SecondsLength));

                // 16 bytes give 25 characters and 3 bits to spare: the first 125 bits of the hash (format 3: the tag,
                // then the first 100 bits).
                Span<char> rest = stackalloc char[26];
                Base32(hash[..16], rest, SortableAlphabet);
                var after = TimeOrderedPrefix.Length + SecondsLength;
                if (format == IdempotencyKeyFormat.TimeOrdered)
                {
                    rest[..25].CopyTo(key[after..]);
                }
                else
                {
                    tag.AsSpan().CopyTo(key[after..]);
                    rest[..(Length - after - TagLength)].CopyTo(key[(after + TagLength)..]);
                }
            }

            return new string(key);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Whether a text has the form of a key made by <see cref="Create(string, string, string, DateTimeOffset, IdempotencyKeyFormat)"/> in either format.</summary>
    /// <param name="key">The text.</param>
    /// <returns><see langword="true"/> when it has the form.</returns>
    public static bool IsWellFormed(string? key) => FormatOf(key) is not null;

    /// <summary>Writes the <see cref="SecondsLength"/> characters formats 2 and 3 make of whole seconds since 1970 (0 to <see cref="MaxSeconds"/>).</summary>
    internal static void WriteSeconds(long seconds, Span<char> chars)
    {
        for (var i = SecondsLength - 1; i >= 0; i--)
        {
            chars[i] = SortableAlphabet[(int)(seconds & 31)];
            seconds >>= 5;
        }
    }

    /// <summary>The format of a key, or <see langword="null"/> when the text is not a well-formed key.</summary>
    /// <param name="key">The text.</param>
    /// <returns><see cref="IdempotencyKeyFormat.Hashed"/> for <c>pz1_…</c>, <see cref="IdempotencyKeyFormat.TimeOrdered"/> for <c>pz2_…</c>, <see cref="IdempotencyKeyFormat.PageTagged"/> for <c>pz3_…</c>, else <see langword="null"/>.</returns>
    public static IdempotencyKeyFormat? FormatOf(string? key)
    {
        if (key is null || key.Length != Length)
        {
            return null;
        }

        IdempotencyKeyFormat format;
        if (key.StartsWith(Prefix, StringComparison.Ordinal))
        {
            format = IdempotencyKeyFormat.Hashed;
        }
        else if (key.StartsWith(TimeOrderedPrefix, StringComparison.Ordinal))
        {
            format = IdempotencyKeyFormat.TimeOrdered;
        }
        else if (key.StartsWith(PageTaggedPrefix, StringComparison.Ordinal))
        {
            format = IdempotencyKeyFormat.PageTagged;
        }
        else
        {
            return null;
        }

        for (var i = Prefix.Length; i < key.Length; i++)
        {
            // Both alphabets hold the same 32 characters (in another order).
            if (!Alphabet.Contains(key[i], StringComparison.Ordinal))
            {
                return null;
            }
        }

        return format;
    }

    /// <summary>
    /// Whether <paramref name="key"/> is the key of the send in its own format: what a message recorded by an earlier
    /// version (or by a run that keeps the format it started with) is recognised by.
    /// </summary>
    /// <param name="key">The key to check.</param>
    /// <param name="trigger">What caused the send.</param>
    /// <param name="customerId">The customer's id.</param>
    /// <param name="messageId">The catalog message's id.</param>
    /// <param name="sendAt">The planned send instant.</param>
    /// <returns><see langword="true"/> when <paramref name="key"/> is well formed and made from these fields.</returns>
    /// <remarks>A <see cref="IdempotencyKeyFormat.PageTagged"/> key is checked with its own tag: the tag says which page of a run made it, not which send.</remarks>
    public static bool IsKeyOf(string? key, string trigger, string customerId, string messageId, DateTimeOffset sendAt)
        => FormatOf(key) is { } format && string.Equals(key, Create(trigger, customerId, messageId, sendAt, format, TagOf(key)), StringComparison.Ordinal);

    /// <summary>The page tag of a <see cref="IdempotencyKeyFormat.PageTagged"/> key, or <see langword="null"/> for any other text.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The tag, for example <c>b7m2d</c>.</returns>
    public static string? TagOf(string? key)
        => FormatOf(key) == IdempotencyKeyFormat.PageTagged ? key!.Substring(PageTaggedPrefix.Length + SecondsLength, TagLength) : null;

    /// <summary>Draws a random page tag for <see cref="IdempotencyKeyFormat.PageTagged"/> keys: <see cref="TagLength"/> characters of <c>a-z2-7</c> (25 bits).</summary>
    /// <returns>The tag.</returns>
    public static string CreateTag()
    {
        var bits = System.Security.Cryptography.RandomNumberGenerator.GetInt32(1 << (5 * TagLength));
        return string.Create(TagLength, bits, static (chars, value) =>
        {
            for (var i = chars.Length - 1; i >= 0; i--)
            {
                chars[i] = SortableAlphabet[value & 31];
                value >>= 5;
            }
        });
    }

    /// <summary>Whether a text is a page tag: <see cref="TagLength"/> characters of <c>a-z2-7</c>.</summary>
    /// <param name="tag">The text.</param>
    /// <returns><see langword="true"/> when it is.</returns>
    public static bool IsTag(string? tag)
    {
        if (tag is null || tag.Length != TagLength)
        {
            return false;
        }

        foreach (var c in tag)
        {
            if (!Alphabet.Contains(c, StringComparison.Ordinal))
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

    private static void Base32(ReadOnlySpan<byte> bytes, Span<char> chars, string alphabet)
    {
        // 20 bytes = 160 bits = 32 characters of 5 bits; 16 bytes = 128 bits = 25 characters and 3 bits (the last character takes them, padded).
        var buffer = 0;
        var bits = 0;
        var index = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                chars[index++] = alphabet[(buffer >> (bits - 5)) & 31];
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            chars[index] = alphabet[(buffer << (5 - bits)) & 31];
        }
    }
}
