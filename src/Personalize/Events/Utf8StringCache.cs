using System.Buffers.Binary;
using System.Text;

namespace Personalize.Events;

/// <summary>
/// A small cache of strings by their UTF-8 bytes, for one reader at a time (not thread-safe): the facts of every
/// customer repeat the same names, event ids and instants, so a page of customers allocates each such string once.
/// A slot holds the last string whose bytes hashed to it; a miss replaces it. A slot is compared as ASCII (the names,
/// ids and instants it is for): a string with other characters is never found, so it is made afresh each time — still
/// right, only not shared.
/// </summary>
internal sealed class Utf8StringCache
{
    private const int Slots = 512;
    private const int MaxLength = 64;
    private readonly string?[] _strings = new string[Slots];

    /// <summary>The string of <paramref name="utf8"/> (unescaped UTF-8), from the cache when it holds it.</summary>
    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxLength)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        var slot = (int)(Hash(utf8) % Slots);
        if (_strings[slot] is { } held && held.Length == utf8.Length && Ascii.Equals(utf8, held))
        {
            return held;
        }

        var text = Encoding.UTF8.GetString(utf8);
        _strings[slot] = text;
        return text;
    }

    /// <summary>Mixes the bytes eight at a time (the last eight overlap the block before when the length is not a multiple of eight).</summary>
    private static uint Hash(ReadOnlySpan<byte> utf8)
    {
        const ulong Multiplier = 0x9E3779B97F4A7C15UL;
        var hash = (ulong)utf8.Length * Multiplier;
        if (utf8.Length < 8)
        {
            ulong word = 0;
            foreach (var b in utf8)
            {
                word = (word << 8) | b;
            }

            return Finish((hash ^ word) * Multiplier);
        }

        var i = 0;
        for (; i + 8 <= utf8.Length; i += 8)
        {
            hash = (hash ^ BinaryPrimitives.ReadUInt64LittleEndian(utf8[i..])) * Multiplier;
            hash ^= hash >> 29;
        }

        if (i < utf8.Length)
        {
            hash = (hash ^ BinaryPrimitives.ReadUInt64LittleEndian(utf8[^8..])) * Multiplier;
        }

        return Finish(hash);

        // A product's low bits see only the input's low bits: fold the high half down and multiply again, so every byte reaches the slot.
        static uint Finish(ulong hash)
        {
            hash = (hash ^ (hash >> 33)) * 0xFF51AFD7ED558CCDUL;
            return (uint)((hash ^ (hash >> 33)) >> 32);
        }
    }
}
