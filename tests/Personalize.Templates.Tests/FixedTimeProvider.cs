namespace Personalize.Templates.Tests;

/// <summary>A clock that always says the same instant (there is no FakeTimeProvider package here).</summary>
internal sealed class FixedTimeProvider : TimeProvider
{
    public FixedTimeProvider(DateTimeOffset? now = null) => Now = now ?? new DateTimeOffset(2026, 1, 5, 10, 30, 0, TimeSpan.Zero);

    public DateTimeOffset Now { get; set; }

    public override DateTimeOffset GetUtcNow() => Now;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
}
