using System.Globalization;

namespace Personalize.Events;

/// <summary>
/// One fact about a customer that events keep up to date (<c>order_count</c>, <c>last_purchase_at</c>,
/// <c>nps_score</c>…), with the event that last changed it: every fact is traceable to its event.
/// </summary>
/// <remarks>Values are text, whole numbers (<see cref="long"/>), decimals (<see cref="decimal"/>), true/false or null; instants are stored as ISO 8601 text in UTC.</remarks>
public sealed record Fact
{
    // The instant as UTC ticks (the fact keeps UTC only): 8 bytes, not a DateTimeOffset's 16. Stores read a fact per
    // stored fact of every customer they page through, and a send that records its question's ask makes one per message.
    private readonly long _utcTicks;

    /// <summary>Creates a fact.</summary>
    /// <param name="value">The value: a <see cref="string"/>, <see cref="long"/>, <see cref="decimal"/>, <see cref="bool"/> or <see langword="null"/>.</param>
    /// <param name="at">When the event that set it happened.</param>
    /// <param name="eventId">The id of that event.</param>
    /// <exception cref="ArgumentException">The value is of another type.</exception>
    public Fact(object? value, DateTimeOffset at, string eventId)
    {
        ArgumentNullException.ThrowIfNull(eventId);
        Value = value switch
        {
            null or string or long or decimal or bool => value,
            int i => (long)i,
            DateTimeOffset d => Format(d),
            _ => throw new ArgumentException($"A fact holds text, a whole number, a decimal, true/false or null, not {value.GetType().Name}.", nameof(value)),
        };
        _utcTicks = at.UtcTicks;
        EventId = eventId;
    }

    /// <summary>Gets the value.</summary>
    public object? Value { get; }

    /// <summary>Gets when the event that set the fact happened (UTC).</summary>
    public DateTimeOffset At => new(_utcTicks, TimeSpan.Zero);

    /// <summary>Gets the id of the event that set the fact.</summary>
    public string EventId { get; }

    /// <summary>Formats an instant as facts hold it: ISO 8601 in UTC to the second, for example <c>2026-03-01T09:30:00Z</c>.</summary>
    /// <param name="at">The instant.</param>
    /// <returns>The text.</returns>
    public static string Format(DateTimeOffset at)
    {
        // By hand: events set one or two instants each, and a custom format string is parsed on every call.
        // Same text as the format "yyyy-MM-dd'T'HH:mm:ss'Z'" in the invariant culture (years 1 to 9999 in four digits).
        return string.Create(20, at.UtcDateTime, static (chars, t) =>
        {
            Digits(chars[..4], t.Year);
            chars[4] = '-';
            Digits(chars.Slice(5, 2), t.Month);
            chars[7] = '-';
            Digits(chars.Slice(8, 2), t.Day);
            chars[10] = 'T';
            Digits(chars.Slice(11, 2), t.Hour);
            chars[13] = ':';
            Digits(chars.Slice(14, 2), t.Minute);
            chars[16] = ':';
            Digits(chars.Slice(17, 2), t.Second);
            chars[19] = 'Z';
        });

        static void Digits(Span<char> into, int value)
        {
            for (var i = into.Length - 1; i >= 0; i--)
            {
                into[i] = (char)('0' + (value % 10));
                value /= 10;
            }
        }
    }

    /// <summary>Reads the value as an instant (a fact written by <see cref="Format"/> or any ISO 8601 text with an offset).</summary>
    /// <param name="at">The instant.</param>
    /// <returns>Whether the value is an instant.</returns>
    public bool TryGetInstant(out DateTimeOffset at)
    {
        at = default;
        if (Value is not string text || text.Length < 10)
        {
            return false;
        }

        // The instants facts hold are written by Format: read that shape by hand (the tick reads several per stored
        // customer; a culture-aware parse costs ten times as much), anything else the general way.
        if (TryReadFormatted(text, out var utcTicks))
        {
            at = new DateTimeOffset(utcTicks, TimeSpan.Zero);
            return true;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out at);
    }

    /// <summary>Whether <paramref name="text"/> is what <see cref="Format"/> writes for <paramref name="at"/> (compared without writing it).</summary>
    internal static bool IsFormatOf(string text, DateTimeOffset at)
        => TryReadFormatted(text, out var ticks) && ticks == at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerSecond);

    /// <summary>Reads <c>yyyy-MM-ddTHH:mm:ssZ</c> (what <see cref="Format"/> writes) into UTC ticks; false for any other text or an impossible date.</summary>
    private static bool TryReadFormatted(string text, out long ticks)
    {
        ticks = 0;
        if (text.Length != 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':' || text[19] != 'Z')
        {
            return false;
        }

        if (!Digits(text, 0, 4, out var year) || !Digits(text, 5, 2, out var month) || !Digits(text, 8, 2, out var day)
            || !Digits(text, 11, 2, out var hour) || !Digits(text, 14, 2, out var minute) || !Digits(text, 17, 2, out var second)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        ticks = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).Ticks;
        return true;

        static bool Digits(string text, int start, int length, out int value)
        {
            value = 0;
            for (var i = start; i < start + length; i++)
            {
                var digit = (uint)(text[i] - '0');
                if (digit > 9)
                {
                    return false;
                }

                value = (value * 10) + (int)digit;
            }

            return true;
        }
    }

    /// <summary>Reads the value as a number (a whole number or decimal).</summary>
    /// <returns>The number, or 0 when the value is not a number.</returns>
    public decimal Number => Value switch
    {
        long l => l,
        decimal d => d,
        _ => 0m,
    };
}
