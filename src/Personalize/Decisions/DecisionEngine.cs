using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Customers;
using Personalize.Decisions.Rules;
using Personalize.Eligibility;

namespace Personalize.Decisions;

/// <summary>
/// Decides, per customer and trigger, which message(s) of a compiled catalog go out, on which channel and when — or
/// none — and why. Order: the compiled index (trigger, stage); the message rules (eligibility, service first, topics,
/// give before ask, message caps, then the host's); channel selection (per channel in the customer's ranking:
/// consent, frequency, timing, then the host's channel rules; deferral to the next allowed instant, never past
/// expiry); arbitration. Thread-safe: one engine and one compiled catalog serve all customers in parallel.
/// </summary>
/// <remarks>
/// <para><b>Relevance</b> is the share of the message's topics the customer subscribed to (topic consent). A message
/// without topics, and a service message none of whose topics match, gets <see cref="DecisionOptions.NeutralRelevance"/>.</para>
/// <para><b>Score</b> = <c>priority^PriorityWeight × relevance^RelevanceWeight × value^ValueWeight</c> (weights are
/// exponents, 1 by default; 0 ignores a factor), where a customer in a tier of <see cref="DecisionOptions.TierWeights"/>
/// has each message's value multiplied by the tier's weight for its purpose and kind. Ties go to the higher priority,
/// then to the earlier message in the catalog.</para>
/// <para><b>Channel selection</b>: the customer's ranked channels first (in their order), then the message's other
/// channels in catalog order. The first channel allowed now wins; when none is, the earliest deferred one (ties by
/// that order); when none can go, the candidate is suppressed with <c>channel.none_allowed</c> and a reason per channel.</para>
/// </remarks>
public sealed partial class DecisionEngine
{
    /// <summary>The names of the built-in rules, in evaluation order.</summary>
    internal static readonly string[] BuiltInRuleNames = ["eligibility", "pause", "service_first", "topics", "give_before_ask", "message_caps", "consent", "frequency", "timing"];


    private readonly IMessageRule[] _messageRules;
    private readonly string?[] _ruleNames;
    private readonly IChannelRule[] _channelRules;
    private readonly int _consentRule;
    private readonly int _timingRule;
    private readonly TimeProvider _timeProvider;
    private ChannelRegistry? _verifiedChannels;
    private readonly int _maxWinners;
    private readonly int _maxAsks;
    private readonly double _neutralRelevance;
    private readonly double _priorityWeight;
    private readonly double _relevanceWeight;
    private readonly double _valueWeight;
    private readonly bool _unitWeights;
    private readonly Dictionary<string, TierWeightTable>? _tiers;

    /// <summary>Creates the engine.</summary>
    /// <param name="options">The options; read once, here.</param>
    /// <param name="eligibility">Consent, channels and timing settings.</param>
    /// <param name="timeProvider">The clock for the overload without an instant.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public DecisionEngine(DecisionOptions options, ContactEligibility eligibility, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(eligibility);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.ThrowIfInvalid();
        Eligibility = eligibility;
        _timeProvider = timeProvider;
        _maxWinners = options.MaxWinners;
        _maxAsks = options.MaxAsksPerDecision;
        MinGivesBeforeAsk = options.MinGivesBeforeAsk;
        _neutralRelevance = options.NeutralRelevance;
        _priorityWeight = options.PriorityWeight;
        _relevanceWeight = options.RelevanceWeight;
        _valueWeight = options.ValueWeight;
        _unitWeights = _priorityWeight == 1 && _relevanceWeight == 1 && _valueWeight == 1;
        if (options.TierWeights.Count > 0)
        {
            _tiers = new Dictionary<string, TierWeightTable>(StringComparer.Ordinal);
            foreach (var (tier, weights) in options.TierWeights)
            {
                _tiers[tier] = new TierWeightTable(tier, _tiers.Count, weights);
            }
        }

        var disabled = options.DisabledRules;
        var messageRules = new List<IMessageRule>();
        AddIf(messageRules, new EligibilityRule(), disabled);
        AddIf(messageRules, new PauseRule(), disabled);
        AddIf(messageRules, new ServiceFirstRule(options), disabled);
        AddIf(messageRules, new TopicRule(options), disabled);
        AddIf(messageRules, new GiveBeforeAskRule(options), disabled);
        AddIf(messageRules, new MessageCapRule(), disabled);
        messageRules.AddRange(options.MessageRules);
        _messageRules = messageRules.ToArray();
        // A decision keeps the rule that decided a candidate as a position in these names (see CandidateEntry), each
        // rule's name read once, here.
        _ruleNames = new string?[CandidateEntry.FirstMessageRule + _messageRules.Length];
        _ruleNames[CandidateEntry.EligibilityRule] = "eligibility";
        _ruleNames[CandidateEntry.GiveBeforeAskRule] = "give_before_ask";
        _ruleNames[CandidateEntry.ChannelSelectionRule] = "channel_selection";
        _ruleNames[CandidateEntry.ArbitrationRule] = "arbitration";
        for (var r = 0; r < _messageRules.Length; r++)
        {
            _ruleNames[CandidateEntry.FirstMessageRule + r] = _messageRules[r].Name;
        }

