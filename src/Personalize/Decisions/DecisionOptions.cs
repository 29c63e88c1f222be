using System.Globalization;
using Personalize.Customers;

namespace Personalize.Decisions;

/// <summary>
/// Options of the decision engine: default caps, give-before-ask, arbitration weights, winners per decision and
/// host rules. Read once when the <see cref="DecisionEngine"/> is created and validated there (and at start with DI)
/// with every problem in one message.
/// </summary>
public sealed class DecisionOptions
{
    /// <summary>The most messages one decision selects (K).</summary>
    /// <value>The default value is 1.</value>
    public int MaxWinners { get; set; } = 1;

    /// <summary>The most asks one decision selects (at most one ask per contact).</summary>
    /// <value>The default value is 1.</value>
    public int MaxAsksPerDecision { get; set; } = 1;

    /// <summary>The gives (N) an ask needs since the last ask, counted over the contact history on every channel and purpose.</summary>
    /// <value>The default value is 2.</value>
    public int MinGivesBeforeAsk { get; set; } = 2;

    /// <summary>
    /// Caps for promotional messages (marketing and relationship), counted over promotional history only; a cap with a
    /// channel applies to that channel, one without to all channels together. The customer's own caps apply as well, so
    /// the stricter always wins.
    /// </summary>
    /// <value>The default value is at most 1 per day and 3 per week over all channels.</value>
    public IList<FrequencyCap> PromotionalCaps { get; } = new List<FrequencyCap>
    {
        new() { Max = 1, Period = CapPeriod.Day },
        new() { Max = 3, Period = CapPeriod.Week },
    };

    /// <summary>Caps for service messages, counted over service history only (service never consumes promotional caps and the customer's caps do not limit it).</summary>
    /// <value>The default value is at most 10 per day over all channels.</value>
    public IList<FrequencyCap> ServiceCaps { get; } = new List<FrequencyCap>
    {
        new() { Max = 10, Period = CapPeriod.Day },
    };

    /// <summary>Whether the customer's own frequency caps apply to promotional messages (on top of <see cref="PromotionalCaps"/>).</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool ApplyCustomerCaps { get; set; } = true;

    /// <summary>The purposes an open service flag (complaint, detractor score, failed payment) suppresses.</summary>
    /// <value>The default value is marketing and relationship.</value>
    public ISet<ContactPurpose> SuppressedWhenServiceFirst { get; } = new HashSet<ContactPurpose> { ContactPurpose.Marketing, ContactPurpose.Relationship };

    /// <summary>Whether a promotional message with topics needs at least one topic the customer subscribed to.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool RequireTopicMatch { get; set; } = true;

    /// <summary>The relevance of a message without topics (and of a service message none of whose topics match), between 0 and 1.</summary>
    /// <value>The default value is 0.5.</value>
    public double NeutralRelevance { get; set; } = 0.5;

    /// <summary>The exponent of priority in the score <c>priority^a × relevance^b × value^c</c>.</summary>
    /// <value>The default value is 1.</value>
    public double PriorityWeight { get; set; } = 1;

    /// <summary>The exponent of relevance in the score.</summary>
    /// <value>The default value is 1.</value>
    public double RelevanceWeight { get; set; } = 1;

    /// <summary>The exponent of value in the score.</summary>
    /// <value>The default value is 1.</value>
    public double ValueWeight { get; set; } = 1;

    /// <summary>
    /// Weights on a message's value per relationship-matrix tier (fact <c>tier</c>, see <see cref="Events.RelationshipMatrix"/>):
    /// for a customer in a tier listed here, each candidate's value counts <c>value × purpose weight × kind weight</c>
    /// (<see cref="TierValueWeights"/>) before <see cref="ValueWeight"/> applies, so a tier can favour some messages over
    /// others — for "best friends", relationship (thanks, loyalty) over marketing — and change which one wins. The
    /// explanation shows the weight used. Tiers not listed, and customers without a tier, keep every value as it is.
    /// </summary>
    /// <value>The default value is empty (no tier weighs values).</value>
    public IDictionary<string, TierValueWeights> TierWeights { get; } = new Dictionary<string, TierValueWeights>(StringComparer.Ordinal);

