using Personalize.Decisions;
using static Personalize.Tests.Decisions.DecisionKit;

namespace Personalize.Tests.Decisions;

/// <summary>
/// A channel try is kept in 40 bytes with two instant slots for up to three instants (send, retry, judged): whatever
/// combination a rule returns, the entry gives back exactly the send instant and the rule result it was made with.
/// </summary>
public sealed class ChannelEntryTests
{
    private static readonly long At = Now.UtcTicks;
    private static readonly long Later = Now.AddHours(2).UtcTicks;
    private static readonly long Latest = Now.AddHours(9).UtcTicks;
    private static readonly long Other = Now.AddMinutes(-17).UtcTicks;

    public static TheoryData<int, long, long, long, bool> Cases()
    {
        var data = new TheoryData<int, long, long, long, bool>();
        foreach (var (kind, send) in new[]
        {
            (ChannelEntry.Outcome.Allowed, At), (ChannelEntry.Outcome.Blocked, -1L), (ChannelEntry.Outcome.Dropped, Later),
            (ChannelEntry.Outcome.PastExpiry, Later), (ChannelEntry.Outcome.Deferred, Later), (ChannelEntry.Outcome.Deferred, Latest),
            (ChannelEntry.Outcome.NoAllowedTime, Latest),
        })
        {
            foreach (var retry in new[] { 0L, Later })
            {
                foreach (var judged in new[] { 0L, At, Later, Other })
                {
                    foreach (var hostReason in new[] { false, true })
                    {
                        data.Add((int)kind, send, retry, judged, hostReason);
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_send_instant_and_the_result_read_back_exactly(int outcome, long send, long retry, long judged, bool hostReason)
    {
        var kind = (ChannelEntry.Outcome)outcome;
        var detail = hostReason ? (object)"the host's reason" : new Personalize.Customers.FrequencyCap { Max = 2, Period = Personalize.Customers.CapPeriod.Day };
        var result = new RuleResult("frequency.overall_cap", detail, hostReason, retry, 3, judged);

        var entry = new ChannelEntry(4, kind, result, send < 0 ? null : new DateTimeOffset(send, TimeSpan.Zero), At);
        var back = entry.Result(At);

        Assert.Equal(send, entry.SendAtTicks);
        Assert.Equal(send < 0 ? null : new DateTimeOffset(send, TimeSpan.Zero), entry.SendAt);
        Assert.Equal((4, kind), (entry.ContentIndex, entry.Kind));
        Assert.Equal(result.Code, back.Code);
        Assert.Same(result.Detail, back.Detail);
        Assert.Equal(result.IsHostReason, back.IsHostReason);
        Assert.Equal(result.RetryTicks, back.RetryTicks);
        Assert.Equal(result.Number, back.Number);
        Assert.Equal(result.InstantTicks, back.InstantTicks);
        Assert.Equal(result.Reason, back.Reason);
    }
}
