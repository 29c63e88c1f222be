using System.Runtime.CompilerServices;

namespace Personalize.Timing;

/// <summary>
/// A time zone's UTC offsets as a table of transitions, built once per zone and year (on first use) from
/// <see cref="TimeZoneInfo"/> and shared by all threads. Converting an instant to local time, or a local time to its
/// instant(s), is then a lookup instead of a walk over the zone's adjustment rules. Years outside
/// <see cref="FirstYear"/>–<see cref="LastYear"/> fall back to <see cref="TimeZoneInfo"/>.
/// </summary>
internal sealed class ZoneOffsets
{
    internal const int FirstYear = 1970;
    internal const int LastYear = 2199;
    private const long SampleTicks = TimeSpan.TicksPerHour * 3;
    private const long WindowTicks = TimeSpan.TicksPerHour * 30;
    private static readonly ConditionalWeakTable<TimeZoneInfo, ZoneOffsets> Cache = new();
    private readonly TimeZoneInfo _zone;
    private readonly long _fixedOffset;
    private readonly bool _isFixed;
    private readonly Year?[] _years;

    private ZoneOffsets(TimeZoneInfo zone)
    {
        _zone = zone;
        var rules = zone.GetAdjustmentRules();
        _isFixed = rules.Length == 0 && zone.BaseUtcOffset.Ticks % TimeSpan.TicksPerMinute == 0;
        _fixedOffset = zone.BaseUtcOffset.Ticks;
        _years = _isFixed ? [] : new Year?[LastYear - FirstYear + 1];
    }

    /// <summary>The zone.</summary>
    public TimeZoneInfo Zone => _zone;

    /// <summary>The table for a zone (one per <see cref="TimeZoneInfo"/> instance).</summary>
    public static ZoneOffsets For(TimeZoneInfo zone)
    {
        // Most bases use a handful of zones: a scan of the first few seen (by reference, no hashing) before the table.
        // Those first few stay referenced for the process's life (the system's zones do anyway).
        var recent = Volatile.Read(ref s_recent);
        foreach (var entry in recent)
        {
            if (ReferenceEquals(entry.Zone, zone))
            {
                return entry.Offsets;
            }
        }

        var offsets = Cache.GetValue(zone, static z => new ZoneOffsets(z));
        if (recent.Length < RecentCapacity)
        {
            var bigger = new RecentZone[recent.Length + 1];
            recent.CopyTo(bigger, 0);
            bigger[^1] = new RecentZone(zone, offsets);
            Interlocked.CompareExchange(ref s_recent, bigger, recent); // losing a race only means a later call adds it
        }

        return offsets;
    }

    private const int RecentCapacity = 16;

    private static RecentZone[] s_recent = [];

    private readonly record struct RecentZone(TimeZoneInfo Zone, ZoneOffsets Offsets);

    /// <summary>The UTC offset (ticks) in effect at a UTC instant (ticks).</summary>
    public long OffsetAt(long utcTicks)
    {
        if (_isFixed)
        {
            return _fixedOffset;
        }

        var year = YearFor(utcTicks);
        if (year is null)
        {
            return _zone.GetUtcOffset(new DateTime(utcTicks, DateTimeKind.Utc)).Ticks;
        }

        var transitions = year.Transitions;
        var i = 0;
        while (i < transitions.Length && transitions[i] <= utcTicks)
        {
            i++;
        }

        return year.Offsets[i];
    }

    /// <summary>The instant as local time in the zone.</summary>
    public DateTimeOffset ToLocal(DateTimeOffset instant)
    {
        var offset = OffsetAt(instant.UtcTicks);
        if (offset % TimeSpan.TicksPerMinute != 0)
        {
            return TimeZoneInfo.ConvertTime(instant, _zone);
        }

        return new DateTimeOffset(instant.UtcTicks + offset, new TimeSpan(offset));
    }

    /// <summary>Maps a local wall-clock time to the instants that show it: one normally, two in an overlap (earlier first), the gap's end in a gap.</summary>
    public int ToInstants(DateTime local, Span<DateTimeOffset> destination)
    {
        var ticks = local.Ticks;
        if (_isFixed)
        {
            destination[0] = new DateTimeOffset(ticks - _fixedOffset, TimeSpan.Zero);
            return 1;
        }

        // Every offset in effect within a day and a bit of the local time (as UTC) is a candidate.
        var from = ticks - WindowTicks;
        var to = ticks + WindowTicks;
        if (YearFor(from) is null || YearFor(to) is null)
        {
            return ToInstantsSlow(local, destination);
        }

        var count = 0;
        long gapEnd = -1;
        var offset = OffsetAt(from);
        var start = from;
        while (true)
        {
            var next = NextTransition(start, to);
            var utc = ticks - offset;
            if (utc >= start && (next < 0 || utc < next) && count < destination.Length)
            {
                destination[count++] = new DateTimeOffset(utc, TimeSpan.Zero);
            }

            if (next < 0)
            {
                break;
            }

            var after = OffsetAt(next);
            if (after > offset && ticks >= next + offset && ticks < next + after)
            {
                gapEnd = next; // the local time is skipped by this transition
            }

            offset = after;
            start = next;
        }

        if (count == 0)
        {
            if (gapEnd < 0)
            {
                return ToInstantsSlow(local, destination);
            }

            destination[0] = new DateTimeOffset(gapEnd, TimeSpan.Zero);
            return 1;
        }

        if (count == 2 && destination[1] < destination[0])
        {
            (destination[0], destination[1]) = (destination[1], destination[0]);
        }

        return count;
    }