    /// <summary>Names of built-in rules to turn off (for example <c>give_before_ask</c>); see <see cref="DecisionEngine.MessageRules"/> and <see cref="DecisionEngine.ChannelRules"/>.</summary>
    /// <value>The default value is empty.</value>
    public ISet<string> DisabledRules { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>The host's message rules, run after the built-in ones in order.</summary>
    /// <value>The default value is empty.</value>
    public IList<IMessageRule> MessageRules { get; } = new List<IMessageRule>();

    /// <summary>The host's channel rules, run after the built-in ones in order.</summary>
    /// <value>The default value is empty.</value>
    public IList<IChannelRule> ChannelRules { get; } = new List<IChannelRule>();

    /// <summary>The most host message rules (<see cref="MessageRules"/>) an engine takes: a decision keeps the rule that stopped a candidate as a 16-bit position.</summary>
    internal const int MaxHostMessageRules = 60_000;

    /// <summary>Checks the options.</summary>
    /// <returns>Every problem, each a sentence; empty when valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        var c = CultureInfo.InvariantCulture;
        if (MaxWinners < 1)
        {
            errors.Add($"MaxWinners is {MaxWinners.ToString(c)}; it must be 1 or more.");
        }

        if (MaxAsksPerDecision < 0)
        {
            errors.Add($"MaxAsksPerDecision is {MaxAsksPerDecision.ToString(c)}; it must be 0 or more.");
        }

        if (MinGivesBeforeAsk < 0)
        {
            errors.Add($"MinGivesBeforeAsk is {MinGivesBeforeAsk.ToString(c)}; it must be 0 or more.");
        }

        CheckCaps(nameof(PromotionalCaps), PromotionalCaps, errors);
        CheckCaps(nameof(ServiceCaps), ServiceCaps, errors);
        if (!(NeutralRelevance is >= 0 and <= 1))
        {
            errors.Add($"NeutralRelevance is {NeutralRelevance.ToString(c)}; it must be between 0 and 1.");
        }

        CheckWeight(nameof(PriorityWeight), PriorityWeight, errors);
        CheckWeight(nameof(RelevanceWeight), RelevanceWeight, errors);
        CheckWeight(nameof(ValueWeight), ValueWeight, errors);
        foreach (var (tier, weights) in TierWeights)
        {
            if (string.IsNullOrWhiteSpace(tier) || weights is null)
            {
                errors.Add($"TierWeights['{tier}'] {(weights is null ? "is null" : "has no tier name")}; give each entry a tier name (the 'tier' fact's value) and its TierValueWeights.");
                continue;
            }

            weights.Validate(tier, errors);
        }

        foreach (var name in DisabledRules)
        {
            if (Array.IndexOf(DecisionEngine.BuiltInRuleNames, name) < 0)
            {
                errors.Add($"DisabledRules names '{name}', which is not a built-in rule ({string.Join(", ", DecisionEngine.BuiltInRuleNames)}).");
            }
        }

        for (var i = 0; i < MessageRules.Count; i++)
        {
            if (MessageRules[i] is null)
            {
                errors.Add($"MessageRules[{i.ToString(c)}] is null.");
            }
        }

        if (MessageRules.Count > MaxHostMessageRules)
        {
            errors.Add($"MessageRules has {MessageRules.Count.ToString("N0", c)} rules; at most {MaxHostMessageRules.ToString("N0", c)} are allowed. Combine rules that belong together into one.");
        }

        for (var i = 0; i < ChannelRules.Count; i++)
        {
            if (ChannelRules[i] is null)
            {
                errors.Add($"ChannelRules[{i.ToString(c)}] is null.");
            }
        }

        return errors;
    }

    internal void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(DescribeErrors(errors));
        }
    }

    internal static string DescribeErrors(IReadOnlyList<string> errors) => "Decision options are invalid: " + string.Join(" ", errors);

    private static void CheckCaps(string name, IList<FrequencyCap> caps, List<string> errors)
    {
        for (var i = 0; i < caps.Count; i++)
        {
            if (caps[i] is null)
            {
                errors.Add($"{name}[{i}] is null.");
            }
            else if (caps[i].Max < 0)
            {
                errors.Add($"{name}[{i}] allows {caps[i].Max} messages; use 0 or more.");
            }
        }
    }

    private static void CheckWeight(string name, double weight, List<string> errors)
    {
        if (!(weight >= 0) || double.IsInfinity(weight))
        {
            errors.Add($"{name} is {weight.ToString(CultureInfo.InvariantCulture)}; it must be a number 0 or more (0 ignores the factor).");
        }
    }
}
