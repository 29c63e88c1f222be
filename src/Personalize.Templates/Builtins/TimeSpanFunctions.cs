using System.Globalization;
using Personalize.Templates.Runtime;

namespace Personalize.Templates.Builtins;

/// <summary>
/// The <c>timespan</c> builtin object. Time spans are <see cref="TimeSpan"/> values; members <c>.days</c>, <c>.hours</c>,
/// <c>.minutes</c>, <c>.seconds</c>, <c>.milliseconds</c> and <c>.total_days</c>… read them. <c>timespan.zero</c> is the empty span.
/// </summary>
internal static class TimeSpanFunctions
{
    /// <summary><c>timespan.from_days</c>: a span of <paramref name="days"/> days.</summary>
    public static TimeSpan FromDays(TemplateContext context, double days) => Make(context, days, TimeSpan.TicksPerDay);

    /// <summary><c>timespan.from_hours</c>: a span of <paramref name="hours"/> hours.</summary>
    public static TimeSpan FromHours(TemplateContext context, double hours) => Make(context, hours, TimeSpan.TicksPerHour);

    /// <summary><c>timespan.from_minutes</c>: a span of <paramref name="minutes"/> minutes.</summary>
    public static TimeSpan FromMinutes(TemplateContext context, double minutes) => Make(context, minutes, TimeSpan.TicksPerMinute);

    /// <summary><c>timespan.from_seconds</c>: a span of <paramref name="seconds"/> seconds.</summary>
    public static TimeSpan FromSeconds(TemplateContext context, double seconds) => Make(context, seconds, TimeSpan.TicksPerSecond);

    /// <summary><c>timespan.from_milliseconds</c>: a span of <paramref name="millis"/> milliseconds.</summary>
    public static TimeSpan FromMilliseconds(TemplateContext context, double millis) => Make(context, millis, TimeSpan.TicksPerMillisecond);

    /// <summary><c>timespan.parse</c>: reads a span such as <c>"1.02:03:04"</c> or <c>"00:30:00"</c> (null when unreadable).</summary>
    public static TimeSpan? Parse(TemplateContext context, string? text) =>
        text is not null && TimeSpan.TryParse(text.Trim(), context.Culture, out var span) ? span
        : text is not null && TimeSpan.TryParse(text.Trim(), CultureInfo.InvariantCulture, out var invariantSpan) ? invariantSpan
        : null;

    private static TimeSpan Make(TemplateContext context, double value, long ticksPerUnit)
    {
        var ticks = value * ticksPerUnit;
        if (double.IsNaN(ticks) || ticks >= TimeSpan.MaxValue.Ticks || ticks <= TimeSpan.MinValue.Ticks)
        {
            throw context.Error($"The time span value {value.ToString(CultureInfo.InvariantCulture)} is out of range.");
        }

        return TimeSpan.FromTicks((long)Math.Round(ticks));
    }
}
