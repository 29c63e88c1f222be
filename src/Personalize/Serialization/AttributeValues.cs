using System.Text.Json;

namespace Personalize.Serialization;

/// <summary>
/// One thread's recently read attribute values, by their JSON text (ADR 0056). Stored profiles repeat values — a tier, a
/// city, a plan, a list shared by a segment —, and a value whose JSON text is byte for byte one this thread read before
/// is that <see cref="JsonElement"/> again (the same JSON, so the same element to every reader: elements are
/// immutable and a <see cref="JsonDocument"/> is safe to read from several threads). The values a profile does not find
/// here are parsed together, as one JSON array, into one document; those of at most <see cref="MaxHeldBytes"/> are
/// then held for the next profiles.
/// </summary>
/// <remarks>
/// A two-way set-associative table of <see cref="Slots"/> values: a value has two places (by its hash), and replaces the
/// one of them used less recently — so two values used in turn whose hashes meet both stay (in a direct-mapped table they
/// put each other out, and each was parsed again every time). What it keeps alive is
/// bounded: at most <see cref="Slots"/> documents, each of at most <see cref="MaxHeldBatchBytes"/> of JSON (the held
/// values a profile parsed together; a larger value, or the values past that budget, are parsed in a document of their
/// own that is never held).
/// </remarks>
internal sealed class AttributeValues
{
    /// <summary>How many values a thread holds.</summary>
    internal const int Slots = 1024;

    /// <summary>The longest value (in bytes of JSON) held for later profiles.</summary>
    internal const int MaxHeldBytes = 1024;

    /// <summary>The most JSON in one document of held values.</summary>
    internal const int MaxHeldBatchBytes = 8 * 1024;

    private static readonly JsonReaderOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 64 };

    private readonly JsonElement[] _elements = new JsonElement[Slots];
    private readonly int[] _hashes = new int[Slots];

    // Per set of two places: which one was used last (0 or 1); the other is replaced next.
    private readonly byte[] _lastUsed = new byte[Slots / 2];
#if !NET9_0_OR_GREATER
    private readonly byte[]?[] _texts = new byte[Slots][];
