using Personalize.Catalog;

namespace Personalize.Decisions;

/// <summary>What the channel rules said about one channel of a candidate message, with the reason.</summary>
public readonly struct ChannelOutcome
{
    private readonly Decision? _decision;
    private readonly CompiledMessage? _message;
    private readonly long _sendAtTicks;

    internal ChannelOutcome(Decision decision, CompiledMessage message, Channel channel, ChannelStatus status, string code, RuleResult result, DateTimeOffset? sendAt, bool dropped)
    {
        _decision = decision;
        _message = message;
        Channel = channel;
        Status = status;
        Code = code;
        Result = result;
        _sendAtTicks = sendAt is { } instant ? instant.UtcTicks : -1;
        Dropped = dropped;
    }

    /// <summary>The channel.</summary>
    public Channel Channel { get; }

    /// <summary>Allowed now, deferred or blocked.</summary>
    public ChannelStatus Status { get; }

    /// <summary>
    /// The stable code: <c>allowed</c>, <c>timing.deferred</c>, or the code of the rule that blocked the channel
    /// (<c>consent.withdrawn</c>, <c>frequency.channel_cap</c>, <c>timing.past_expiry</c>, …).
    /// </summary>
    public string Code { get; }

    /// <summary>For <see cref="ChannelStatus.Allowed"/> and <see cref="ChannelStatus.Deferred"/>, when it would go; for <c>timing.past_expiry</c>, the next allowed instant that is too late.</summary>
    public DateTimeOffset? SendAt => _sendAtTicks < 0 ? null : new DateTimeOffset(_sendAtTicks, TimeSpan.Zero);

    /// <summary>Whether the channel was blocked only for now but the message drops rather than defers.</summary>
    public bool Dropped { get; }

    /// <summary>Whether the send is deferred.</summary>
    public bool IsDeferred => Status == ChannelStatus.Deferred;

    /// <summary>A sentence a marketer understands; worded on demand.</summary>
    public string Reason => _decision is null ? string.Empty : Explanations.ChannelReason(_decision, _message!, this);

    /// <summary>The rule result behind the outcome (for deferred, the first rule that deferred it).</summary>
    internal RuleResult Result { get; }

    /// <summary>The code and the reason.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Channel}: {Code} — {Reason}";
}
