using Personalize.Channels;
using Personalize.Customers;

namespace Personalize.Tests.Customers;

public sealed class ContactHistoryTests
{
    private static DateTimeOffset At(int day, int hour = 12) => new(2026, 3, day, hour, 0, 0, TimeSpan.Zero);

    private static ContactRecord Sent(string id, Channel channel, ContactPurpose purpose, MessageKind kind, DateTimeOffset at)
        => new() { MessageId = id, Channel = channel, Purpose = purpose, Kind = kind, SentAt = at };

    private static readonly ContactHistory History = new(
    [
        Sent("m3", Channel.Email, ContactPurpose.Marketing, MessageKind.Ask, At(10)),
        Sent("m1", Channel.Email, ContactPurpose.Marketing, MessageKind.Give, At(1)),
        Sent("m2", Channel.Sms, ContactPurpose.Service, MessageKind.Give, At(5)),
        Sent("m4", Channel.Email, ContactPurpose.Marketing, MessageKind.Give, At(12)),
    ]);

    [Fact]
    public void Records_are_ordered_by_time()
    {
        Assert.Equal(["m1", "m2", "m3", "m4"], History.Records.Select(r => r.MessageId));
    }

    [Fact]
    public void Counts_within_a_half_open_window_with_filters()
    {
        Assert.Equal(4, History.CountBetween(At(1), At(13)));
        Assert.Equal(3, History.CountBetween(At(1, 13), At(13)));
        Assert.Equal(3, History.CountBetween(At(1), At(12)));
        Assert.Equal(3, History.CountBetween(At(1), At(13), Channel.Email));
        Assert.Equal(1, History.CountBetween(At(1), At(13), purpose: ContactPurpose.Service));
        Assert.Equal(1, History.CountBetween(At(1), At(13), kind: MessageKind.Ask));
    }

    [Fact]
    public void Last_finds_the_latest_match()
    {
        Assert.Equal("m4", History.Last()!.MessageId);
        Assert.Equal("m2", History.Last(Channel.Sms)!.MessageId);
        Assert.Null(History.Last(Channel.Push));
    }

    [Fact]
    public void Append_keeps_order_and_leaves_the_original_unchanged()
    {
        var appended = History.Append(Sent("m2b", Channel.Push, ContactPurpose.Marketing, MessageKind.Give, At(7)));

        Assert.Equal(4, History.Count);
        Assert.Equal(["m1", "m2", "m2b", "m3", "m4"], appended.Records.Select(r => r.MessageId));
    }

    [Fact]
    public void Frequency_cap_counts_a_rolling_window_and_says_when_it_releases()
    {
        var cap = new FrequencyCap { Channel = Channel.Email, Max = 2, Period = CapPeriod.Week };

        // On 13 March the week back to 6 March holds m3 (10th) and m4 (12th): the cap is reached.
        Assert.Equal(2, cap.CountIn(History, At(13)));
        Assert.True(cap.IsReached(History, At(13)));
        // One more fits once m3 (10 March 12:00) leaves the window, on 17 March 12:00.
        Assert.Equal(At(17), cap.NextAllowed(History, At(13)));
        Assert.False(cap.IsReached(History, At(17)));
        Assert.True(cap.IsReached(History, At(17).AddTicks(-1)));
        Assert.True(cap.IsReached(History, At(12)), "a message sent at the instant itself counts");
        Assert.Equal(At(17), cap.NextAllowed(History, At(17)));
    }

    [Fact]
    public void Overall_cap_counts_every_channel_and_zero_never_releases()
    {
        var overall = new FrequencyCap { Max = 3, Period = CapPeriod.Month };
        var none = new FrequencyCap { Channel = Channel.Sms, Max = 0, Period = CapPeriod.Day };

        Assert.True(overall.IsReached(History, At(13)));
        Assert.True(overall.IsReached(History, At(13), ContactPurpose.Marketing));
        Assert.False(overall.IsReached(History, At(13), ContactPurpose.Service));
        // Four in the window, three allowed: the second oldest (m2, 5 March) must leave, 30 days later.
        Assert.Equal(new DateTimeOffset(2026, 4, 4, 12, 0, 0, TimeSpan.Zero), overall.NextAllowed(History, At(13)));
        Assert.True(none.IsReached(History, At(13)));
        Assert.Null(none.NextAllowed(History, At(13)));
    }
}
