using System.Globalization;
using System.Text;
using Personalize.Journeys;

namespace Personalize.Tests.Journeys;

/// <summary>
/// The due pass's working state (<see cref="JourneyWork"/>) makes the same durable instance as a copy per transition
/// (<see cref="JourneyInstance.Record"/>), and the stored state reads back as written, whatever the property order.
/// </summary>
public sealed class JourneyWorkTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly JourneyStepRecord[] NoRecords = [];

    [Fact]
    public void Build_keeps_and_drops_history_records_exactly_as_recording_them_one_by_one()
    {
        var random = new Random(15);
        var work = new JourneyWork();
        for (var run = 0; run < 3_000; run++)
        {
            var kept = random.Next(4) switch { 0 => random.Next(0, 5), 1 => random.Next(JourneyInstance.MaxHistory - 5, JourneyInstance.MaxHistory + 1), _ => random.Next(0, JourneyInstance.MaxHistory + 1) };
            var omitted = random.Next(2) == 0 ? 0 : random.Next(0, kept + 1);
            var read = Instance(run, kept - omitted, omitted, random.Next(0, 50));
            var added = random.Next(5) == 0 ? random.Next(1, JourneyInstance.MaxHistory + 30) : random.Next(1, 6);

            var expected = read;
            work.Load(read);
            for (var i = 0; i < added; i++)
            {
                var record = new JourneyStepRecord(T0.AddMinutes(i), "s" + i.ToString(CultureInfo.InvariantCulture), JourneyOutcomes.Sent, i % 2 == 0 ? null : "new " + i.ToString(CultureInfo.InvariantCulture));
                expected = expected.Record(record);
                work.Record(record);
            }

            work.StepId = "next";
            work.WakeAt = T0.AddDays(7);
            work.Attempt = 2;
            expected = expected with { StepId = "next", WakeAt = T0.AddDays(7), Attempt = 2, Revision = read.Revision + 1, UpdatedAt = T0 };
            var built = work.Build(read.Revision + 1, T0);

            Assert.True(work.Changed);
            Assert.Equal(expected.History, built.History);
            Assert.Equal((expected.HistoryDropped, expected.HistoryOmitted, expected.HistoryCount), (built.HistoryDropped, built.HistoryOmitted, built.HistoryCount));
            Assert.Equal(expected with { History = NoRecords }, built with { History = NoRecords });
        }
    }

    [Fact]
    public void An_instance_left_alone_is_unchanged()
    {
        var read = Instance(1, 3, 0, 0);
        var work = new JourneyWork().Load(read);
        Assert.False(work.Changed);
        Assert.Equal((read.StepId, read.WakeAt, read.Status), (work.StepId, work.WakeAt, work.Status));
    }

    [Fact]
    public void The_stored_state_reads_back_as_written_in_any_property_order()
    {
        var random = new Random(22);
        for (var run = 0; run < 500; run++)
        {
            var instance = Instance(run, 0, random.Next(0, 10), random.Next(0, 10)) with
            {
                Status = (JourneyStatus)random.Next(0, 3),
                StepId = random.Next(3) == 0 ? null : "step-" + random.Next(5).ToString(CultureInfo.InvariantCulture),
                WakeAt = random.Next(3) == 0 ? null : T0.AddTicks(random.NextInt64(0, TimeSpan.TicksPerDay * 400)),
                WaitingFor = random.Next(2) == 0 ? null : "survey_answered",
                EntryEventId = random.Next(2) == 0 ? null : "e-\"" + run.ToString(CultureInfo.InvariantCulture) + "\u00e9",
                ExitReason = random.Next(2) == 0 ? null : "renewed",
                Attempt = random.Next(0, 4),
            };
            var written = JourneyInstanceJson.Write(instance);
            Assert.Equal(instance, JourneyInstanceJson.Read(written, null) with { History = instance.History });

            // Another writer's shape: properties reversed, one unknown property, an escaped name.
            using var document = System.Text.Json.JsonDocument.Parse(written);
            var properties = document.RootElement.EnumerateObject().Reverse().Select(static p => (p.Name == "journeyId" ? "\"journey\\u0049d\"" : System.Text.Json.JsonSerializer.Serialize(p.Name)) + ":" + p.Value.GetRawText());
            var other = Encoding.UTF8.GetBytes("{\"note\":{\"a\":[1,2]}," + string.Join(",", properties) + "}");
            Assert.Equal(instance, JourneyInstanceJson.Read(other, null) with { History = instance.History });
        }
    }

    [Theory]
    [InlineData("{\"customerId\":\"c-1\"}", "is missing")]
    [InlineData("[1,2]", "not a JSON object")]
    [InlineData("{\"customerId\":\"c-1\",", "")]
    public void A_stored_state_that_is_not_an_instance_is_a_clear_error(string json, string says)
    {
        var error = Assert.Throws<InvalidDataException>(() => JourneyInstanceJson.Read(Encoding.UTF8.GetBytes(json), null));
        Assert.StartsWith("A stored journey instance is not readable", error.Message, StringComparison.Ordinal);
        Assert.Contains(says, error.Message, StringComparison.Ordinal);
    }

    private static JourneyInstance Instance(int n, int history, int omitted, int dropped) => new()
    {
        CustomerId = "c-" + n.ToString(CultureInfo.InvariantCulture),
        JourneyId = "renewal",
        InstanceId = "1",
        Version = 2,
        Revision = 3 + (n % 5),
        Status = JourneyStatus.Active,
        StepId = "wait",
        StepSince = T0.AddDays(-3),
        WakeAt = T0,
        StartedAt = T0.AddDays(-10),
        UpdatedAt = T0.AddDays(-3),
        History = Enumerable.Range(0, history).Select(static i => new JourneyStepRecord(T0.AddDays(-10).AddMinutes(i), "old", JourneyOutcomes.Waiting, "old " + i.ToString(CultureInfo.InvariantCulture))).ToArray(),
        HistoryOmitted = omitted,
        HistoryDropped = dropped,
    };
}
