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
    internal RuleResult Result => _entry.Result(_decision is null ? 0 : _decision.At.UtcTicks);

    /// <summary>The code and the reason.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{Channel}: {Code} — {Reason}";
}

/// <summary>
/// What a decision keeps of one channel tried (40 bytes): the outcome and the rule result behind it. The channel is
/// the message's content at <see cref="ContentIndex"/>; <see cref="ChannelOutcome"/> binds the decision and message on read.
/// </summary>
/// <remarks>
/// A try has up to three instants — its send instant, and its result's retry instant and the instant the result was
/// judged at — but two slots: the result's instant is nearly always none or the decision instant (a flag then), or the
/// try has no send instant of its own (blocked) or its send instant is the retry instant (dropped, past expiry, one
/// deferral), which frees the first slot for it. Only a result judged at another instant on a try deferred to a later
/// instant than the result's retry (several deferrals with the decision's earlier winners, or a host rule's own
/// instant) keeps its instant in a small object with the detail.
/// </remarks>
internal readonly struct ChannelEntry
{
    private const int HostReason = 1;
    private const int InstantShift = 1;   // 2 bits: how the result's instant is kept
    private const int InstantZero = 0;    // none (0 ticks)
    private const int InstantAtDecision = 1;
    private const int InstantInFirst = 2; // in _first (the send instant is none or the retry instant)
    private const int InstantKept = 3;    // in a DetailAndInstant with the detail
    private const int SendShift = 3;      // 2 bits: where the send instant is
    private const int SendInFirst = 0;    // _first (-1 for none)
    private const int SendIsRetry = 1;
    private const int SendNone = 2;

    private readonly string? _resultCode;
    private readonly object? _detail;
    private readonly long _first;
    private readonly long _retryTicks;
    private readonly int _number;
    private readonly ushort _contentIndex;
    private readonly Outcome _kind;
    private readonly byte _flags;

    /// <summary>An entry; <paramref name="atTicks"/> is the decision instant (UTC ticks), which most results are judged at.</summary>
    public ChannelEntry(int contentIndex, Outcome kind, in RuleResult result, DateTimeOffset? sendAt, long atTicks)
    {
        _contentIndex = checked((ushort)contentIndex); // a message has at most ChannelRegistry.MaxChannels channels
        _kind = kind;
        _resultCode = result.Code;
        _number = result.Number;
        _retryTicks = result.RetryTicks;
        var detail = result.Detail;
        var send = sendAt is { } instant ? instant.UtcTicks : -1;
        var judged = result.InstantTicks;
        int instantMode;
        int sendMode;
        if (judged == 0 || judged == atTicks)
        {
            instantMode = judged == 0 ? InstantZero : InstantAtDecision;
            sendMode = SendInFirst;
            _first = send;
        }
        else if (send < 0 || send == _retryTicks)
        {
            instantMode = InstantInFirst;
            sendMode = send < 0 ? SendNone : SendIsRetry;
            _first = judged;
        }
        else
        {
            instantMode = InstantKept;
            sendMode = SendInFirst;
            _first = send;
            detail = new DetailAndInstant(detail, judged);
        }

        _detail = detail;
        _flags = (byte)((result.IsHostReason ? HostReason : 0) | (instantMode << InstantShift) | (sendMode << SendShift));
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

    public DateTimeOffset? SendAt
    {
        get
        {
            var ticks = SendAtTicks;
            return ticks < 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    public long SendAtTicks => ((_flags >> SendShift) & 3) switch
    {
        SendIsRetry => _retryTicks,
        SendNone => -1,
        _ => _first,
    };

    /// <summary>The code of the rule result behind the outcome (none when allowed).</summary>
    public string? ResultCode => _resultCode;

    /// <summary>The rule result behind the outcome; <paramref name="atTicks"/> is the decision instant the entry was made with.</summary>
    public RuleResult Result(long atTicks)
    {
        var mode = (_flags >> InstantShift) & 3;
        var detail = mode == InstantKept ? ((DetailAndInstant)_detail!).Detail : _detail;
        var judged = mode switch
        {
            InstantZero => 0,
            InstantAtDecision => atTicks,
            InstantInFirst => _first,
            _ => ((DetailAndInstant)_detail!).InstantTicks,
        };
        return new(_resultCode, detail, (_flags & HostReason) != 0, _retryTicks, _number, judged);
    }

    /// <summary>
    /// Whether the entry is one a <see cref="ContactlessTries"/> slot rebuilds exactly (see <see cref="SameAs"/>):
    /// allowed now without a result, or blocked by a result judged at the decision instant without detail, retry,
    /// number or host reason. Read from the fields, not by building the other entry (every allowed and
    /// <c>consent.missing</c> try asks).
    /// </summary>
    public bool IsPlain(long atTicks) => _detail is null && _retryTicks == 0 && _number == 0 && _kind switch
    {
        Outcome.Allowed => _resultCode is null && _first == atTicks && _flags == 0,
        Outcome.Blocked => _first == -1 && _flags == (InstantAtDecision << InstantShift),
        _ => false,
    };

    /// <summary>Whether <paramref name="other"/> holds exactly the same fields (the same references, instants and flags).</summary>
    public bool SameAs(in ChannelEntry other)
        => ReferenceEquals(_resultCode, other._resultCode) && ReferenceEquals(_detail, other._detail) && _first == other._first
        && _retryTicks == other._retryTicks && _number == other._number && _contentIndex == other._contentIndex && _kind == other._kind
        && _flags == other._flags;

    /// <summary>A result's detail with the instant it was judged at, when the entry has no slot for that instant.</summary>
    private sealed class DetailAndInstant(object? detail, long instantTicks)
    {
        public object? Detail { get; } = detail;

        public long InstantTicks { get; } = instantTicks;
    }
}
