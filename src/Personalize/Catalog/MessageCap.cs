using System.Globalization;

namespace Personalize.Catalog;

/// <summary>
/// A per-message cap: the same message at most <see cref="Max"/> times per rolling <see cref="Per"/>
/// (<c>(t - Per, t]</c>), or at most <see cref="Max"/> times ever when <see cref="Per"/> is <see langword="null"/>.
/// Counted from the contact history by message id, on every channel.
/// </summary>
public sealed record MessageCap
{
    /// <summary>The most sends allowed (1 or more).</summary>
    public required int Max { get; init; }

    /// <summary>The rolling window.</summary>
    /// <value>The default value is <see langword="null"/> (ever).</value>
    public TimeSpan? Per { get; init; }

    /// <summary>Once ever.</summary>
    public static MessageCap OnceEver { get; } = new() { Max = 1 };

    /// <summary>Once per rolling window.</summary>
    /// <param name="window">The window, for example 30 days.</param>
    /// <returns>The cap.</returns>
    public static MessageCap OncePer(TimeSpan window) => new() { Max = 1, Per = window };

    /// <summary>Describes the cap, for example <c>once per 30 days</c> or <c>at most 2 times ever</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString()
    {
        var times = Max == 1 ? "once" : "at most " + Max.ToString(CultureInfo.InvariantCulture) + " times";
        return Per is { } per ? times + " per " + DescribeSpan(per) : times + " ever";
    }

    internal static string DescribeSpan(TimeSpan span)
    {
        var c = CultureInfo.InvariantCulture;
        if (span.Ticks % TimeSpan.TicksPerDay == 0)
        {
            var days = span.Days;
            return days == 1 ? "day" : days.ToString(c) + " days";
        }

        if (span.Ticks % TimeSpan.TicksPerHour == 0)
        {
            var hours = (long)span.TotalHours;
            return hours == 1 ? "hour" : hours.ToString(c) + " hours";
        }

        var minutes = (long)span.TotalMinutes;
        return minutes == 1 ? "minute" : minutes.ToString(c) + " minutes";
    }
}
