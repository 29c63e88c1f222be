using Personalize.Catalog;
using Personalize.Channels;

namespace Personalize.Decisions;

/// <summary>
/// One candidate message of a decision: where it ended up, the rule that stopped it (a stable code and a sentence),
/// the channel it would use, and its scores. Cheap to hold; the sentence is worded only when read.
/// </summary>
public readonly struct CandidateOutcome
{
    private readonly Decision? _decision;
    private readonly CandidateEntry _entry;

    internal CandidateOutcome(Decision decision, in CandidateEntry entry)
    {
        _decision = decision;
        _entry = entry;
    }

    /// <summary>The message id.</summary>
    public string MessageId => _entry.Message?.Id ?? string.Empty;

    /// <summary>The message.</summary>
    public MessageDefinition Message => _entry.Message!.Definition;

    /// <summary>Selected, lost or suppressed.</summary>
    public CandidateStatus Status => _entry.Status;

    /// <summary>The stable code: <c>selected</c>, <c>arbitration.lost</c>, <c>ask.one_per_contact</c>, <c>channel.none_allowed</c> or the code of the rule that stopped it.</summary>
    public string Code => _entry.Code ?? string.Empty;

    /// <summary>The name of the rule that decided (<c>eligibility</c>, <c>consent</c>, … <c>channel_selection</c>, <c>arbitration</c>).</summary>
    public string Rule => _decision?.Engine.RuleName(_entry.Rule) ?? string.Empty;

    /// <summary>A sentence a marketer understands; worded on demand.</summary>
    public string Reason => _decision is null ? string.Empty : Explanations.CandidateReason(_decision, _entry.Message!, this);

    /// <summary>The message's priority.</summary>
    public double Priority => _entry.Message?.Priority ?? 0;

    /// <summary>The message's value.</summary>
    public double Value => _entry.Message?.Value ?? 0;

    /// <summary>The relevance, 0 to 1: the share of the message's topics the customer subscribed to (neutral without topics).</summary>
    public double Relevance => _entry.Relevance;

    /// <summary>
    /// The factor on <see cref="Value"/> from the customer's tier (<see cref="DecisionOptions.TierWeights"/>, by the
    /// message's purpose and kind); 1 when the tier has no weights.
    /// </summary>
    public double TierWeight => _decision?.Engine.TierOf(_decision.Customer) is { } tier ? tier.FactorOf(_entry.Message!) : 1;

    /// <summary>The arbitration score, <c>priority^a × relevance^b × (value × tier weight)^c</c>.</summary>
    public double Score => _decision is null ? 0 : _decision.Engine.Score(_entry.Message!.Priority, _entry.Relevance, DecisionEngine.ValueOf(_entry.Message, _decision.Engine.TierOf(_decision.Customer)));

    /// <summary>The channel it goes (or would have gone) on, when channel selection found one.</summary>
    public Channel? Channel => TryChosen(out var chosen) ? _entry.Message!.Contents[chosen.ContentIndex].Channel : null;

    /// <summary>When it goes (or would have gone), when channel selection found a channel.</summary>
    public DateTimeOffset? SendAt => TryChosen(out var chosen) ? chosen.SendAt : null;

    /// <summary>Whether the send is (or would have been) deferred.</summary>
    public bool IsDeferred => TryChosen(out var chosen) && chosen.Status == ChannelStatus.Deferred;

    /// <summary>The channels tried, in the order tried (the customer's ranking first), each with its outcome.</summary>
    public IReadOnlyList<ChannelOutcome> Channels
    {
        get
        {
            // The tries kept as entries and those kept in the outcome (no contact point), merged in try order.
            var contactless = _entry.Contactless;
            var count = _entry.ChannelCount + ContactlessTries.Count(contactless);
            if (count == 0)
            {
                return Array.Empty<ChannelOutcome>();
            }

            var channels = new ChannelOutcome[count];
            var entries = _decision!.ChannelEntries;
            var next = _entry.ChannelStart;
            for (var i = 0; i < channels.Length; i++)
            {
                channels[i] = ContactlessTries.At(contactless, i, _decision.At.UtcTicks, out var kept)
                    ? new ChannelOutcome(_decision, _entry.Message!, kept)
                    : new ChannelOutcome(_decision, _entry.Message!, entries[next++]);
            }

            return channels;
        }
    }

    /// <summary>The rule result that stopped it, for suppressed candidates.</summary>
    internal RuleResult Result => _entry.Result;

    internal CompiledMessage? Compiled => _entry.Message;

    /// <summary>Whether a channel was chosen (or would have been), and its entry.</summary>
    internal bool TryChosen(out ChannelEntry chosen)
    {
        if (_decision is null)
        {
            chosen = default;
            return false;
        }

        return _entry.TryChosen(_decision.ChannelEntries, _decision.At.UtcTicks, out chosen);
    }

    /// <summary>The id, code and reason.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{MessageId}: {Code} — {Reason}";
}

