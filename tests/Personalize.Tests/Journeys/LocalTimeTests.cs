using Personalize.Journeys;

namespace Personalize.Tests.Journeys;

/// <summary>A wait until a local time keeps the wall clock across daylight-saving changes.</summary>
public sealed class LocalTimeTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    [Theory]
    [InlineData("2026-03-28T12:00:00Z", "10:00", "2026-03-29T08:00:00Z")] // Saturday in winter time to Sunday 10:00 in summer time (UTC+2)
    [InlineData("2026-03-28T12:00:00Z", "02:30", "2026-03-29T01:30:00Z")] // 02:30 does not exist on 29 March: 03:30 CEST
    [InlineData("2026-10-24T12:00:00Z", "02:30", "2026-10-25T00:30:00Z")] // 02:30 happens twice on 25 October: the first (CEST)
    [InlineData("2026-10-24T12:00:00Z", "10:00", "2026-10-25T09:00:00Z")] // back to winter time (UTC+1)
    [InlineData("2026-03-11T09:00:00Z", "10:00", "2026-03-11T09:00:00Z")] // exactly the time: now
    public void The_next_local_time_is_found_across_daylight_saving_changes(string since, string time, string expected)
    {
        var next = LocalTime.Next(DateTimeOffset.Parse(since, System.Globalization.CultureInfo.InvariantCulture), TimeOnly.Parse(time, System.Globalization.CultureInfo.InvariantCulture), [], Berlin);

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), next);
    }

    [Fact]
    public void A_weekday_wait_skips_to_the_next_allowed_day_in_the_customers_zone()
    {
        // Sunday 29 March 2026, 21:00 UTC is Monday 30 March, 10:00 in Auckland (UTC+13 until 5 April): 09:00 has passed there.
        var auckland = TimeZoneInfo.FindSystemTimeZoneById("Pacific/Auckland");
        var since = new DateTimeOffset(2026, 3, 29, 21, 0, 0, TimeSpan.Zero);

        var next = LocalTime.Next(since, new TimeOnly(9, 0), [DayOfWeek.Monday], auckland);

        Assert.Equal(new DateTimeOffset(2026, 4, 5, 21, 0, 0, TimeSpan.Zero), next); // Monday 6 April 09:00 NZST (UTC+12)
    }
}
