using Personalize.Timing;

namespace Personalize.Tests.Timing;

/// <summary>
/// The contact window converts through a per-zone offset table and walks boundaries instead of minutes; these tests
/// hold it against <see cref="TimeZoneInfo"/> itself and against a minute-by-minute search, around daylight-saving
/// gaps and overlaps in zones with unusual rules.
/// </summary>
public sealed class ContactWindowDstTests
{
    public static TheoryData<string> Zones => new()
    {
        "Europe/Berlin",
        "America/New_York",
        "Pacific/Auckland",
        "Australia/Lord_Howe", // 30-minute daylight saving
        "Pacific/Chatham", // +12:45 / +13:45
        "America/Santiago", // transitions at midnight
        "Africa/Casablanca", // Ramadan changes
        "Asia/Tehran", // daylight saving abolished in 2022
        "Pacific/Apia", // skipped 30 December 2011
        "Asia/Kolkata", // fixed +05:30
        "Etc/UTC",
    };

    private static readonly TimeWindow Quiet = new(new TimeOnly(21, 0), new TimeOnly(2, 30));

    [Theory]
    [MemberData(nameof(Zones))]
    public void Local_time_matches_TimeZoneInfo_every_half_hour(string zoneId)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var window = new ContactWindow(zone, null, null, null);
        for (var instant = new DateTimeOffset(2011, 1, 1, 0, 0, 0, TimeSpan.Zero); instant.Year < 2012; instant = instant.AddMinutes(30))
        {
            var expected = TimeZoneInfo.ConvertTime(instant, zone);
            var actual = window.ToLocal(instant);
            Assert.Equal(expected, actual);
            Assert.Equal(expected.Offset, actual.Offset); // DateTimeOffset equality compares instants only
        }

