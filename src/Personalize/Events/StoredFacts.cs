using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace Personalize.Events;

/// <summary>
/// The bytes the SQLite and PostgreSQL stores keep a customer's facts in (ADR 0079). A set without a recorded ask is
/// <see cref="CustomerFacts.WriteJson"/>'s JSON, as before. A set with one starts with <see cref="Tag"/> (JSON starts with
/// <c>{</c>), then its asks in a compact binary form, then the JSON of its other facts (nothing when there are none):
/// <code>
/// 0x01, varint asks, varint other facts, per ask: varint position in the set, varint length + UTF-8 question id (the name after "asked."),
///   varint count, flags (1: whole seconds since 1970, 2: packed key, 4 and 8: the packed key's prefix pz1_ 0, pz2_ 4,
///   pz3_ 8; 16: the key's first 7 characters are the instant's seconds, not stored), the instant (varint seconds since
///   1970-01-01, or 8 bytes little-endian UTC ticks), the key (packed: its 32 base32 characters, 5 bits each, in 20
///   bytes, or with flag 16 its last 25 in 16; else varint length + UTF-8)
/// then the other facts' JSON.
/// </code>
/// An ask is the fact <c>asked.QUESTION</c> a send records: a whole number ≥ 0 (the count), the send instant and the
/// message's idempotency key. Its JSON is 92 bytes (<c>{"asked.recipes":{"v":1,"at":…,"e":"pz2_…"}}</c>), its binary
/// form 35 (39 before flag 16, ADR 0086: a time-ordered key begins with its send instant's second, which the ask holds
/// already): a customer's first ask grows the customers row by that much, written with every later send of the customer.
/// Everything round-trips exactly, the set's order included; a fact of any other shape stays JSON. Flags 8 and 16 are
/// SQLite migration 15's and PostgreSQL migration 11's; rows of migration 14 (flags 1, 2 and 4 only) read as they were.
/// </summary>
internal static class StoredFacts
{
    /// <summary>The first byte of the binary form.</summary>
    public const byte Tag = 0x01;

    private const byte WholeSeconds = 1;
    private const byte PackedKey = 2;

    // The packed key's prefix pzN_: (N - 1) in these two bits (pz1_ 0, pz2_ 4 as migration 14 wrote it, pz3_ 8).
    private const byte FormatBits = 4 | 8;
    private const int FormatShift = 2;

    // The key's first 7 characters are the ask's instant's seconds (a time-ordered key of its own send): not stored.
    private const byte InstantInKey = 16;
    private const byte KnownFlags = WholeSeconds | PackedKey | FormatBits | InstantInKey;
    private const int KeyChars = 32;
    private const int PackedKeyBytes = 20;
    private const int SecondsChars = Delivery.IdempotencyKey.SecondsLength;
    private const int ElidedKeyBytes = 16;
    private const string KeyAlphabet = Delivery.IdempotencyKey.Alphabet;

    // The value of each base32 character (-1 for any other byte).
    private static readonly sbyte[] KeyValues = KeyValueTable();

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    /// <summary>Whether <paramref name="name"/>/<paramref name="fact"/> is an ask the binary form holds.</summary>
    internal static bool IsAsk(string name, Fact fact)
        => fact.Value is long count && count >= 0 && name.Length > Profiling.QuestionBank.AskedPrefix.Length && name.StartsWith(Profiling.QuestionBank.AskedPrefix, StringComparison.Ordinal);

