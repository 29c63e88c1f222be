using Personalize.Timing;

namespace Personalize.Tests.Timing;

public sealed class ContactWindowTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly TimeZoneInfo Auckland = TimeZoneInfo.FindSystemTimeZoneById("Pacific/Auckland");
    private static readonly TimeZoneInfo LosAngeles = TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles");

    private static TimeWindow Window(int startHour, int startMinute, int endHour, int endMinute)
        => new(new TimeOnly(startHour, startMinute), new TimeOnly(endHour, endMinute));

    private static DateTimeOffset Utc(int year, int month, int day, int hour, int minute = 0)
        => new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(22, 0, true)]
    [InlineData(23, 59, true)]
    [InlineData(0, 0, true)]
    [InlineData(6, 59, true)]
    [InlineData(7, 0, false)]
    [InlineData(21, 59, false)]
    [InlineData(12, 0, false)]
    public void Quiet_hours_across_midnight(int hour, int minute, bool quiet)
    {
        var window = Window(22, 0, 7, 0);

        Assert.True(window.CrossesMidnight);
        Assert.Equal(quiet, window.Contains(new TimeOnly(hour, minute)));
    }

    [Fact]
    public void Window_ending_at_midnight_does_not_cross_it()
    {
        var window = Window(18, 0, 0, 0);

        Assert.False(window.CrossesMidnight);
        Assert.True(window.Contains(new TimeOnly(23, 59)));
        Assert.False(window.Contains(new TimeOnly(0, 0)));
        Assert.Equal("18:00–24:00", window.ToString());
    }

    [Fact]
    public void Quiet_hours_are_evaluated_in_the_customers_zone()
    {
        var window = new ContactWindow(Auckland, Window(21, 0, 8, 0), null, null);

        // 09:00 UTC on 15 March 2026 is 22:00 in Auckland (NZDT, +13).
        Assert.True(window.IsQuiet(Utc(2026, 3, 15, 9)));
        Assert.Equal(Utc(2026, 3, 15, 19), window.NextAllowed(Utc(2026, 3, 15, 9)));
        // 20:00 UTC is 09:00 the next morning there.
        Assert.False(window.IsQuiet(Utc(2026, 3, 15, 20)));
    }

    [Fact]
    public void Next_allowed_is_the_instant_itself_when_allowed()
    {
        var window = new ContactWindow(Berlin, Window(22, 0, 7, 0), null, null);
        var noon = Utc(2026, 3, 15, 11);

        Assert.Equal(noon, window.NextAllowed(noon));
    }

    [Fact]
    public void Quiet_night_spanning_the_end_of_daylight_saving_in_Auckland()
    {
        // NZDT (+13) ends at 03:00 on Sunday 5 April 2026; clocks go back to 02:00 NZST (+12).
        var window = new ContactWindow(Auckland, Window(21, 0, 7, 0), null, null);
        var saturdayEvening = Utc(2026, 4, 4, 9); // 22:00 NZDT

        Assert.True(window.IsQuiet(saturdayEvening));
        // 07:00 NZST on 5 April is 19:00 UTC on 4 April (not 18:00, as a fixed +13 would give).
        Assert.Equal(Utc(2026, 4, 4, 19), window.NextAllowed(saturdayEvening));
        Assert.True(window.IsQuiet(Utc(2026, 4, 4, 18, 30)));
    }

    [Fact]
    public void Quiet_hours_ending_inside_the_spring_forward_gap_end_at_the_gap()
    {
        // Berlin skips 02:00–03:00 on 29 March 2026; quiet hours end at 02:30, which does not exist that night.
        var window = new ContactWindow(Berlin, Window(21, 0, 2, 30), null, null);
        var night = Utc(2026, 3, 28, 23, 30); // 00:30 CET

        var next = window.NextAllowed(night);

        Assert.Equal(Utc(2026, 3, 29, 1), next); // 03:00 CEST, the first instant after 02:30 on the clock
        Assert.True(window.IsQuiet(Utc(2026, 3, 29, 0, 59)));
        Assert.False(window.IsQuiet(next!.Value));
    }

    [Fact]
    public void Quiet_hours_ending_inside_the_fall_back_overlap_end_at_the_first_occurrence()
    {
        // Berlin repeats 02:00–03:00 on 25 October 2026; 02:30 happens at 00:30 UTC (CEST) and 01:30 UTC (CET).
        var window = new ContactWindow(Berlin, Window(21, 0, 2, 30), null, null);

        Assert.Equal(Utc(2026, 10, 25, 0, 30), window.NextAllowed(Utc(2026, 10, 24, 22)));
    }

    [Fact]
    public void Preferred_window_starting_in_the_gap_starts_when_the_gap_ends()
    {
        // Los Angeles skips 02:00–03:00 on 8 March 2026.
        var window = new ContactWindow(LosAngeles, null, null, [Window(2, 30, 5, 0)]);

        Assert.Equal(Utc(2026, 3, 8, 10), window.NextAllowed(Utc(2026, 3, 8, 8))); // 03:00 PDT
    }

    [Fact]
    public void Preferred_days_and_hours_defer_to_the_next_preferred_slot()
    {
        var window = new ContactWindow(Berlin, Window(21, 0, 8, 0), [DayOfWeek.Wednesday], [Window(9, 0, 11, 0), Window(14, 0, 16, 0)]);
        var wednesdayNoon = Utc(2026, 3, 18, 11); // 12:00 CET

        Assert.False(window.IsAllowed(wednesdayNoon));
        Assert.True(window.IsAllowed(wednesdayNoon, includePreferredTimes: false));
        Assert.Equal(Utc(2026, 3, 18, 13), window.NextAllowed(wednesdayNoon)); // 14:00 the same day
        Assert.Equal(Utc(2026, 3, 25, 8), window.NextAllowed(Utc(2026, 3, 18, 15))); // next Wednesday 09:00
        Assert.Equal(wednesdayNoon, window.NextAllowed(wednesdayNoon, includePreferredTimes: false));
    }

    [Fact]
    public void Preferred_hours_inside_quiet_hours_never_allow()
    {
        var window = new ContactWindow(Berlin, Window(20, 0, 10, 0), null, [Window(6, 0, 9, 0)]);

        Assert.Null(window.NextAllowed(Utc(2026, 3, 18, 11)));
    }

    [Fact]
    public void Preferred_windows_cannot_cross_midnight()
    {
        Assert.Throws<ArgumentException>(() => new ContactWindow(Berlin, null, null, [Window(22, 0, 2, 0)]));
    }

    public static TheoryData<string> ListKinds => new() { "array", "list", "read-only collection" };

    private static IReadOnlyList<T> ListOf<T>(string kind, params T[] items) => kind switch
    {
        "array" => items,
        "list" => new List<T>(items),
        _ => new System.Collections.ObjectModel.ReadOnlyCollection<T>(items),
    };

    [Theory]
    [MemberData(nameof(ListKinds))]
    public void Preferred_days_and_hours_mean_the_same_in_any_list(string kind)
    {
        var window = new ContactWindow(Berlin, Window(22, 0, 7, 0), ListOf(kind, DayOfWeek.Tuesday, DayOfWeek.Thursday), ListOf(kind, Window(9, 0, 11, 0), Window(17, 0, 18, 30)));

        // 2026-03-17 is a Tuesday; Berlin is UTC+1 in March.
        Assert.True(window.HasPreferredTimes);
        Assert.True(window.IsAllowed(Utc(2026, 3, 17, 9)));        // Tuesday 10:00
        Assert.False(window.IsAllowed(Utc(2026, 3, 17, 11)));      // Tuesday 12:00: between the windows
        Assert.True(window.IsAllowed(Utc(2026, 3, 17, 11), includePreferredTimes: false));
        Assert.True(window.IsAllowed(Utc(2026, 3, 19, 16, 30)));   // Thursday 17:30
        Assert.False(window.IsAllowed(Utc(2026, 3, 18, 9)));       // Wednesday 10:00: not a preferred day
        Assert.Equal(Utc(2026, 3, 19, 8), window.NextAllowed(Utc(2026, 3, 17, 17, 45))); // Tuesday 18:45 → Thursday 09:00

        var crossing = Assert.Throws<ArgumentException>(() => new ContactWindow(Berlin, null, null, ListOf(kind, Window(8, 0, 9, 0), Window(22, 0, 2, 0))));
        Assert.Equal("preferredHours", crossing.ParamName);
        Assert.False(new ContactWindow(Berlin, null, ListOf<DayOfWeek>(kind), ListOf<TimeWindow>(kind)).HasPreferredTimes);
    }

    [Fact]
    public void Empty_window_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => Window(8, 0, 8, 0));
    }
}
