using System.Globalization;

namespace Personalize.Events;

/// <summary>
/// One fact about a customer that events keep up to date (<c>order_count</c>, <c>last_purchase_at</c>,
/// <c>nps_score</c>…), with the event that last changed it: every fact is traceable to its event.
/// </summary>
/// <remarks>Values are text, whole numbers (<see cref="long"/>), decimals (<see cref="decimal"/>), true/false or null; instants are stored as ISO 8601 text in UTC.</remarks>
public sealed record Fact
{
    private readonly DateTimeOffset _at;

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
        _at = at.ToUniversalTime();
        EventId = eventId;
    }

    /// <summary>Gets the value.</summary>
    public object? Value { get; }

    /// <summary>Gets when the event that set the fact happened (UTC).</summary>
    public DateTimeOffset At => _at;

    /// <summary>Gets the id of the event that set the fact.</summary>
    public string EventId { get; }

    /// <summary>Formats an instant as facts hold it: ISO 8601 in UTC to the second, for example <c>2026-03-01T09:30:00Z</c>.</summary>
    /// <param name="at">The instant.</param>
    /// <returns>The text.</returns>
    public static string Format(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

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

        // The instants facts hold are written by Format: read that shape directly, anything else the general way.
        if (text.Length == 20 && text[4] == '-' && text[7] == '-' && text[10] == 'T' && text[13] == ':' && text[16] == ':' && text[19] == 'Z'
            && DateTime.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var utc))
        {
            at = new DateTimeOffset(utc.Ticks, TimeSpan.Zero);
            return true;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out at);
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