    /// <summary>The stored bytes of <paramref name="facts"/> (a new array of exactly their length).</summary>
    public static byte[] ToBytes(CustomerFacts facts)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        Write(facts, buffer, ref t_writer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Appends the stored bytes of <paramref name="facts"/> to <paramref name="buffer"/>; <paramref name="json"/> is the
    /// caller's JSON writer, made on first use and reset to the buffer (one per writer of the store, not one per customer).
    /// </summary>
    public static void Write(CustomerFacts facts, ArrayBufferWriter<byte> buffer, ref Utf8JsonWriter? json)
    {
        var asks = 0;
        var others = 0;
        foreach (var (name, fact) in facts.Walk())
        {
            if (IsAsk(name, fact))
            {
                asks++;
            }
            else
            {
                others++;
            }
        }

        if (asks > 0)
        {
            var span = buffer.GetSpan(1 + 5 + 5);
            span[0] = Tag;
            var length = 1 + WriteVarint(span[1..], (ulong)asks);
            length += WriteVarint(span[length..], (ulong)others);
            buffer.Advance(length);
            var position = 0;
            foreach (var (name, fact) in facts.Walk())
            {
                if (IsAsk(name, fact))
                {
                    WriteAsk(buffer, position, name, fact);
                }

                position++;
            }

            if (others == 0)
            {
                return;
            }
        }

        if (json is null)
        {
            json = new Utf8JsonWriter(buffer);
        }
        else
        {
            json.Reset(buffer);
        }

        facts.WriteJson(json, skipAsks: asks > 0);
    }

    /// <summary>Reads what <see cref="Write"/> wrote (or, from a store written before it, <see cref="CustomerFacts.ToJson"/>'s JSON).</summary>
    public static CustomerFacts Read(ReadOnlySpan<byte> stored, Utf8StringCache? strings = null)
    {
        if (stored.IsEmpty || stored[0] != Tag)
        {
            return CustomerFacts.FromJson(stored, strings);
        }

        var i = 1;
        var asks = ReadCount(stored, ref i);
        var expectedOthers = ReadCount(stored, ref i);
        // Both counts are known up front: each ask goes straight to its place in the set's one array.
        var all = new KeyValuePair<string, Fact>[asks + expectedOthers];
        Span<byte> name = stackalloc byte[Profiling.QuestionBank.AskedPrefix.Length + 128];
        "asked."u8.CopyTo(name);
        for (var a = 0; a < asks; a++)
        {
            var position = ReadCount(stored, ref i);
            var idLength = ReadCount(stored, ref i);
            var id = Slice(stored, ref i, idLength);
            string fullName;
            if (id.Length <= name.Length - 6)
            {
                id.CopyTo(name[6..]);
                var utf8 = name[..(6 + id.Length)];
                fullName = strings is null ? Encoding.UTF8.GetString(utf8) : strings.Get(utf8);
            }
            else
            {
                fullName = Profiling.QuestionBank.AskedPrefix + Encoding.UTF8.GetString(id);
            }

            var count = (long)ReadVarint(stored, ref i);
            var flags = Slice(stored, ref i, 1)[0];
            if (!ValidFlags(flags))
            {
                throw Corrupt($"an ask with flags {flags} that this version does not write");
            }

            long ticks;
            if ((flags & WholeSeconds) != 0)
            {
                var seconds = ReadVarint(stored, ref i);
                ticks = seconds <= (ulong)((DateTimeOffset.MaxValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerSecond)
                    ? DateTimeOffset.UnixEpoch.UtcTicks + ((long)seconds * TimeSpan.TicksPerSecond)
                    : throw Corrupt("an instant out of range");
            }
            else
            {
                ticks = BinaryPrimitives.ReadInt64LittleEndian(Slice(stored, ref i, 8));
                if (ticks < 0 || ticks > DateTimeOffset.MaxValue.UtcTicks)
                {
                    throw Corrupt("an instant out of range");
                }
            }

            var key = (flags & PackedKey) == 0
                ? Encoding.UTF8.GetString(Slice(stored, ref i, ReadCount(stored, ref i)))
                : (flags & InstantInKey) != 0
                    ? UnpackKey(Slice(stored, ref i, ElidedKeyBytes), flags, (ticks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerSecond)
                    : UnpackKey(Slice(stored, ref i, PackedKeyBytes), flags, -1);
            if (position >= all.Length || all[position].Key is not null)
            {
                throw Corrupt("an ask at a position out of range or taken twice");
            }

            all[position] = new(fullName, new Fact(count < SmallCounts.Length ? SmallCounts[count] : count, new DateTimeOffset(ticks, TimeSpan.Zero), key));
        }

        var others = i < stored.Length ? CustomerFacts.FromJson(stored[i..], strings) : CustomerFacts.Empty;
        if (others.Count != expectedOthers)
        {
            throw Corrupt($"{others.Count} other facts where {expectedOthers} were written");
        }

        var at = 0;
        foreach (var pair in others.Walk())
        {
            while (all[at].Key is not null)
            {
                at++;
            }

            all[at++] = pair;
        }

        return CustomerFacts.Own(all);
    }

    // The counts most asks hold, boxed once (a fact's value is an object).
    private static readonly object[] SmallCounts = [.. Enumerable.Range(0, 16).Select(static n => (object)(long)n)];

    /// <summary>
    /// Whether an ask's flags are ones <see cref="WriteAsk"/> writes: no unknown bit, a key prefix only for a packed key
    /// (pz1_ to pz3_), and the instant left out of the key only for a packed time-ordered key with an instant in seconds.
    /// </summary>
    private static bool ValidFlags(byte flags)
    {
        var format = (flags & FormatBits) >> FormatShift;
        return (flags & ~KnownFlags) == 0
            && format < 3
            && ((flags & PackedKey) != 0 || format == 0)
            && ((flags & InstantInKey) == 0 || ((flags & WholeSeconds) != 0 && (flags & PackedKey) != 0 && format > 0));
    }

    private static void WriteAsk(ArrayBufferWriter<byte> buffer, int position, string name, Fact fact)
    {
        var id = name.AsSpan(Profiling.QuestionBank.AskedPrefix.Length);
        var idBytes = Encoding.UTF8.GetByteCount(id);
        var key = fact.EventId;
        var span = buffer.GetSpan(5 + 5 + idBytes + 10 + 1 + 10 + 5 + Math.Max(PackedKeyBytes, Encoding.UTF8.GetMaxByteCount(key.Length)));
        var n = WriteVarint(span, (ulong)position);
        n += WriteVarint(span[n..], (ulong)idBytes);
        n += Encoding.UTF8.GetBytes(id, span[n..]);
        n += WriteVarint(span[n..], (ulong)(long)fact.Value!);
        var ticks = fact.At.UtcTicks;
        var whole = ticks % TimeSpan.TicksPerSecond == 0 && ticks >= DateTimeOffset.UnixEpoch.UtcTicks;
        var seconds = whole ? (ticks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerSecond : -1;
        var flagsAt = n++;
        if (whole)
        {
            n += WriteVarint(span[n..], (ulong)seconds);
        }
        else
        {
            BinaryPrimitives.WriteInt64LittleEndian(span[n..], ticks);
            n += 8;
        }

        // The key packed when it is pzN_ (N 1 to 3) and 32 base32 characters (every key the library makes); of a
        // time-ordered key whose first 7 characters are the instant's seconds, only the other 25.
        var format = PackableFormat(key);
        byte flags = whole ? WholeSeconds : (byte)0;
        if (format > 1 && whole && SecondsMatch(key.AsSpan(4, SecondsChars), seconds)
            && Pack(key.AsSpan(4 + SecondsChars), span.Slice(n, ElidedKeyBytes)))
        {
            flags |= (byte)(PackedKey | InstantInKey | ((format - 1) << FormatShift));
            n += ElidedKeyBytes;
        }
        else if (format > 0 && Pack(key.AsSpan(4), span.Slice(n, PackedKeyBytes)))
        {
            flags |= (byte)(PackedKey | ((format - 1) << FormatShift));
            n += PackedKeyBytes;
        }
        else
        {
            var keyBytes = Encoding.UTF8.GetByteCount(key);
            n += WriteVarint(span[n..], (ulong)keyBytes);
            n += Encoding.UTF8.GetBytes(key, span[n..]);
        }

        span[flagsAt] = flags;
        buffer.Advance(n);
    }

    /// <summary>N of a key <c>pzN_</c> (1 to 3) of 36 characters, else 0 (the characters after the prefix are checked as they are packed).</summary>
    private static int PackableFormat(string key)
        => key.Length == 4 + KeyChars && key[0] == 'p' && key[1] == 'z' && key[2] is >= '1' and <= '3' && key[3] == '_' ? key[2] - '0' : 0;

    /// <summary>Whether <paramref name="chars"/> are the 7 characters a time-ordered key makes of <paramref name="seconds"/> (IdempotencyKey's second format).</summary>
    private static bool SecondsMatch(ReadOnlySpan<char> chars, long seconds)
    {
        if (seconds > Delivery.IdempotencyKey.MaxSeconds)
        {
            return false;
        }

        Span<char> made = stackalloc char[SecondsChars];
        Delivery.IdempotencyKey.WriteSeconds(seconds, made);
        return chars.SequenceEqual(made);
    }

    /// <summary>
    /// Packs base32 characters (5 bits each, first character in the highest bits) into <paramref name="into"/>, the
    /// last byte's unused low bits zero; <see langword="false"/> (nothing usable written) when a character is not base32.
    /// 32 characters fill 20 bytes exactly, 25 fill 16 but 3 bits.
    /// </summary>
    private static bool Pack(ReadOnlySpan<char> chars, Span<byte> into)
    {
        ulong bits = 0;
        var held = 0;
        var at = 0;
        foreach (var c in chars)
        {
            if (c >= 128 || KeyValues[c] is var value && value < 0)
            {
                return false;
            }

            bits = (bits << 5) | (byte)value;
            held += 5;
            if (held >= 8)
            {
                held -= 8;
                into[at++] = (byte)(bits >> held);
            }
        }

        if (held > 0)
        {
            into[at] = (byte)(bits << (8 - held));
        }

        return true;
    }

    /// <summary>
    /// The key <see cref="Pack"/> packed: prefix <c>pzN_</c> from <paramref name="flags"/>, then (when
    /// <paramref name="seconds"/> ≥ 0) the 7 characters of those seconds, then the packed characters.
    /// </summary>
    private static string UnpackKey(ReadOnlySpan<byte> packed, byte flags, long seconds)
    {
        Span<char> key = stackalloc char[4 + KeyChars];
        "pz".AsSpan().CopyTo(key);
        key[2] = (char)('1' + ((flags & FormatBits) >> FormatShift));
        key[3] = '_';
        var at = 4;
        if (seconds >= 0)
        {
            if (seconds > Delivery.IdempotencyKey.MaxSeconds)
            {
                throw Corrupt("an instant beyond what a key holds");
            }

            Delivery.IdempotencyKey.WriteSeconds(seconds, key.Slice(4, SecondsChars));

            at += SecondsChars;
        }

        ulong bits = 0;
        var held = 0;
        var b = 0;
        for (; at < key.Length; at++)
        {
            if (held < 5)
            {
                bits = (bits << 8) | packed[b++];
                held += 8;
            }

            held -= 5;
            key[at] = KeyAlphabet[(int)((bits >> held) & 31)];
        }

        if ((bits & ((1UL << held) - 1)) != 0)
        {
            throw Corrupt("a key with bits past its end");
        }

        return new string(key);
    }

    private static sbyte[] KeyValueTable()
    {
        var table = new sbyte[128];
        table.AsSpan().Fill(-1);
        for (var i = 0; i < KeyAlphabet.Length; i++)
        {
            table[KeyAlphabet[i]] = (sbyte)i;
        }

        return table;
    }

    private static int WriteVarint(Span<byte> span, ulong value)
    {
        var n = 0;
        while (value >= 0x80)
        {
            span[n++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[n++] = (byte)value;
        return n;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> stored, ref int i)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = Slice(stored, ref i, 1)[0];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw Corrupt("a number longer than 64 bits");
    }

    private static int ReadCount(ReadOnlySpan<byte> stored, ref int i)
        => ReadVarint(stored, ref i) is var value && value <= (ulong)stored.Length ? (int)value : throw Corrupt("a length or position beyond its end");

    private static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> stored, ref int i, int length)
    {
        if (length > stored.Length - i)
        {
            throw Corrupt("an ask cut short");
        }

        var slice = stored.Slice(i, length);
        i += length;
        return slice;
    }

    private static InvalidDataException Corrupt(string what)
        => new($"The stored facts are damaged: {what}. They were not written by this library, or the database was changed by hand; restore the customer's row from a backup.");
}
