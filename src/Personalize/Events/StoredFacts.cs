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
///   varint count, flags (1: whole seconds since 1970, 2: packed key, 4: key of format 2), the instant (varint seconds since
///   1970-01-01, or 8 bytes little-endian UTC ticks), the key (20 bytes: its 32 base32 characters, 5 bits each; or
///   varint length + UTF-8)
/// then the other facts' JSON.
/// </code>
/// An ask is the fact <c>asked.QUESTION</c> a send records: a whole number ≥ 0 (the count), the send instant and the
/// message's idempotency key. Its JSON is 92 bytes (<c>{"asked.recipes":{"v":1,"at":…,"e":"pz2_…"}}</c>), its binary
/// form 39: a customer's first ask grows the customers row by that much, written with every later send of the customer.
/// Everything round-trips exactly, the set's order included; a fact of any other shape stays JSON.
/// </summary>
internal static class StoredFacts
{
    /// <summary>The first byte of the binary form.</summary>
    public const byte Tag = 0x01;

    private const byte WholeSeconds = 1;
    private const byte PackedKey = 2;
    private const byte SecondFormat = 4;
    private const int KeyChars = 32;
    private const int PackedKeyBytes = 20;
    private const string KeyAlphabet = "abcdefghijklmnopqrstuvwxyz234567";

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

            var key = (flags & PackedKey) != 0
                ? UnpackKey(Slice(stored, ref i, PackedKeyBytes), (flags & SecondFormat) != 0)
                : Encoding.UTF8.GetString(Slice(stored, ref i, ReadCount(stored, ref i)));
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

    private static void WriteAsk(ArrayBufferWriter<byte> buffer, int position, string name, Fact fact)
    {
        var id = name.AsSpan(Profiling.QuestionBank.AskedPrefix.Length);
        var idBytes = Encoding.UTF8.GetByteCount(id);
        var key = fact.EventId;
        var packed = IsPackable(key);
        var span = buffer.GetSpan(5 + 5 + idBytes + 10 + 1 + 10 + 5 + (packed ? PackedKeyBytes : Encoding.UTF8.GetByteCount(key)));
        var n = WriteVarint(span, (ulong)position);
        n += WriteVarint(span[n..], (ulong)idBytes);
        n += Encoding.UTF8.GetBytes(id, span[n..]);
        n += WriteVarint(span[n..], (ulong)(long)fact.Value!);
        var ticks = fact.At.UtcTicks;
        var whole = ticks % TimeSpan.TicksPerSecond == 0 && ticks >= DateTimeOffset.UnixEpoch.UtcTicks;
        span[n++] = (byte)((whole ? WholeSeconds : 0) | (packed ? PackedKey : 0) | (packed && key[2] == '2' ? SecondFormat : 0));
        if (whole)
        {
            n += WriteVarint(span[n..], (ulong)((ticks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerSecond));
        }
        else
        {
            BinaryPrimitives.WriteInt64LittleEndian(span[n..], ticks);
            n += 8;
        }

        if (packed)
        {
            PackKey(key.AsSpan(4), span.Slice(n, PackedKeyBytes));
            n += PackedKeyBytes;
        }
        else
        {
            var keyBytes = Encoding.UTF8.GetByteCount(key);
            n += WriteVarint(span[n..], (ulong)keyBytes);
            n += Encoding.UTF8.GetBytes(key, span[n..]);
        }

        buffer.Advance(n);
    }

    /// <summary>Whether a key is <c>pz1_</c> or <c>pz2_</c> and 32 characters of <c>a-z2-7</c> (every key the library makes).</summary>
    private static bool IsPackable(string key)
    {
        if (key.Length != 4 + KeyChars || !(key.StartsWith(Delivery.IdempotencyKey.Prefix, StringComparison.Ordinal) || key.StartsWith(Delivery.IdempotencyKey.TimeOrderedPrefix, StringComparison.Ordinal)))
        {
            return false;
        }

        foreach (var c in key.AsSpan(4))
        {
            if (c >= 128 || KeyValues[c] < 0)
            {
                return false;
            }
        }

        return true;
    }

    private static void PackKey(ReadOnlySpan<char> chars, Span<byte> into)
    {
        // 32 characters of 5 bits: four groups of 8 characters in 5 bytes (40 bits).
        for (var g = 0; g < 4; g++)
        {
            ulong bits = 0;
            for (var c = 0; c < 8; c++)
            {
                bits = (bits << 5) | (byte)KeyValues[chars[(g * 8) + c]];
            }

            for (var b = 4; b >= 0; b--)
            {
                into[(g * 5) + b] = (byte)bits;
                bits >>= 8;
            }
        }
    }

    private static string UnpackKey(ReadOnlySpan<byte> packed, bool secondFormat)
    {
        Span<char> key = stackalloc char[4 + KeyChars];
        (secondFormat ? Delivery.IdempotencyKey.TimeOrderedPrefix : Delivery.IdempotencyKey.Prefix).AsSpan().CopyTo(key);
        for (var g = 0; g < 4; g++)
        {
            ulong bits = 0;
            for (var b = 0; b < 5; b++)
            {
                bits = (bits << 8) | packed[(g * 5) + b];
            }

            for (var c = 7; c >= 0; c--)
            {
                key[4 + (g * 8) + c] = KeyAlphabet[(int)(bits & 31)];
                bits >>= 5;
            }
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
