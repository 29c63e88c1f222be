using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Personalize.Events;

/// <summary>
/// Reads stored facts in exactly the shape <see cref="CustomerFacts.WriteJson"/> writes —
/// <c>{"name":{"v":value,"at":ticks,"e":"event id"},…}</c> with no whitespace, texts of printable ASCII without escapes,
/// whole numbers of at most 18 digits, decimals as <c>{"d":"12.50"}</c> — byte by byte, without the JSON reader: the tick
/// reads the facts of every stored customer, and the general reader's tokenizing was most of its work. Anything else
/// (an escaped or non-ASCII text, whitespace, another order, a longer number, a name twice, more than
/// <see cref="MaxFacts"/> facts, JSON that is not facts) answers
/// <see langword="null"/>, and <see cref="CustomerFacts.ReadGeneral"/> reads it — or reports what is wrong with it — as
/// before, so both read every input alike.
/// </summary>
internal static class WrittenFacts
{
    private const int MaxDecimalLength = 64;
    private const int MaxNumberDigits = 18;

    // Bytes that end a plain text ('"'), or make it one the general reader must read: an escape, a control character, any byte beyond ASCII.
    private static readonly SearchValues<byte> TextStops = SearchValues.Create(Stops());

    private static readonly object True = true;
    private static readonly object False = false;

    /// <summary>The most facts this reader takes; a set with more (or with a name twice) is the JSON reader's.</summary>
    internal const int MaxFacts = 64;

    // The facts of one read, before they are copied into the set: one buffer per thread, not one per customer.
    [ThreadStatic]
    private static KeyValuePair<string, Fact>[]? t_read;

    /// <summary>The facts, or <see langword="null"/> when <paramref name="json"/> is not in the written shape.</summary>
    public static CustomerFacts? TryRead(ReadOnlySpan<byte> json, Utf8StringCache? strings)
    {
        var i = 0;
        if (!Skip(json, ref i, "{"u8))
        {
            return null;
        }

        if (Skip(json, ref i, "}"u8))
        {
            return i == json.Length ? CustomerFacts.Empty : null;
        }

        var facts = t_read ??= new KeyValuePair<string, Fact>[MaxFacts];
        var count = 0;
        try
        {
            return Read(json, ref i, strings, facts, ref count) ? CustomerFacts.Read(facts.AsSpan(0, count)) : null;
        }
        finally
        {
            facts.AsSpan(0, count).Clear(); // hold no customer's facts past the read
        }
    }

    private static bool Read(ReadOnlySpan<byte> json, ref int i, Utf8StringCache? strings, KeyValuePair<string, Fact>[] facts, ref int count)
    {
        while (true)
        {
            if (!Text(json, ref i, out var name) || !Skip(json, ref i, ":{\"v\":"u8) || i >= json.Length)
            {
                return false;
            }

            object? value;
            switch (json[i])
            {
                case (byte)'"':
                    if (!Text(json, ref i, out var text))
                    {
                        return false;
                    }

                    value = String(json.Slice(text.Start, text.Length), strings);
                    break;
                case (byte)'t':
                    if (!Skip(json, ref i, "true"u8))
                    {
                        return false;
                    }

                    value = True;
                    break;
                case (byte)'f':
                    if (!Skip(json, ref i, "false"u8))
                    {
                        return false;
                    }

                    value = False;
                    break;
                case (byte)'n':
                    if (!Skip(json, ref i, "null"u8))
                    {
                        return false;
                    }

                    value = null;
                    break;
                case (byte)'{':
                    if (!Skip(json, ref i, "{\"d\":"u8) || !Text(json, ref i, out var digits) || !Skip(json, ref i, "}"u8)
                        || !TryDecimal(json.Slice(digits.Start, digits.Length), out var d))
                    {
                        return false;
                    }

                    value = d;
                    break;
                default:
                    if (!Number(json, ref i, out var whole))
                    {
                        return false;
                    }

                    value = whole;
                    break;
            }

            if (!Skip(json, ref i, ",\"at\":"u8) || !Number(json, ref i, out var at) || at < 0 || at > DateTimeOffset.MaxValue.UtcTicks
                || !Skip(json, ref i, ",\"e\":"u8) || !Text(json, ref i, out var eventId) || !Skip(json, ref i, "}"u8))
            {
                return false;
            }

            var nameText = String(json.Slice(name.Start, name.Length), strings);
            if (count == MaxFacts || Listed(facts.AsSpan(0, count), nameText))
            {
                return false;
            }

            facts[count++] = new(nameText, new Fact(value, new DateTimeOffset(at, TimeSpan.Zero), String(json.Slice(eventId.Start, eventId.Length), strings)));
            if (Skip(json, ref i, ","u8))
            {
                continue;
            }

            return Skip(json, ref i, "}"u8) && i == json.Length;
        }
    }