        for (var instant = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero); instant.Year < 2027; instant = instant.AddMinutes(30))
        {
            var expected = TimeZoneInfo.ConvertTime(instant, zone);
            var actual = window.ToLocal(instant);
            Assert.Equal(expected, actual);
            Assert.Equal(expected.Offset, actual.Offset);
        }
    }

    [Theory]
    [InlineData("Europe/Berlin", 2025)]
    [InlineData("Pacific/Auckland", 2025)]
    [InlineData("Europe/Berlin", 2250)] // after the offset table's last year: TimeZoneInfo's own rules
    [InlineData("America/New_York", 2250)]
    [InlineData("Pacific/Auckland", 2250)]
    public void Every_local_time_maps_to_the_instants_that_show_it(string zoneId, int year)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var window = new ContactWindow(zone, null, null, null);
        Span<DateTimeOffset> instants = stackalloc DateTimeOffset[2];
        for (var local = new DateTime(year, 1, 1); local.Year == year; local = local.AddMinutes(15))
        {
            var count = window.ToInstants(local, instants);
            if (zone.IsInvalidTime(local))
            {
                // In a gap: the first instant after it.
                Assert.Equal(1, count);
                Assert.True(window.ToLocal(instants[0]).DateTime > local, $"{local:O}");
                Assert.True(window.ToLocal(instants[0].AddTicks(-1)).DateTime < local, $"{local:O}");
            }
            else
            {
                Assert.Equal(zone.IsAmbiguousTime(local) ? 2 : 1, count);
                for (var i = 0; i < count; i++)
                {
                    Assert.Equal(local, window.ToLocal(instants[i]).DateTime);
                }

                Assert.True(count == 1 || instants[0] < instants[1]);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Zones))]
    public void Next_allowed_matches_a_minute_by_minute_search_around_transitions(string zoneId)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        TimeWindow[] hours = [new(new TimeOnly(1, 30), new TimeOnly(3, 0)), new(new TimeOnly(9, 0), new TimeOnly(11, 15))];
        DayOfWeek[] days = [DayOfWeek.Sunday, DayOfWeek.Tuesday, DayOfWeek.Saturday];
        var windows = new[]
        {
            new ContactWindow(zone, Quiet, null, null),
            new ContactWindow(zone, new TimeWindow(new TimeOnly(0, 0), new TimeOnly(3, 0)), null, null),
            new ContactWindow(zone, Quiet, days, hours),
            new ContactWindow(zone, null, days, null),
            new ContactWindow(zone, new TimeWindow(new TimeOnly(1, 30), new TimeOnly(9, 0)), null, null), // issue 20: the repeated hour when clocks go back
            new ContactWindow(zone, new TimeWindow(new TimeOnly(3, 30), new TimeOnly(3, 0)), null, null),
        };

        foreach (var transition in Transitions(zone, 2011, 2012, 2025, 2026))
        {
            for (var shift = -26; shift <= 26; shift += 2)
            {
                var instant = transition.AddHours(shift).AddMinutes(shift * 7 % 60);
                foreach (var window in windows)
                {
                    foreach (var strict in new[] { true, false })
                    {
                        Assert.Equal(BruteForce(window, zone, instant, strict), window.NextAllowed(instant, strict));
                    }
                }
            }
        }
    }

    [Fact]
    public void Quiet_hours_ending_in_the_spring_gap_end_when_the_gap_ends()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var window = new ContactWindow(berlin, new TimeWindow(new TimeOnly(0, 0), new TimeOnly(2, 30)), null, null);

        // 29 March 2026: 02:00 CET jumps to 03:00 CEST (01:00 UTC); 02:30 does not exist.
        var next = window.NextAllowed(new DateTimeOffset(2026, 3, 28, 23, 30, 0, TimeSpan.Zero));

        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), next);
        Assert.Equal(TimeSpan.FromHours(2), window.ToLocal(next!.Value).Offset);
    }

    [Fact]
    public void Quiet_hours_ending_in_the_autumn_overlap_end_at_the_first_occurrence()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var window = new ContactWindow(berlin, new TimeWindow(new TimeOnly(0, 0), new TimeOnly(2, 30)), null, null);

        // 25 October 2026: 03:00 CEST goes back to 02:00 CET; 02:30 happens at 00:30 and 01:30 UTC.
        var next = window.NextAllowed(new DateTimeOffset(2026, 10, 24, 23, 0, 0, TimeSpan.Zero));

        Assert.Equal(new DateTimeOffset(2026, 10, 25, 0, 30, 0, TimeSpan.Zero), next);
    }

    [Fact]
    public void The_day_Samoa_skipped_has_no_allowed_time()
    {
        var apia = TimeZoneInfo.FindSystemTimeZoneById("Pacific/Apia");
        var window = new ContactWindow(apia, null, [DayOfWeek.Friday], null);

        // Thursday 29 December 2011 was followed by Saturday 31 December: Friday 30 never happened there.
        var next = window.NextAllowed(new DateTimeOffset(2011, 12, 29, 12, 0, 0, TimeSpan.Zero), true);

        Assert.Equal(DayOfWeek.Friday, window.ToLocal(next!.Value).DayOfWeek);
        Assert.Equal(new DateTime(2012, 1, 6), window.ToLocal(next.Value).Date);
    }

    /// <summary>Instants where the zone's offset changes in the given years, found with <see cref="TimeZoneInfo"/> hour by hour.</summary>
    private static List<DateTimeOffset> Transitions(TimeZoneInfo zone, params int[] years)
    {
        var found = new List<DateTimeOffset>();
        foreach (var year in years)
        {
            var previous = zone.GetUtcOffset(new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero));
            for (var t = new DateTimeOffset(year, 1, 1, 1, 0, 0, TimeSpan.Zero); t.Year == year; t = t.AddHours(1))
            {
                var offset = zone.GetUtcOffset(t);
                if (offset != previous)
                {
                    found.Add(t);
                    previous = offset;
                }
            }
        }

        if (found.Count == 0)
        {
            found.Add(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero));
        }

        return found;
    }

    /// <summary>The first allowed instant, stepping a minute at a time with <see cref="TimeZoneInfo.ConvertTime(DateTimeOffset, TimeZoneInfo)"/>.</summary>
    private static DateTimeOffset? BruteForce(ContactWindow window, TimeZoneInfo zone, DateTimeOffset instant, bool strict)
    {
        if (Allowed(window, zone, instant, strict))
        {
            return instant;
        }

        var t = new DateTimeOffset(instant.UtcTicks - (instant.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero).AddMinutes(1);
        for (var i = 0; i < 60 * 24 * 8; i++, t = t.AddMinutes(1))
        {
            if (Allowed(window, zone, t, strict))
            {
                return t;
            }
        }

        return null;
    }

    private static bool Allowed(ContactWindow window, TimeZoneInfo zone, DateTimeOffset instant, bool strict)
    {
        var local = TimeZoneInfo.ConvertTime(instant, zone).DateTime;
        var time = TimeOnly.FromDateTime(local);
        if (window.QuietHours is { } quiet && quiet.Contains(time))
        {
            return false;
        }

        if (!strict)
        {
            return true;
        }

        var preferred = window.DescribePreferredTimes();
        if (preferred == "any time")
        {
            return true;
        }

        var day = System.Globalization.CultureInfo.InvariantCulture.DateTimeFormat.GetAbbreviatedDayName(local.DayOfWeek);
        if (preferred.Contains("Sun") && !preferred.Contains(day))
        {
            return false;
        }

        if (!preferred.Contains(':'))
        {
            return true;
        }

        return (time >= new TimeOnly(1, 30) && time < new TimeOnly(3, 0)) || (time >= new TimeOnly(9, 0) && time < new TimeOnly(11, 15));
    }
}