/// <summary>
/// What a decision keeps of one candidate it evaluated (48 bytes). The score is not kept: it is a function of the
/// message and the relevance (<see cref="DecisionEngine.Score"/>). A candidate a message rule stopped keeps that
/// rule's result and has no channels; any other keeps the channels it tried, so one field holds either the result's
/// instant or the range of its channel entries. The rule that decided is kept as its position in the engine's rule
/// names (<see cref="DecisionEngine.RuleName"/>), not as a string.
/// </summary>
internal readonly struct CandidateEntry
{
    /// <summary>No rule (a default entry).</summary>
    public const ushort NoRule = 0;

    /// <summary><c>eligibility</c> as the ranking applies it (the trigger or the stage; a rule's result).</summary>
    public const ushort EligibilityRule = 1;

    /// <summary><c>give_before_ask</c> (the ask limit).</summary>
    public const ushort GiveBeforeAskRule = 2;

    /// <summary><c>channel_selection</c>.</summary>
    public const ushort ChannelSelectionRule = 3;

    /// <summary><c>arbitration</c>.</summary>
    public const ushort ArbitrationRule = 4;

    /// <summary>The engine's message rule <c>r</c> is <c>FirstMessageRule + r</c>.</summary>
    public const ushort FirstMessageRule = 5;

    private readonly CompiledMessage _message;
    private readonly string _code;
    private readonly object? _detail;
    private readonly double _relevance;
    private readonly long _instantOrChannels;
    private readonly int _number;
    private readonly byte _status;
    private readonly bool _hostReason;
    private readonly ushort _rule;

    /// <summary>A candidate a rule stopped (<see cref="EligibilityRule"/> or a message rule), without channels; its code is the rule's.</summary>
    public CandidateEntry(CompiledMessage message, ushort rule, in RuleResult result, double relevance)
    {
        System.Diagnostics.Debug.Assert(rule == EligibilityRule || rule >= FirstMessageRule, "a rule's result");
        _message = message;
        _status = (byte)CandidateStatus.Suppressed;
        _code = result.Code!;
        _rule = rule;
        _detail = result.Detail;
        _hostReason = result.IsHostReason;
        _number = result.Number;
        _instantOrChannels = result.InstantTicks;
        _relevance = relevance;
    }

    private CandidateEntry(in CandidateEntry entry, int offset)
    {
        this = entry;
        _instantOrChannels = (long)(uint)(entry.ChannelStart + offset) << 32 | (entry._instantOrChannels & 0xFFFFFFFFL);
    }

    private const int InlineChosen = 0xFFFF;

    /// <summary>A candidate that reached channel selection (or the ask limit): the channel entries it tried, and the chosen one.</summary>
    public CandidateEntry(CompiledMessage message, CandidateStatus status, string code, ushort rule, double relevance, int channelStart, int channelCount, int chosen, uint contactless = 0)
    {
        System.Diagnostics.Debug.Assert(rule is GiveBeforeAskRule or ChannelSelectionRule or ArbitrationRule, "not a rule's result");
        _message = message;
        _status = (byte)status;
        _code = code;
        _rule = rule;
        _relevance = relevance;

        // start (32 bits) | count (16 bits, at most ChannelRegistry.MaxChannels) | chosen - start + 1 (16 bits, 0 for none)
        // (0xFFFF: the chosen try is the one allowed now kept in the outcome, see ContactlessTries)
        var chosenField = chosen < 0 ? 0 : chosen == DecisionEngine.ChosenInline ? InlineChosen : chosen - channelStart + 1;
        _instantOrChannels = (long)(uint)channelStart << 32 | (long)(ushort)channelCount << 16 | (ushort)chosenField;

        // A rule's number is kept only for a candidate a rule stopped; here the field holds the tries without a contact point.
        _number = (int)contactless;
    }

    /// <summary>The same outcome with its channel entries <paramref name="offset"/> further on (moved into a batch's shared segment).</summary>
    public CandidateEntry Shifted(int offset) => StoppedByRule || offset == 0 ? this : new CandidateEntry(this, offset);

    public CompiledMessage? Message => _message;

    public CandidateStatus Status => (CandidateStatus)_status;

    public string? Code => _code;

    /// <summary>The rule that decided, as a position in the engine's rule names (see <see cref="DecisionEngine.RuleName"/>).</summary>
    public ushort Rule => _rule;

    /// <summary>Whether a rule's result stopped it (then it has no channels and keeps the result).</summary>
    private bool StoppedByRule => _rule == EligibilityRule || _rule >= FirstMessageRule;

    public double Relevance => _relevance;

    public int ChannelStart => StoppedByRule ? 0 : (int)(_instantOrChannels >>> 32);

    public int ChannelCount => StoppedByRule ? 0 : (int)((_instantOrChannels >> 16) & 0xFFFF);

    /// <summary>The channel tries without a contact point kept in the outcome rather than as entries (see <see cref="ContactlessTries"/>).</summary>
    public uint Contactless => StoppedByRule ? 0 : (uint)_number;

    /// <summary>The chosen channel entry's index in the decision, or -1 (none, or the chosen try is kept in the outcome: see <see cref="TryChosen"/>).</summary>
    public int Chosen
    {
        get
        {
            var offset = StoppedByRule ? 0 : (int)(_instantOrChannels & 0xFFFF);
            return offset is 0 or InlineChosen ? -1 : ChannelStart + offset - 1;
        }
    }

    /// <summary>Whether a channel was chosen, and its entry: one of <paramref name="entries"/>, or the try allowed now kept in the outcome (at <paramref name="atTicks"/>, the decision instant).</summary>
    public bool TryChosen(ChannelEntry[] entries, long atTicks, out ChannelEntry entry)
    {
        var offset = StoppedByRule ? 0 : (int)(_instantOrChannels & 0xFFFF);
        if (offset == 0)
        {
            entry = default;
            return false;
        }

        if (offset == InlineChosen)
        {
            var kept = Contactless;
            var total = ContactlessTries.Count(kept) + ChannelCount;
            for (var i = 0; i < total; i++)
            {
                if (ContactlessTries.At(kept, i, atTicks, out entry) && entry.Kind == ChannelEntry.Outcome.Allowed)
                {
                    return true;
                }
            }

            throw new InvalidOperationException("The chosen try is not kept in the outcome.");
        }

        entry = entries[ChannelStart + offset - 1];
        return true;
    }

    /// <summary>The result of the rule that stopped it (its code is the candidate's; a retry instant is not kept, as a stopped candidate is not deferred).</summary>
    public RuleResult Result => StoppedByRule ? new(_code, _detail, _hostReason, 0, _number, _instantOrChannels) : default;
}
