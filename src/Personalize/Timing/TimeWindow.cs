using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Personalize.Timing;

/// <summary>
/// A window of local time of day, <c>[Start, End)</c>, in the customer's own time zone.
/// When <see cref="End"/> is not after <see cref="Start"/> the window crosses midnight
/// (<c>21:00–08:00</c>); an <see cref="End"/> of <c>00:00</c> means "until midnight" (written <c>24:00</c>).
/// </summary>
public readonly record struct TimeWindow
{
    /// <summary>Creates a window.</summary>
    /// <param name="start">The first local time inside the window.</param>
    /// <param name="end">The first local time after the window.</param>
    /// <exception cref="ArgumentException"><paramref name="start"/> equals <paramref name="end"/> (an empty or whole-day window is ambiguous).</exception>
    public TimeWindow(TimeOnly start, TimeOnly end)
    {
        if (start == end)
        {
            throw new ArgumentException("A time window's start and end must differ.", nameof(end));
        }

        Start = start;
        End = end;
    }

    /// <summary>The first local time inside the window.</summary>
    public TimeOnly Start { get; }

    /// <summary>The first local time after the window; <c>00:00</c> means midnight at the end of the day.</summary>
    public TimeOnly End { get; }

    /// <summary>Whether the window runs past midnight into the next day (an end of <c>00:00</c> does not count).</summary>
    public bool CrossesMidnight => End < Start && End != TimeOnly.MinValue;

    /// <summary>Whether a local time of day is inside the window.</summary>
    /// <param name="time">The local time of day.</param>
    /// <returns><see langword="true"/> when inside.</returns>
    public bool Contains(TimeOnly time) => Start < End
        ? time >= Start && time < End
        : time >= Start || time < End;

    /// <summary>Parses <c>HH:mm</c> (or <c>HH:mm:ss</c>); <c>24:00</c> is accepted as the end of the day.</summary>
    /// <param name="text">The text.</param>
    /// <param name="time">The time of day.</param>
    /// <param name="allowEndOfDay">Whether <c>24:00</c> is accepted (it parses as <c>00:00</c>).</param>
    /// <returns><see langword="true"/> when the text is a time of day.</returns>
    public static bool TryParseTimeOfDay([NotNullWhen(true)] string? text, out TimeOnly time, bool allowEndOfDay = false)
    {
        time = default;
        if (text is null)
        {
            return false;
        }

        if (allowEndOfDay && (text == "24:00" || text == "24:00:00"))
        {
            time = TimeOnly.MinValue;
            return true;
        }

        return TimeOnly.TryParseExact(text, ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out time);
    }

    /// <summary>Formats as <c>HH:mm–HH:mm</c>, with <c>24:00</c> for an end at midnight.</summary>
    /// <returns>For example <c>21:00–08:00</c>.</returns>
    public override string ToString() => FormatStart() + "–" + FormatEnd();

    /// <summary>The start as <c>HH:mm</c>.</summary>
    /// <returns>For example <c>09:00</c>.</returns>
    public string FormatStart() => Start.ToString(Start.Second == 0 ? "HH:mm" : "HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>The end as <c>HH:mm</c>, with <c>24:00</c> for an end at midnight when the start is later in the day.</summary>
    /// <returns>For example <c>24:00</c>.</returns>
    public string FormatEnd() => End == TimeOnly.MinValue && Start > End
        ? "24:00"
        : End.ToString(End.Second == 0 ? "HH:mm" : "HH:mm:ss", CultureInfo.InvariantCulture);
}
