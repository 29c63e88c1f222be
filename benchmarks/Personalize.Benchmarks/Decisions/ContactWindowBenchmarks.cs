using BenchmarkDotNet.Attributes;
using Personalize.Timing;

namespace Personalize.Benchmarks.Decisions;

/// <summary>
/// The timing questions a decision asks per channel: is an instant allowed, and when is the next allowed instant —
/// quiet hours only, preferred days and hours, and across a daylight-saving gap (Europe/Berlin).
/// </summary>
[MemoryDiagnoser]
public class ContactWindowBenchmarks
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly TimeWindow Quiet = new(new TimeOnly(21, 0), new TimeOnly(8, 0));
    private static readonly DateTimeOffset Evening = new(2026, 3, 13, 21, 30, 0, TimeSpan.Zero); // Friday 22:30 local
    private static readonly DateTimeOffset Midday = new(2026, 3, 11, 11, 0, 0, TimeSpan.Zero); // Wednesday 12:00 local
    private static readonly DateTimeOffset BeforeGap = new(2026, 3, 28, 23, 0, 0, TimeSpan.Zero); // Sunday 00:00 local, gap 02:00–03:00
    private ContactWindow _quietOnly;
    private ContactWindow _preferred;
    private ContactWindow _gap;

    [GlobalSetup]
    public void Setup()
    {
        _quietOnly = new ContactWindow(Berlin, Quiet, null, null);
        _preferred = new ContactWindow(Berlin, Quiet, [DayOfWeek.Monday, DayOfWeek.Wednesday], [new TimeWindow(new TimeOnly(10, 0), new TimeOnly(12, 0)), new TimeWindow(new TimeOnly(14, 0), new TimeOnly(16, 0))]);
        _gap = new ContactWindow(Berlin, new TimeWindow(new TimeOnly(0, 0), new TimeOnly(2, 30)), null, null);
    }

    [Benchmark(Description = "IsAllowed, preferred times")]
    public bool IsAllowed() => _preferred.IsAllowed(Midday);

    [Benchmark(Description = "NextAllowed, quiet hours only")]
    public DateTimeOffset? NextAllowedQuiet() => _quietOnly.NextAllowed(Evening);

    [Benchmark(Description = "NextAllowed, preferred days and hours")]
    public DateTimeOffset? NextAllowedPreferred() => _preferred.NextAllowed(Evening);

    [Benchmark(Description = "NextAllowed, quiet end in a DST gap")]
    public DateTimeOffset? NextAllowedGap() => _gap.NextAllowed(BeforeGap);
}
