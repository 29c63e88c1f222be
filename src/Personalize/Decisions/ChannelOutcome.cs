using Personalize.Catalog;
using Personalize.Channels;

namespace Personalize.Decisions;

/// <summary>What the channel rules said about one channel of a candidate message, with the reason.</summary>
public readonly struct ChannelOutcome
{
    private readonly Decision? _decision;
    private readonly CompiledMessage? _message;
    private readonly ChannelEntry _entry;

    internal ChannelOutcome(Decision decision, CompiledMessage message, in ChannelEntry entry)
    {
        _decision = decision;
        _message = message;
        _entry = entry;
    }

    /// <summary>The channel.</summary>
    public Channel Channel => _message is null ? default : _message.Contents[_entry.ContentIndex].Channel;

    /// <summary>Allowed now, deferred or blocked.</summary>
    public ChannelStatus Status => _entry.Status;

    /// <summary>
    /// The stable code: <c>allowed</c>, <c>timing.deferred</c>, or the code of the rule that blocked the channel
    /// (<c>consent.withdrawn</c>, <c>frequency.channel_cap</c>, <c>timing.past_expiry</c>, …).
    /// </summary>
    public string Code => _message is null ? string.Empty : _entry.Code;

    /// <summary>For <see cref="ChannelStatus.Allowed"/> and <see cref="ChannelStatus.Deferred"/>, when it would go; for <c>timing.past_expiry</c>, the next allowed instant that is too late.</summary>
    public DateTimeOffset? SendAt => _entry.SendAt;

    /// <summary>Whether the channel was blocked only for now but the message drops rather than defers.</summary>
    public bool Dropped => _entry.Kind == ChannelEntry.Outcome.Dropped;

    /// <summary>Whether the send is deferred.</summary>
    public bool IsDeferred => Status == ChannelStatus.Deferred;

    /// <summary>A sentence a marketer understands; worded on demand.</summary>
    public string Reason => _decision is null ? string.Empty : Explanations.ChannelReason(_decision, _message!, this);

    /// <summary>The rule result behind the outcome (for deferred, the first rule that deferred it).</summary>
    internal RuleResult Result => _entry.Result;

    /// <summary>The code and the reason.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Channel}: {Code} — {Reason}";
}

/// <summary>
/// What a decision keeps of one channel tried (48 bytes): the outcome and the rule result behind it. The channel is
/// the message's content at <see cref="ContentIndex"/>; <see cref="ChannelOutcome"/> binds the decision and message on read.
/// </summary>
internal readonly struct ChannelEntry
{
    private readonly string? _resultCode;
    private readonly object? _detail;
    private readonly long _retryTicks;
    private readonly long _instantTicks;
    private readonly long _sendAtTicks;
    private readonly int _number;
    private readonly ushort _contentIndex;
    private readonly Outcome _kind;
    private readonly bool _hostReason;

    public ChannelEntry(int contentIndex, Outcome kind, RuleResult result, DateTimeOffset? sendAt)
    {
        _contentIndex = checked((ushort)contentIndex); // a message has at most ChannelRegistry.MaxChannels channels
        _kind = kind;
        _resultCode = result.Code;
        _detail = result.Detail;
        _hostReason = result.IsHostReason;
        _retryTicks = result.RetryTicks;
        _instantTicks = result.InstantTicks;
        _number = result.Number;
        _sendAtTicks = sendAt is { } instant ? instant.UtcTicks : -1;
    }

    /// <summary>How a channel try ended; the code of each is fixed but for <see cref="Blocked"/> and <see cref="Dropped"/> (the rule's).</summary>
    public enum Outcome : byte
    {
        Allowed,
        Deferred,
        Blocked,
        Dropped,
        PastExpiry,
        NoAllowedTime,
    }

    public int ContentIndex => _contentIndex;

    public Outcome Kind => _kind;

    public ChannelStatus Status => _kind switch
    {
        Outcome.Allowed => ChannelStatus.Allowed,
        Outcome.Deferred => ChannelStatus.Deferred,
        _ => ChannelStatus.Blocked,
    };

    public string Code => _kind switch
    {
        Outcome.Allowed => DecisionCodes.Allowed,
        Outcome.Deferred => DecisionCodes.Deferred,
        Outcome.PastExpiry => DecisionCodes.PastExpiry,
        Outcome.NoAllowedTime => DecisionCodes.NoAllowedTime,
        _ => _resultCode!,
    };

    public DateTimeOffset? SendAt => _sendAtTicks < 0 ? null : new DateTimeOffset(_sendAtTicks, TimeSpan.Zero);

    public long SendAtTicks => _sendAtTicks;

    public RuleResult Result => new(_resultCode, _detail, _hostReason, _retryTicks, _number, _instantTicks);
}
