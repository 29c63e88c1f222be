using System.Globalization;

namespace Personalize.Templates.Runtime;

/// <summary>
/// Formats the common decimals (prices: up to 19 significant digits) exactly like <c>decimal.ToString(culture)</c>
/// (all digits of the scale kept, e.g. <c>1.50</c>) without the general-purpose formatter's cost.
/// </summary>
internal static class DecimalFormatter
{
    public static bool TryFormat(decimal value, Span<char> destination, CultureInfo culture, out int written) =>
        TryFormat(value, destination, NumberFormatInfo.GetInstance(culture), out written);

    public static bool TryFormat(decimal value, Span<char> destination, NumberFormatInfo format, out int written)
    {
        written = 0;
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        if (bits[2] != 0)
        {
            return false;
        }

        var mantissa = ((ulong)(uint)bits[1] << 32) | (uint)bits[0];
        var scale = (bits[3] >> 16) & 0xFF;
        var negative = bits[3] < 0 && mantissa != 0;
        Span<char> digits = stackalloc char[20];
        if (!mantissa.TryFormat(digits, out var count, default, CultureInfo.InvariantCulture))
        {
            return false;
        }

        var sign = negative ? format.NegativeSign : string.Empty;
        var separator = format.NumberDecimalSeparator;
        var integerDigits = Math.Max(1, count - scale);
        var needed = sign.Length + integerDigits + (scale > 0 ? separator.Length + scale : 0);
        if (needed > destination.Length)
        {
            return false;
        }

        var position = 0;
        sign.AsSpan().CopyTo(destination);
        position += sign.Length;
        if (count > scale)
        {
            digits[..(count - scale)].CopyTo(destination[position..]);
            position += count - scale;
        }
        else
        {
            destination[position++] = '0';
        }

        if (scale > 0)
        {
            separator.AsSpan().CopyTo(destination[position..]);
            position += separator.Length;
            for (var i = count; i < scale; i++)
            {
                destination[position++] = '0';
            }

            var fraction = Math.Min(count, scale);
            digits.Slice(count - fraction, fraction).CopyTo(destination[position..]);
            position += fraction;
        }

        written = position;
        return true;
    }
}
