using Personalize.Catalog;

namespace Personalize.Decisions;

/// <summary>
/// One candidate message of a decision: where it ended up, the rule that stopped it (a stable code and a sentence),
/// the channel it would use, and its scores. Cheap to hold; the sentence is worded only when read.
/// </summary>
public readonly struct CandidateOutcome
{
    private readonly Decision? _decision;
    private readonly CompiledMessage? _message;
    private readonly int _channelStart;
    private readonly int _channelCount;
    private readonly int _chosen;

    internal CandidateOutcome(
        Decision decision,
        CompiledMessage message,
        CandidateStatus status,
        string code,
        string rule,
        RuleResult result,
        double relevance,
        double score,
        int channelStart,
        int channelCount,
        int chosen)
    {
        _decision = decision;
        _message = message;
        Status = status;
        Code = code;
        Rule = rule;
        Result = result;
        Relevance = relevance;
        Score = score;
        _channelStart = channelStart;
        _channelCount = channelCount;
        _chosen = chosen;
    }

    /// <summary>The message id.</summary>
    public string MessageId => _message?.Id ?? string.Empty;

    /// <summary>The message.</summary>
    public MessageDefinition Message => _message!.Definition;

    /// <summary>Selected, lost or suppressed.</summary>
    public CandidateStatus Status { get; }

    /// <summary>The stable code: <c>selected</c>, <c>arbitration.lost</c>, <c>ask.one_per_contact</c>, <c>channel.none_allowed</c> or the code of the rule that stopped it.</summary>
    public string Code { get; }

    /// <summary>The name of the rule that decided (<c>eligibility</c>, <c>consent</c>, … <c>channel_selection</c>, <c>arbitration</c>).</summary>
    public string Rule { get; }

    /// <summary>A sentence a marketer understands; worded on demand.</summary>
    public string Reason => _decision is null ? string.Empty : Explanations.CandidateReason(_decision, _message!, this);

    /// <summary>The message's priority.</summary>
    public double Priority => _message?.Definition.Priority ?? 0;

    /// <summary>The message's value.</summary>
    public double Value => _message?.Definition.Value ?? 0;

    /// <summary>The relevance, 0 to 1: the share of the message's topics the customer subscribed to (neutral without topics).</summary>
    public double Relevance { get; }

    /// <summary>The arbitration score, <c>priority^a × relevance^b × value^c</c>.</summary>
    public double Score { get; }

    /// <summary>The channel it goes (or would have gone) on, when channel selection found one.</summary>
    public Channel? Channel => _chosen >= 0 ? _decision!.ChannelOutcomes[_chosen].Channel : null;

    /// <summary>When it goes (or would have gone), when channel selection found a channel.</summary>
    public DateTimeOffset? SendAt => _chosen >= 0 ? _decision!.ChannelOutcomes[_chosen].SendAt : null;

    /// <summary>Whether the send is (or would have been) deferred.</summary>
    public bool IsDeferred => _chosen >= 0 && _decision!.ChannelOutcomes[_chosen].IsDeferred;

    /// <summary>The channels tried, in the order tried (the customer's ranking first), each with its outcome.</summary>
    public IReadOnlyList<ChannelOutcome> Channels
        => _channelCount == 0 ? Array.Empty<ChannelOutcome>() : new ArraySegment<ChannelOutcome>(_decision!.ChannelOutcomes, _channelStart, _channelCount);

    /// <summary>The rule result that stopped it, for suppressed candidates.</summary>
    internal RuleResult Result { get; }

    internal CompiledMessage? Compiled => _message;

    internal int ChosenIndex => _chosen;

    internal int ChannelStart => _channelStart;

    internal int ChannelCount => _channelCount;

    /// <summary>The id, code and reason.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{MessageId}: {Code} — {Reason}";
}