    /// <summary>
    /// The first instant in (<paramref name="after"/>, <paramref name="before"/>] (UTC ticks) where the zone's offset
    /// changes, or -1 when there is none (or the years are outside the table, where transitions are not listed).
    /// </summary>
    public long TransitionAfter(long after, long before) => _isFixed ? -1 : NextTransition(after, before);

    /// <summary>The first transition in (<paramref name="after"/>, <paramref name="before"/>], or -1.</summary>
    private long NextTransition(long after, long before)
    {
        var ticks = after;
        while (ticks <= before)
        {
            var year = YearFor(ticks);
            if (year is null)
            {
                return -1;
            }

            var transitions = year.Transitions;
            for (var i = 0; i < transitions.Length; i++)
            {
                if (transitions[i] > after)
                {
                    return transitions[i] <= before ? transitions[i] : -1;
                }
            }

            ticks = year.EndTicks;
        }

        return -1;
    }

    private Year? YearFor(long utcTicks)
    {
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
        {
            return null;
        }

        var number = new DateTime(utcTicks).Year;
        if (number < FirstYear || number > LastYear)
        {
            return null;
        }

        ref var slot = ref _years[number - FirstYear];
        return Volatile.Read(ref slot) ?? Build(ref slot, number);
    }

    private Year Build(ref Year? slot, int number)
    {
        // Sample every few hours and bisect each change to the tick; a race builds the same table twice, harmlessly.
        var start = new DateTime(number, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
        var end = new DateTime(number + 1, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
        var transitions = new List<long>();
        var offsets = new List<long> { Offset(start) };
        var previous = offsets[0];
        for (var t = start; t < end; t += SampleTicks)
        {
            var sample = Math.Min(t + SampleTicks, end - 1);
            var offset = Offset(sample);
            if (offset == previous)
            {
                continue;
            }

            long low = t + 1;
            long high = sample;
            while (low < high)
            {
                var mid = low + ((high - low) / 2);
                if (Offset(mid) == previous)
                {
                    low = mid + 1;
                }
                else
                {
                    high = mid;
                }
            }

            transitions.Add(low);
            offsets.Add(offset);
            previous = offset;
        }

        var year = new Year(transitions.ToArray(), offsets.ToArray(), end);
        Volatile.Write(ref slot, year);
        return year;
    }

    private long Offset(long utcTicks) => _zone.GetUtcOffset(new DateTime(utcTicks, DateTimeKind.Utc)).Ticks;

    /// <summary>The same as <see cref="ToInstants"/> through <see cref="TimeZoneInfo"/>'s own rules (years the table does not cover).</summary>
    private int ToInstantsSlow(DateTime local, Span<DateTimeOffset> destination)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (_zone.IsAmbiguousTime(local))
        {
            var offsets = _zone.GetAmbiguousTimeOffsets(local);
            var a = new DateTimeOffset(local, offsets[0]);
            var b = new DateTimeOffset(local, offsets[^1]);
            destination[0] = a < b ? a : b;
            destination[1] = a < b ? b : a;
            return 2;
        }

        if (_zone.IsInvalidTime(local))
        {
            destination[0] = GapEnd(local);
            return 1;
        }

        destination[0] = new DateTimeOffset(local, _zone.GetUtcOffset(local));
        return 1;
    }

    /// <summary>The first instant after a daylight-saving gap that contains <paramref name="local"/>.</summary>
    private DateTimeOffset GapEnd(DateTime local)
    {
        var before = _zone.GetUtcOffset(local.AddHours(-6));
        var after = _zone.GetUtcOffset(local.AddHours(6));
        long low = (local - after).Ticks;
        long high = (local - before).Ticks;
        if (low >= high)
        {
            return new DateTimeOffset(DateTime.SpecifyKind(local - before, DateTimeKind.Utc));
        }

        // Find the first UTC tick whose offset is the post-gap offset.
        while (low < high)
        {
            var mid = low + ((high - low) / 2);
            var offset = _zone.GetUtcOffset(new DateTime(mid, DateTimeKind.Utc));
            if (offset == after)
            {
                high = mid;
            }
            else
            {
                low = mid + 1;
            }
        }

        return new DateTimeOffset(new DateTime(low, DateTimeKind.Utc));
    }

    private sealed class Year(long[] transitions, long[] offsets, long endTicks)
    {
        public long[] Transitions { get; } = transitions;

        public long[] Offsets { get; } = offsets;

        public long EndTicks { get; } = endTicks;
    }
}
