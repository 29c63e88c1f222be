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

        var hash = 2_166_136_261u;
        foreach (var b in utf8)
        {
            hash = (hash ^ b) * 16_777_619u;
        }

        var slot = (int)(hash % Slots);
        if (_strings[slot] is { } held && held.Length == utf8.Length && Ascii.Equals(utf8, held))
        {
            return held;
        }

        var text = Encoding.UTF8.GetString(utf8);
        _strings[slot] = text;
        return text;
    }
}