        var channelRules = new List<IChannelRule>();
        AddIf(channelRules, new ConsentRule(), disabled);
        AddIf(channelRules, new FrequencyRule(options), disabled);
        AddIf(channelRules, new TimingRule(), disabled);
        channelRules.AddRange(options.ChannelRules);
        _channelRules = channelRules.ToArray();
        _consentRule = Array.FindIndex(_channelRules, static r => r is ConsentRule);
        _timingRule = Array.FindIndex(_channelRules, static r => r is TimingRule);
    }

    /// <summary>Consent, channels and timing settings.</summary>
    public ContactEligibility Eligibility { get; }

    /// <summary>The message rules, in evaluation order (built-in ones not disabled, then the host's).</summary>
    public IReadOnlyList<IMessageRule> MessageRules => _messageRules;

    /// <summary>The channel rules, in evaluation order (built-in ones not disabled, then the host's).</summary>
    public IReadOnlyList<IChannelRule> ChannelRules => _channelRules;

    internal int MinGivesBeforeAsk { get; }

    /// <summary>The name of the rule at a position a decision kept (see <see cref="CandidateEntry.Rule"/>), or <see langword="null"/> for none.</summary>
    internal string? RuleName(ushort rule) => rule < _ruleNames.Length ? _ruleNames[rule] : null;

    /// <summary>Decides now, by the injected <see cref="TimeProvider"/>.</summary>
    /// <param name="catalog">The compiled catalog.</param>
    /// <param name="customer">The customer.</param>
    /// <param name="trigger">The trigger.</param>
    /// <returns>The decision.</returns>
    public Decision Decide(CompiledCatalog catalog, CustomerProfile customer, Trigger trigger)
        => Decide(catalog, customer, trigger, _timeProvider.GetUtcNow());

    /// <summary>Decides at an instant.</summary>
    /// <param name="catalog">The compiled catalog.</param>
    /// <param name="customer">The customer.</param>
    /// <param name="trigger">The trigger.</param>
    /// <param name="at">The decision instant.</param>
    /// <param name="detail">Which messages to report on.</param>
    /// <returns>The decision.</returns>
    public Decision Decide(CompiledCatalog catalog, CustomerProfile customer, Trigger trigger, DateTimeOffset at, DecisionDetail detail = DecisionDetail.Candidates)
        => Decide(catalog, customer, trigger, at, null, detail);

    /// <summary>Decides at an instant for an event: conditions see it as <c>event.*</c> (type, id, occurred_at, data).</summary>
    /// <param name="catalog">The compiled catalog.</param>
    /// <param name="customer">The customer.</param>
    /// <param name="trigger">The trigger (usually <c>event:TYPE</c>, or a stage change the event caused).</param>
    /// <param name="at">The decision instant.</param>
    /// <param name="event">The event, or <see langword="null"/>.</param>
    /// <param name="detail">Which messages to report on.</param>
    /// <returns>The decision; <see cref="Decision.Event"/> is the event.</returns>
    public Decision Decide(CompiledCatalog catalog, CustomerProfile customer, Trigger trigger, DateTimeOffset at, Events.CustomerEvent? @event, DecisionDetail detail = DecisionDetail.Candidates)
        => Decide(catalog, customer, trigger, at, @event, detail, null);

    /// <summary>Decides, keeping the decision's entries in a batch's <paramref name="arena"/> when one is given.</summary>
    private Decision Decide(CompiledCatalog catalog, CustomerProfile customer, Trigger trigger, DateTimeOffset at, Events.CustomerEvent? @event, DecisionDetail detail, DecisionArena? arena)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(customer);
        ThrowIfOtherChannels(catalog);
        var considered = detail == DecisionDetail.All ? catalog.All : catalog.Candidates(trigger, customer.Stage);
        var decision = new Decision(DecisionHeader.For(this, catalog, trigger, at, detail, @event), customer);
        if (considered.Length == 0)
        {
            return decision;
        }

        var context = DecisionContext.Rent(customer, trigger, at, Eligibility);
        try
        {
            Decide(decision, context, considered, @event, detail, arena);
        }
        finally
        {
            context.Return();
        }

        return decision;
    }

    /// <summary>
    /// Ranks and evaluates a decision's candidates with a context already set to its customer, trigger and instant; the
    /// caller gives the context back (<see cref="DecisionContext.Return"/>) or resets it for the next customer.
    /// </summary>
    private void Decide(Decision decision, DecisionContext context, CompiledMessage[] considered, Events.CustomerEvent? @event, DecisionDetail detail, DecisionArena? arena)
    {
        context.Event = @event;
        context.Arena = arena;
        context.Tier = _tiers is null ? null : TierOf(decision.Customer);
        Rank(decision, context, considered, detail);
    }

    /// <summary>Throws when the catalog was compiled against other channels than the engine's (an equal registry is compared once, then remembered).</summary>
    private void ThrowIfOtherChannels(CompiledCatalog catalog)
    {
        var channels = catalog.Channels;
        if (!ReferenceEquals(channels, Eligibility.Channels) && !ReferenceEquals(channels, _verifiedChannels))
        {
            if (!SameChannels(channels, Eligibility.Channels))
            {
                throw new ArgumentException("The catalog was compiled against other channels than the engine's; compile it with the same ChannelRegistry.", nameof(catalog));
            }

            _verifiedChannels = channels; // an equal registry (for example the DI singleton): compare once, not per decision
        }
    }

    private static bool SameChannels(ChannelRegistry a, ChannelRegistry b)
    {
        if (a.All.Count != b.All.Count)
        {
            return false;
        }

        for (var i = 0; i < a.All.Count; i++)
        {
            if (a.All[i] != b.All[i])
            {
                return false;
            }
        }

        return true;
    }

    private static void AddIf<T>(List<T> rules, T rule, ISet<string> disabled)
        where T : class
    {
        var name = rule switch
        {
            IMessageRule m => m.Name,
            IChannelRule c => c.Name,
            _ => string.Empty,
        };
        if (!disabled.Contains(name))
        {
            rules.Add(rule);
        }
    }
}
