using System.Globalization;
using Personalize.Events;

namespace Personalize.Tests.Events;

public sealed class FactFormatTests
{
    [Fact]
    public void An_instant_is_written_as_the_invariant_iso_text_in_utc_to_the_second_across_the_whole_range()
    {
        var random = new Random(20261206);
        var instants = new List<DateTimeOffset>
        {
            DateTimeOffset.MinValue,
            DateTimeOffset.MaxValue,
            new(999, 12, 31, 23, 59, 59, TimeSpan.Zero),
            new(1000, 1, 1, 0, 0, 0, TimeSpan.Zero),
            new(2024, 2, 29, 12, 0, 0, TimeSpan.Zero),
            new(2026, 3, 29, 2, 30, 15, 999, TimeSpan.FromHours(2)),
        };
        for (var i = 0; i < 5_000; i++)
        {
            instants.Add(new DateTimeOffset(random.NextInt64(DateTimeOffset.MinValue.UtcTicks + TimeSpan.TicksPerDay, DateTimeOffset.MaxValue.UtcTicks - TimeSpan.TicksPerDay), TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(random.Next(-14 * 60, 14 * 60 + 1))));
        }

        foreach (var at in instants)
        {
            var text = Fact.Format(at);
            Assert.Equal(at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), text);
            Assert.True(new Fact(text, at, "e").TryGetInstant(out var read));
            Assert.Equal(at.UtcTicks / TimeSpan.TicksPerSecond, read.UtcTicks / TimeSpan.TicksPerSecond);
        }
    }
}
