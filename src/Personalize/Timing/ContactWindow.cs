using System.Globalization;

namespace Personalize.Timing;

/// <summary>
/// When a customer may be contacted, in their own time zone: quiet hours (never), preferred days and
/// preferred hours (only then). Answers "is this instant allowed?" and "what is the next allowed instant?",
/// both correct across daylight-saving changes and windows that cross midnight. Cheap to create; holds no clock.
/// </summary>
public readonly struct ContactWindow
{
    private const int SearchDays = 9;
    private readonly TimeWindow? _quietHours;
    private readonly IReadOnlyList<TimeWindow>? _preferredHours;
    private readonly int _preferredDaysMask;
    private readonly ZoneOffsets? _offsets;

    /// <summary>Creates a window.</summary>
    /// <param name="zone">The customer's time zone.</param>
    /// <param name="quietHours">Quiet hours, or <see langword="null"/> for none.</param>
    /// <param name="preferredDays">Preferred days of the week; empty means every day.</param>
    /// <param name="preferredHours">Preferred hours; empty means any hour. Windows must not cross midnight.</param>
    public ContactWindow(TimeZoneInfo zone, TimeWindow? quietHours, IReadOnlyList<DayOfWeek>? preferredDays, IReadOnlyList<TimeWindow>? preferredHours)
    {
        ArgumentNullException.ThrowIfNull(zone);
        _offsets = ZoneOffsets.For(zone);
        _quietHours = quietHours;
        // A window is made per decision that reaches timing: arrays and lists (the snapshot's shared preferences, the
        // JSON reader's) are read as spans, without an interface call per element; other lists through the interface.
        var mask = 0;
        if (ReadOnlyLists.TryAsSpan(preferredDays, out var days))
        {
            foreach (var day in days)
            {
                mask |= 1 << (int)day;
            }
        }
        else
        {
            for (var i = 0; i < preferredDays!.Count; i++)
            {
                mask |= 1 << (int)preferredDays[i];
            }
        }

        _preferredDaysMask = mask;
        int hourCount;
        if (ReadOnlyLists.TryAsSpan(preferredHours, out var hours))
        {
            foreach (var window in hours)
            {
                ThrowIfCrossesMidnight(window, nameof(preferredHours));
            }

            hourCount = hours.Length;
        }
        else
        {
            for (var i = 0; i < preferredHours!.Count; i++)
            {
                ThrowIfCrossesMidnight(preferredHours[i], nameof(preferredHours));
            }

            hourCount = preferredHours.Count;
        }

        _preferredHours = hourCount > 0 ? preferredHours : null;
    }

    private static void ThrowIfCrossesMidnight(TimeWindow window, string parameter)
    {
        if (window.CrossesMidnight)
        {
            throw new ArgumentException($"The preferred window {window} crosses midnight; split it into two windows.", parameter);
        }
    }

    /// <summary>The customer's time zone.</summary>
    public TimeZoneInfo Zone => _offsets?.Zone ?? TimeZoneInfo.Utc;

    /// <summary>The quiet hours, if any.</summary>
    public TimeWindow? QuietHours => _quietHours;

    /// <summary>Whether preferred days or hours restrict contact.</summary>
    public bool HasPreferredTimes => _preferredDaysMask != 0 || _preferredHours is not null;

    /// <summary>The instant as local time in the customer's zone.</summary>
    /// <param name="instant">The instant.</param>
    /// <returns>The local date and time with the zone's offset at that instant.</returns>
    public DateTimeOffset ToLocal(DateTimeOffset instant) => Offsets.ToLocal(instant);

    /// <summary>Whether an instant falls in the customer's quiet hours.</summary>
    /// <param name="instant">The instant.</param>
    /// <returns><see langword="true"/> when quiet.</returns>
    public bool IsQuiet(DateTimeOffset instant)
        => _quietHours is { } quiet && quiet.Contains(TimeOnly.FromDateTime(ToLocal(instant).DateTime));

    /// <summary>Whether an instant is on a preferred day and in a preferred hour (true when there are no preferences).</summary>
    /// <param name="instant">The instant.</param>
    /// <returns><see langword="true"/> when preferred.</returns>
    public bool IsPreferred(DateTimeOffset instant) => IsPreferredLocal(ToLocal(instant).DateTime);

    /// <summary>Whether contact is allowed at an instant.</summary>
    /// <param name="instant">The instant.</param>
    /// <param name="includePreferredTimes">Whether preferred days and hours must be met too (quiet hours always apply).</param>
    /// <returns><see langword="true"/> when allowed.</returns>
    public bool IsAllowed(DateTimeOffset instant, bool includePreferredTimes = true)
    {
        var local = ToLocal(instant).DateTime;
        if (_quietHours is { } quiet && quiet.Contains(TimeOnly.FromDateTime(local)))
        {
            return false;
        }

        return !includePreferredTimes || IsPreferredLocal(local);
    }

    /// <summary>
    /// The first instant at or after <paramref name="instant"/> when contact is allowed: outside quiet hours
    /// and, when <paramref name="includePreferredTimes"/> is set, on a preferred day in a preferred hour.
    /// A boundary that falls in a daylight-saving gap moves to the end of the gap; in an overlap the
    /// earlier of the two instants is used.
    /// </summary>
    /// <param name="instant">The earliest acceptable instant.</param>
    /// <param name="includePreferredTimes">Whether preferred days and hours must be met too.</param>
    /// <returns>The instant, or <see langword="null"/> when no instant in the next week is allowed (for example preferred hours that lie inside quiet hours).</returns>
    /// <remarks>
    /// Walks the boundaries where the answer can change (the end of quiet hours, midnight, the start of each preferred
    /// window), day by day from the instant's local date, and stops one day after the first allowed one; then the
    /// zone's offset changes before that one, since local time jumps there (when clocks go back, the repeated hour may
    /// be allowed: New York with quiet hours 01:30–09:00 at 01:45 EDT is allowed again at 01:00 EST, a quarter of an
    /// hour later). Allocates nothing for up to 30 preferred windows.
    /// </remarks>
    public DateTimeOffset? NextAllowed(DateTimeOffset instant, bool includePreferredTimes = true)
    {
        if (IsAllowed(instant, includePreferredTimes))
        {
            return instant;
        }

        var offsets = Offsets;
        var startDate = offsets.ToLocal(instant).DateTime.Date;

        // The local times of day where "allowed" can start, sorted and without repeats.
        var hourCount = includePreferredTimes && _preferredHours is { } preferred ? preferred.Count : 0;
        var capacity = hourCount + 2;
        Span<long> times = capacity <= 32 ? stackalloc long[capacity] : new long[capacity];
        var timeCount = 0;
        if (_quietHours is { } quiet)
        {
            times[timeCount++] = quiet.End.Ticks;
        }

        if (includePreferredTimes)
        {
            times[timeCount++] = 0;
            for (var i = 0; i < hourCount; i++)
            {
                times[timeCount++] = _preferredHours![i].Start.Ticks;
            }
        }

        timeCount = SortDistinct(times[..timeCount]);
        var skipDays = includePreferredTimes ? _preferredDaysMask : 0;
        DateTimeOffset? best = null;
        var bestDay = int.MaxValue;
        Span<DateTimeOffset> candidates = stackalloc DateTimeOffset[2];
        for (var day = -1; day <= SearchDays && day <= bestDay; day++)
        {
            var date = startDate.AddDays(day);

            // On a day that is not preferred no boundary is allowed (a gap never moves one past the next midnight, which is itself a boundary).
            if (skipDays != 0 && (skipDays & (1 << (int)date.DayOfWeek)) == 0)
            {
                continue;
            }

            for (var t = 0; t < timeCount; t++)
            {
                var count = offsets.ToInstants(date.AddTicks(times[t]), candidates);
                for (var i = 0; i < count; i++)
                {
                    var candidate = candidates[i];
                    if (candidate > instant && (best is null || candidate < best.Value) && IsAllowed(candidate, includePreferredTimes))
                    {
                        best = candidate;
                        bestDay = Math.Min(bestDay, day + 1);
                    }
                }
            }
        }

        // Local time jumps where the offset changes: such an instant can be the first allowed one.
        var limit = best?.UtcTicks ?? instant.UtcTicks + (TimeSpan.TicksPerDay * (SearchDays + 1));
        for (var t = offsets.TransitionAfter(instant.UtcTicks, limit); t >= 0 && t < limit; t = offsets.TransitionAfter(t, limit))
        {
            var transition = new DateTimeOffset(t, TimeSpan.Zero);
            if (IsAllowed(transition, includePreferredTimes))
            {
                return transition;
            }
        }

        return best;
    }

    /// <summary>Whether the zone's offset changes in (<paramref name="after"/>, <paramref name="before"/>).</summary>
    internal bool HasTransitionBetween(DateTimeOffset after, DateTimeOffset before)
        => Offsets.TransitionAfter(after.UtcTicks, before.UtcTicks - 1) >= 0;

    private ZoneOffsets Offsets => _offsets ?? ZoneOffsets.For(TimeZoneInfo.Utc);

    private static int SortDistinct(Span<long> values)
    {
        values.Sort();
        var count = 0;
        for (var i = 0; i < values.Length; i++)
        {
            if (count == 0 || values[i] != values[count - 1])
            {
                values[count++] = values[i];
            }
        }

        return count;
    }

    private bool IsPreferredLocal(DateTime local)
    {
        if (_preferredDaysMask != 0 && (_preferredDaysMask & (1 << (int)local.DayOfWeek)) == 0)
        {
            return false;
        }

        if (_preferredHours is { } hours)
        {
            var time = TimeOnly.FromDateTime(local);
            for (var i = 0; i < hours.Count; i++)
            {
                if (hours[i].Contains(time))
                {
                    return true;
                }
            }

            return false;
        }

        return true;
    }

    /// <summary>Maps a local wall-clock time in this window's zone to the instants that show it: one normally, two in an overlap, the gap's end in a gap.</summary>
    internal int ToInstants(DateTime local, Span<DateTimeOffset> destination) => Offsets.ToInstants(local, destination);

    /// <summary>Formats the preferred days and hours for people, for example <c>Mon, Tue 09:00–12:00</c>.</summary>
    /// <returns>The description, or <c>any time</c>.</returns>
    public string DescribePreferredTimes()
    {
        if (!HasPreferredTimes)
        {
            return "any time";
        }

        var parts = new List<string>();
        if (_preferredDaysMask != 0)
        {
            var days = new List<string>();
            for (var d = 0; d < 7; d++)
            {
                var day = (DayOfWeek)((d + 1) % 7);
                if ((_preferredDaysMask & (1 << (int)day)) != 0)
                {
                    days.Add(CultureInfo.InvariantCulture.DateTimeFormat.GetAbbreviatedDayName(day));
                }
            }

            parts.Add(string.Join(", ", days));
        }

        if (_preferredHours is { } hours)
        {
            var windows = new string[hours.Count];
            for (var i = 0; i < windows.Length; i++)
            {
                windows[i] = hours[i].ToString();
            }

            parts.Add(string.Join(", ", windows));
        }

        return string.Join(" ", parts);
    }
}