#endif
    private byte[] _buffer = new byte[4096];

    /// <summary>The values at <paramref name="ranges"/> of <paramref name="utf8Json"/> (each a complete JSON value), in order.</summary>
    public JsonElement[] Values(ReadOnlySpan<byte> utf8Json, ReadOnlySpan<(int Start, int Length)> ranges) => Values(utf8Json, ranges, default);

    /// <summary>
    /// The values at <paramref name="ranges"/> of <paramref name="utf8Json"/> (each a complete JSON value), in order; where
    /// <paramref name="known"/> has an element (not <see langword="default"/>), the caller knows it holds that very JSON
    /// text, and it is taken as it is.
    /// </summary>
    public JsonElement[] Values(ReadOnlySpan<byte> utf8Json, ReadOnlySpan<(int Start, int Length)> ranges, ReadOnlySpan<JsonElement> known)
    {
        var values = new JsonElement[ranges.Length];

        // Each value: found (0), parsed and then held (1), or parsed and not held (2).
        Span<byte> kinds = ranges.Length <= 256 ? stackalloc byte[ranges.Length] : new byte[ranges.Length];
        Span<int> hashes = ranges.Length <= 256 ? stackalloc int[ranges.Length] : new int[ranges.Length];
        int held = 0, heldBytes = 0, other = 0, otherBytes = 0;
        for (var i = 0; i < ranges.Length; i++)
        {
            if (i < known.Length && known[i].ValueKind != JsonValueKind.Undefined)
            {
                values[i] = known[i];
                kinds[i] = 0;
                continue;
            }

            var text = utf8Json.Slice(ranges[i].Start, ranges[i].Length);
            if (text.Length <= MaxHeldBytes)
            {
                var hash = hashes[i] = Hash(text);
                if (TryFind(text, hash, out values[i]))
                {
                    kinds[i] = 0;
                    continue;
                }

                if (heldBytes + text.Length + 1 <= MaxHeldBatchBytes)
                {
                    kinds[i] = 1;
                    held++;
                    heldBytes += text.Length + 1;
                    continue;
                }
            }

            kinds[i] = 2;
            other++;
            otherBytes += text.Length + 1;
        }

        if (held > 0)
        {
            Parse(utf8Json, ranges, kinds, 1, heldBytes, values, hold: true, hashes);
        }

        if (other > 0)
        {
            Parse(utf8Json, ranges, kinds, 2, otherBytes, values, hold: false, hashes);
        }

        return values;
    }

    /// <summary>Parses the values of one kind as one JSON array and puts each element in its place (and in this table when <paramref name="hold"/>).</summary>
    private void Parse(ReadOnlySpan<byte> utf8Json, ReadOnlySpan<(int Start, int Length)> ranges, ReadOnlySpan<byte> kinds, byte kind, int bytes, JsonElement[] values, bool hold, ReadOnlySpan<int> hashes)
    {
        if (_buffer.Length < bytes + 1)
        {
            _buffer = new byte[Math.Max(bytes + 1, _buffer.Length * 2)];
        }

        var buffer = _buffer;
        var length = 0;
        for (var i = 0; i < ranges.Length; i++)
        {
            if (kinds[i] == kind)
            {
                buffer[length] = length == 0 ? (byte)'[' : (byte)',';
                length++;
                utf8Json.Slice(ranges[i].Start, ranges[i].Length).CopyTo(buffer.AsSpan(length));
                length += ranges[i].Length;
            }
        }

        buffer[length++] = (byte)']';
        var reader = new Utf8JsonReader(buffer.AsSpan(0, length), Options);
        reader.Read();
        var array = JsonElement.ParseValue(ref reader);
        var items = array.EnumerateArray();
        for (var i = 0; i < ranges.Length; i++)
        {
            if (kinds[i] != kind)
            {
                continue;
            }

            items.MoveNext();
            var element = values[i] = items.Current;
            if (hold)
            {
                Hold(utf8Json.Slice(ranges[i].Start, ranges[i].Length), hashes[i], element);
            }
        }
    }

    private bool TryFind(ReadOnlySpan<byte> text, int hash, out JsonElement element)
    {
        var set = hash & ((Slots / 2) - 1);
        for (var way = 0; way < 2; way++)
        {
            var slot = (set * 2) + way;
            if (_hashes[slot] == hash && _elements[slot].ValueKind != JsonValueKind.Undefined && text.SequenceEqual(TextOf(slot)))
            {
                _lastUsed[set] = (byte)way;
                element = _elements[slot];
                return true;
            }
        }

        element = default;
        return false;
    }

    private void Hold(ReadOnlySpan<byte> text, int hash, JsonElement element)
    {
        var set = hash & ((Slots / 2) - 1);
        var way = 1 - _lastUsed[set];
        var slot = (set * 2) + way;
        _lastUsed[set] = (byte)way;
        _hashes[slot] = hash;
        _elements[slot] = element;
#if !NET9_0_OR_GREATER
        _texts[slot] = text.ToArray();
#else
        _ = text;
#endif
    }

#if NET9_0_OR_GREATER
    private ReadOnlySpan<byte> TextOf(int slot) => System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(_elements[slot]);
#else
    private ReadOnlySpan<byte> TextOf(int slot) => _texts[slot];
#endif

    /// <summary>A hash of the value's length and up to three 16-byte samples (a collision only costs a comparison and a parse).</summary>
    private static int Hash(ReadOnlySpan<byte> text)
    {
        var hash = default(HashCode);
        hash.Add(text.Length);
        if (text.Length <= 48)
        {
            hash.AddBytes(text);
        }
        else
        {
            hash.AddBytes(text[..16]);
            hash.AddBytes(text.Slice((text.Length / 2) - 8, 16));
            hash.AddBytes(text[^16..]);
        }

        return hash.ToHashCode();
    }
}