    private static bool Listed(ReadOnlySpan<KeyValuePair<string, Fact>> facts, string name)
    {
        foreach (var (listed, _) in facts)
        {
            if (listed.Length == name.Length && string.Equals(listed, name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static string String(ReadOnlySpan<byte> ascii, Utf8StringCache? strings)
        => strings is null ? Encoding.ASCII.GetString(ascii) : strings.Get(ascii);

    /// <summary>Steps over <paramref name="expected"/> when the JSON continues with it.</summary>
    private static bool Skip(ReadOnlySpan<byte> json, ref int i, ReadOnlySpan<byte> expected)
    {
        if (!json[i..].StartsWith(expected))
        {
            return false;
        }

        i += expected.Length;
        return true;
    }

    /// <summary>A quoted text of printable ASCII without escapes: where its bytes start and how many.</summary>
    private static bool Text(ReadOnlySpan<byte> json, ref int i, out (int Start, int Length) text)
    {
        text = default;
        if (i >= json.Length || json[i] != (byte)'"')
        {
            return false;
        }

        var start = i + 1;
        var length = json[start..].IndexOfAny(TextStops);
        if (length < 0 || json[start + length] != (byte)'"')
        {
            return false;
        }

        text = (start, length);
        i = start + length + 1;
        return true;
    }

    /// <summary>A whole number as JSON writes it (no leading zeros, no fraction or exponent), at most 18 digits.</summary>
    private static bool Number(ReadOnlySpan<byte> json, ref int i, out long value)
    {
        value = 0;
        var negative = i < json.Length && json[i] == (byte)'-';
        var start = negative ? i + 1 : i;
        var end = start;

        // Eight digits at a time (an instant's ticks has 18): at most two blocks, so the value cannot overflow here.
        while (end - start <= 8 && end + 8 <= json.Length && EightDigits(json.Slice(end, 8), out var block))
        {
            value = (value * 100_000_000) + block;
            end += 8;
        }

        while (end < json.Length && (uint)(json[end] - '0') <= 9)
        {
            value = (value * 10) + (json[end] - '0');
            end++;
        }

        var count = end - start;
        if (count == 0 || count > MaxNumberDigits || (count > 1 && json[start] == (byte)'0')
            || (end < json.Length && json[end] is (byte)'.' or (byte)'e' or (byte)'E'))
        {
            return false;
        }

        value = negative ? -value : value;
        i = end;
        return true;
    }

    /// <summary>Eight ASCII digits (the first the most significant) as their value, read as one 64-bit word.</summary>
    private static bool EightDigits(ReadOnlySpan<byte> eight, out long value)
    {
        var word = BinaryPrimitives.ReadUInt64LittleEndian(eight);

        // Every byte 0x30..0x39: its high half is 3, and adding 6 does not carry out of its low half.
        if ((word & 0xF0F0F0F0F0F0F0F0UL) != 0x3030303030303030UL || ((word + 0x0606060606060606UL) & 0xF0F0F0F0F0F0F0F0UL) != 0x3030303030303030UL)
        {
            value = 0;
            return false;
        }

        word -= 0x3030303030303030UL;
        word = ((word * 10) + (word >> 8)) & 0x00FF00FF00FF00FFUL; // pairs of digits, 0..99
        word = ((word * 100) + (word >> 16)) & 0x0000FFFF0000FFFFUL; // fours, 0..9999
        value = (long)(((word * 10_000) + (word >> 32)) & 0xFFFFFFFFUL);
        return true;
    }

    private static bool TryDecimal(ReadOnlySpan<byte> ascii, out decimal value)
    {
        value = 0m;
        if (ascii.Length > MaxDecimalLength)
        {
            return false;
        }

        Span<char> chars = stackalloc char[ascii.Length];
        for (var c = 0; c < ascii.Length; c++)
        {
            chars[c] = (char)ascii[c];
        }

        return decimal.TryParse(chars, NumberStyles.Number, CultureInfo.InvariantCulture, out value);
    }

    private static byte[] Stops()
    {
        var stops = new List<byte> { (byte)'"', (byte)'\\' };
        for (var b = 0; b < 0x20; b++)
        {
            stops.Add((byte)b);
        }

        for (var b = 0x7F; b <= 0xFF; b++)
        {
            stops.Add((byte)b);
        }

        return [.. stops];
    }
}
