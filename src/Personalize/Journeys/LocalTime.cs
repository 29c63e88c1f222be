namespace Personalize.Journeys;

/// <summary>Wall-clock times in a customer's zone, across daylight-saving changes.</summary>
internal static class LocalTime
{
    /// <summary>
    /// The first instant at or after <paramref name="since"/> whose local time in <paramref name="zone"/> is
    /// <paramref name="time"/> on one of <paramref name="days"/> (any day when empty). A local time the zone skips
    /// (spring forward) is moved forward by the gap; one that happens twice (fall back) is the first.
    /// </summary>
    public static DateTimeOffset Next(DateTimeOffset since, TimeOnly time, IReadOnlyList<DayOfWeek> days, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(since, zone);
        var date = DateOnly.FromDateTime(local.DateTime);
        for (var i = 0; i < 15; i++)
        {
            var day = date.AddDays(i);
            if (days.Count > 0 && !days.Contains(day.DayOfWeek))
            {
                continue;
            }

            var candidate = ToInstant(day.ToDateTime(time), zone);
            if (candidate >= since)
            {
                return candidate;
            }
        }

        return since; // unreachable: two weeks always hold an allowed day
    }

    /// <summary>The instant of a local wall-clock time in a zone.</summary>
    public static DateTimeOffset ToInstant(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            // Skipped by a spring-forward change: the same distance after the change as the gap.
            var before = zone.GetUtcOffset(local.AddHours(-6));
            var after = zone.GetUtcOffset(local.AddHours(6));
            local += after - before;
        }

        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }
}
