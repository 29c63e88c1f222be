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
/// exponents, 1 by default; 0 ignores a factor). Ties go to the higher priority, then to the earlier message in the catalog.</para>
/// <para><b>Channel selection</b>: the customer's ranked channels first (in their order), then the message's other
/// channels in catalog order. The first channel allowed now wins; when none is, the earliest deferred one (ties by
/// that order); when none can go, the candidate is suppressed with <c>channel.none_allowed</c> and a reason per channel.</para>
/// </remarks>
public sealed partial class DecisionEngine
{
    /// <summary>The names of the built-in rules, in evaluation order.</summary>
    internal static readonly string[] BuiltInRuleNames = ["eligibility", "service_first", "topics", "give_before_ask", "message_caps", "consent", "frequency", "timing"];

    private const int MaxDeferralSteps = 16;

    private readonly IMessageRule[] _messageRules;
    private readonly IChannelRule[] _channelRules;
    private readonly TimeProvider _timeProvider;
    private ChannelRegistry? _verifiedChannels;
    private readonly int _maxWinners;
    private readonly int _maxAsks;
    private readonly double _neutralRelevance;
    private readonly double _priorityWeight;
    private readonly double _relevanceWeight;
    private readonly double _valueWeight;
    private readonly bool _unitWeights;

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

        var disabled = options.DisabledRules;
        var messageRules = new List<IMessageRule>();
        AddIf(messageRules, new EligibilityRule(), disabled);
        AddIf(messageRules, new ServiceFirstRule(options), disabled);
        AddIf(messageRules, new TopicRule(options), disabled);
        AddIf(messageRules, new GiveBeforeAskRule(options), disabled);
        AddIf(messageRules, new MessageCapRule(), disabled);
        messageRules.AddRange(options.MessageRules);
        _messageRules = messageRules.ToArray();

        var channelRules = new List<IChannelRule>();
        AddIf(channelRules, new ConsentRule(), disabled);
        AddIf(channelRules, new FrequencyRule(options), disabled);
        AddIf(channelRules, new TimingRule(), disabled);
        channelRules.AddRange(options.ChannelRules);
        _channelRules = channelRules.ToArray();
    }

    /// <summary>Consent, channels and timing settings.</summary>
    public ContactEligibility Eligibility { get; }

    /// <summary>The message rules, in evaluation order (built-in ones not disabled, then the host's).</summary>
    public IReadOnlyList<IMessageRule> MessageRules => _messageRules;

    /// <summary>The channel rules, in evaluation order (built-in ones not disabled, then the host's).</summary>
    public IReadOnlyList<IChannelRule> ChannelRules => _channelRules;

    internal int MinGivesBeforeAsk { get; }

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
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(customer);
        var channels = catalog.Channels;
        if (!ReferenceEquals(channels, Eligibility.Channels) && !ReferenceEquals(channels, _verifiedChannels))
        {
            if (!SameChannels(channels, Eligibility.Channels))
            {
                throw new ArgumentException("The catalog was compiled against other channels than the engine's; compile it with the same ChannelRegistry.", nameof(catalog));
            }

            _verifiedChannels = channels; // an equal registry (for example the DI singleton): compare once, not per decision
        }

        var considered = detail == DecisionDetail.All ? catalog.All : catalog.Candidates(trigger, customer.Stage);
        var decision = new Decision(this, customer, trigger, at, detail);
        if (considered.Length == 0)
        {
            return decision;
        }

        var context = DecisionContext.Rent(customer, trigger, at, Eligibility);
        try
        {
            Rank(decision, context, considered, detail);
        }
        finally
        {
            context.Return();
        }

        return decision;
    }

    /// <summary>
    /// Ranks the candidates (scores do not depend on the rules) and evaluates them best first. With
    /// <see cref="DecisionDetail.All"/> every candidate is scored and sorted; otherwise the candidates start in the
    /// bucket's precomputed order (see <see cref="BucketRanking"/>) and a candidate with topics is scored only when it
    /// comes first by its upper bound (see <see cref="NextBest"/>).
    /// </summary>
    private void Rank(Decision decision, DecisionContext context, CompiledMessage[] considered, DecisionDetail detail)
    {
        decision.Considered = considered;
        var small = considered.Length <= 256;
        Span<int> order = small ? stackalloc int[considered.Length] : new int[considered.Length];
        Span<double> keys = small ? stackalloc double[considered.Length] : new double[considered.Length];
        Span<double> relevances = small ? stackalloc double[considered.Length] : new double[considered.Length];
        if (detail != DecisionDetail.All)
        {
            var bucket = context.RankingFor(this, considered);
            bucket.Order.CopyTo(order);
            bucket.Keys.CopyTo(keys);
            bucket.Relevances.CopyTo(relevances);
            Evaluate(decision, context, new Ranking(order, keys, relevances, considered), detail);
            return;
        }

        var customer = context.Customer;
        var trigger = context.Trigger;
        var all = new CandidateEntry[considered.Length];
        decision.Outcomes = all;
        var ordered = 0;
        for (var i = 0; i < considered.Length; i++)
        {
            var message = considered[i];
            var relevance = Relevance(context, message);
            var score = Score(message.Priority, relevance, message.Value);
            relevances[i] = relevance;
            keys[i] = score;
            if (!message.Answers(trigger))
            {
                all[i] = new CandidateEntry(message, "eligibility", new RuleResult(DecisionCodes.Trigger, null, null), relevance);
                continue;
            }

            if (!message.Targets(customer.Stage))
            {
                all[i] = new CandidateEntry(message, "eligibility", new RuleResult(DecisionCodes.Stage, null, null), relevance);
                continue;
            }

            all[i] = new CandidateEntry(message, CandidateStatus.Lost, DecisionCodes.LostArbitration, "arbitration", relevance, 0, 0, -1);
            order[ordered++] = i;
        }

        if (ordered > 0)
        {
            Sort(order[..ordered], keys, relevances, considered);
            Evaluate(decision, context, new Ranking(order[..ordered], keys, relevances, considered), detail);
        }
    }

    /// <summary>
    /// A bucket of the catalog (the candidates of one trigger and stage) ranked before any customer is seen: each
    /// candidate's key is its score when it has no topics (its relevance is the neutral one) or its upper bound (its
    /// score at relevance 1) when it has; the order sorts them by <see cref="Before(int, int, ReadOnlySpan{double}, ReadOnlySpan{double}, CompiledMessage[])"/>.
    /// Built once per engine and bucket; a decision copies it.
    /// </summary>
    internal sealed class BucketRanking
    {
        public BucketRanking(DecisionEngine engine, CompiledMessage[] considered)
        {
            Keys = new double[considered.Length];
            Relevances = new double[considered.Length];
            for (var i = 0; i < considered.Length; i++)
            {
                var message = considered[i];
                var withTopics = message.TopicScopes.Length > 0;
                Relevances[i] = withTopics ? Unscored : engine._neutralRelevance;
                Keys[i] = engine.Score(message.Priority, withTopics ? 1 : engine._neutralRelevance, message.Value);
            }

            Order = new int[considered.Length];
            for (var i = 0; i < Order.Length; i++)
            {
                Order[i] = i;
            }

            Sort(Order, Keys, Relevances, considered);
        }

        public int[] Order { get; }

        public double[] Keys { get; }

        public double[] Relevances { get; }
    }

    private readonly ConditionalWeakTable<CompiledMessage[], BucketRanking> _buckets = new();

    /// <summary>The ranking of a bucket for this engine (built on first use, shared by all threads).</summary>
    internal BucketRanking RankingOf(CompiledMessage[] considered)
        => _buckets.TryGetValue(considered, out var ranking) ? ranking : _buckets.GetValue(considered, c => new BucketRanking(this, c));

    /// <summary>The relevance of a candidate not scored yet (relevances are 0 to 1).</summary>
    private const double Unscored = double.NaN;

    /// <summary>
    /// Decides for many customers in parallel (one trigger, one instant), in input order. Uses all cores unless
    /// <paramref name="maxDegreeOfParallelism"/> says otherwise.
    /// </summary>
    /// <param name="catalog">The compiled catalog.</param>
    /// <param name="customers">The customers.</param>
    /// <param name="trigger">The trigger.</param>
    /// <param name="at">The decision instant.</param>
    /// <param name="maxDegreeOfParallelism">The most threads, or <see langword="null"/> for the default.</param>
    /// <returns>One decision per customer, in input order.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxDegreeOfParallelism"/> is 0 or below -1.</exception>
    /// <exception cref="ArgumentException">A customer is <see langword="null"/> (the message names its index); checked before deciding any.</exception>
    public Decision[] DecideMany(CompiledCatalog catalog, IReadOnlyList<CustomerProfile> customers, Trigger trigger, DateTimeOffset at, int? maxDegreeOfParallelism = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(customers);

        // Contiguous ranges (a few per core, so a slow range does not idle the others), one delegate call per range,
        // never a task per customer; on one core, or for a batch smaller than two ranges, no parallel machinery at all.
        if (maxDegreeOfParallelism is 0 or < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDegreeOfParallelism), maxDegreeOfParallelism, "Use a positive number of threads, -1 or null for the default.");
        }

        // The batch loop reads the customers as an array (see ProfilePrefetch); other lists are copied once, which also
        // keeps a list the caller changes meanwhile from changing the batch.
        var batch = customers as CustomerProfile[] ?? [.. customers];
        var results = new Decision[batch.Length];
        if (results.Length == 0)
        {
            return results;
        }

        for (var i = 0; i < batch.Length; i++)
        {
            if (batch[i] is null)
            {
                throw new ArgumentException($"customers[{i}] is null; pass only customers to decide for.", nameof(customers));
            }
        }

        var degree = maxDegreeOfParallelism is { } max and > 0 ? max : Environment.ProcessorCount;
        var chunk = Math.Max(64, results.Length / (degree * 8));
        if (degree <= 1 || results.Length < 2 * chunk)
        {
            DecideRange(catalog, batch, trigger, at, results, 0, results.Length);
            return results;
        }

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = degree };
        Parallel.ForEach(Partitioner.Create(0, results.Length, chunk), parallel, range => DecideRange(catalog, batch, trigger, at, results, range.Item1, range.Item2));
        return results;
    }

    /// <summary>Decides a range of a batch in order, prefetching the next customers' profiles (see <see cref="ProfilePrefetch"/>).</summary>
    private void DecideRange(CompiledCatalog catalog, CustomerProfile[] customers, Trigger trigger, DateTimeOffset at, Decision[] results, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            ProfilePrefetch.Ahead(customers, i, to);
            results[i] = Decide(catalog, customers[i], trigger, at);
        }
    }

    /// <summary>
    /// Decides for a stream of customers (read once, lazily) in parallel, yielding decisions in input order as they
    /// complete; for sends that read customers from a store page by page.
    /// </summary>
    /// <param name="catalog">The compiled catalog.</param>
    /// <param name="customers">The customers.</param>
    /// <param name="trigger">The trigger.</param>
    /// <param name="at">The decision instant.</param>
    /// <param name="maxDegreeOfParallelism">The most threads, or <see langword="null"/> for the default.</param>
    /// <returns>The decisions, in input order.</returns>
    public IEnumerable<Decision> DecideStream(CompiledCatalog catalog, IEnumerable<CustomerProfile> customers, Trigger trigger, DateTimeOffset at, int? maxDegreeOfParallelism = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(customers);
        var query = customers.AsParallel().AsOrdered();
        if (maxDegreeOfParallelism is { } degree)
        {
            query = query.WithDegreeOfParallelism(degree);
        }

        return query.Select(customer => Decide(catalog, customer, trigger, at));
    }

    /// <summary>Relevance: share of the message's topics the customer subscribed to; neutral without topics (or for unmatched service).</summary>
    internal double Relevance(DecisionContext context, CompiledMessage message)
        => Relevance(context.Customer, message, ref context.Topics, context.At);

    /// <summary>Relevance with the topic states judged at <paramref name="at"/> (the decision instant).</summary>
    internal double Relevance(CustomerProfile customer, CompiledMessage message, ref TopicGrants grants, DateTimeOffset at)
    {
        var scopes = message.TopicScopes;
        if (scopes.Length == 0)
        {
            return _neutralRelevance;
        }

        var matched = grants.Matched(customer.Consents, message, at.UtcTicks, Eligibility.PendingExpiryTicks);
        if (matched == 0)
        {
            return message.Purpose == ContactPurpose.Service ? _neutralRelevance : 0;
        }

        return (double)matched / scopes.Length;
    }

    internal double Score(double priority, double relevance, double value)
        => _unitWeights
            ? priority * relevance * value
            : Factor(priority, _priorityWeight) * Factor(relevance, _relevanceWeight) * Factor(value, _valueWeight);

    private static double Factor(double x, double weight) => weight switch
    {
        1 => x,
        0 => 1,
        _ => Math.Pow(x, weight),
    };

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

    /// <summary>Tries the message's channels in the customer's order; returns the index of the chosen channel outcome or -1.</summary>
    private int SelectChannel(DecisionContext context, CompiledMessage message, ChannelEntry[] outcomes, ref int count)
    {
        var ranking = AsSpan(context.Customer.Preferences.ChannelRanking);
        var contents = message.Contents;
        var bestDeferred = -1;

        // Ranked channels first, in the customer's order.
        for (var r = 0; r < ranking.Length; r++)
        {
            var index = IndexOf(contents, ranking[r]);
            if (index < 0 || IsDuplicateRank(ranking, r))
            {
                continue;
            }

            var outcome = TryChannel(context, message, index, ref count, outcomes);
            if (outcome >= 0 && outcomes[outcome].Status == ChannelStatus.Allowed)
            {
                return outcome;
            }

            if (outcome >= 0 && (bestDeferred < 0 || outcomes[outcome].SendAt < outcomes[bestDeferred].SendAt))
            {
                bestDeferred = outcome;
            }
        }

        // Then the message's channels the customer did not rank, in catalog order.
        for (var c = 0; c < contents.Length; c++)
        {
            if (Contains(ranking, contents[c].Channel))
            {
                continue;
            }

            var outcome = TryChannel(context, message, c, ref count, outcomes);
            if (outcome >= 0 && outcomes[outcome].Status == ChannelStatus.Allowed)
            {
                return outcome;
            }

            if (outcome >= 0 && (bestDeferred < 0 || outcomes[outcome].SendAt < outcomes[bestDeferred].SendAt))
            {
                bestDeferred = outcome;
            }
        }

        return bestDeferred;
    }

    /// <summary>Runs the channel rules, deferring while allowed; records the outcome and returns its index when the channel can be used, else -1.</summary>
    private int TryChannel(DecisionContext context, CompiledMessage message, int contentIndex, ref int count, ChannelEntry[] outcomes)
    {
        var definition = message.ChannelDefinitions[contentIndex];
        var at = context.At;
        var sendAt = at;
        var expiry = message.ExpiryFor(at);
        var defer = message.Definition.WhenBlocked == BlockedSendPolicy.Defer;
        RuleResult firstDeferral = default;
        var index = count++;
        for (var step = 0; step < MaxDeferralSteps; step++)
        {
            var restarted = false;
            for (var r = 0; r < _channelRules.Length; r++)
            {
                var result = EvaluateChannelRule(_channelRules[r], context, message, contentIndex, definition, sendAt);
                if (result.Passed)
                {
                    continue;
                }

                if (result.RetryAt is not { } retry || retry <= sendAt)
                {
                    outcomes[index] = new ChannelEntry(contentIndex, ChannelEntry.Outcome.Blocked, result, null);
                    return -1;
                }

                if (!defer)
                {
                    outcomes[index] = new ChannelEntry(contentIndex, ChannelEntry.Outcome.Dropped, result, retry);
                    return -1;
                }

                if (retry > expiry)
                {
                    outcomes[index] = new ChannelEntry(contentIndex, ChannelEntry.Outcome.PastExpiry, result, retry);
                    return -1;
                }

                if (firstDeferral.Passed)
                {
                    firstDeferral = result;
                }

                sendAt = retry;
                restarted = true;
                break;
            }

            if (!restarted)
            {
                outcomes[index] = sendAt == at
                    ? new ChannelEntry(contentIndex, ChannelEntry.Outcome.Allowed, default, sendAt)
                    : new ChannelEntry(contentIndex, ChannelEntry.Outcome.Deferred, firstDeferral, sendAt);
                return index;
            }
        }

        outcomes[index] = new ChannelEntry(contentIndex, ChannelEntry.Outcome.NoAllowedTime, firstDeferral, sendAt);
        return -1;
    }

    /// <summary>
    /// A channel rule: the built-in ones by their fast path, called directly (the rule at a position is always the same
    /// type, so the type tests predict well and no interface dispatch is needed); a host rule through its interface.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static RuleResult EvaluateChannelRule(IChannelRule rule, DecisionContext context, CompiledMessage message, int contentIndex, ChannelDefinition definition, DateTimeOffset sendAt) => rule switch
    {
        ConsentRule consent => consent.EvaluateCompiled(context, message, contentIndex, sendAt),
        FrequencyRule frequency => frequency.EvaluateCompiled(context, message, contentIndex, sendAt),
        TimingRule timing => timing.EvaluateCompiled(context, message, contentIndex, sendAt),
        _ => rule.Evaluate(context, message.Definition, definition, sendAt),
    };

    /// <summary>A message rule: the built-in ones by their fast path, called directly; a host rule through its interface.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static RuleResult EvaluateMessageRule(IMessageRule rule, DecisionContext context, CompiledMessage message) => rule switch
    {
        EligibilityRule eligibility => eligibility.EvaluateCompiled(context, message),
        ServiceFirstRule serviceFirst => serviceFirst.EvaluateCompiled(context, message),
        TopicRule topic => topic.EvaluateCompiled(context, message),
        GiveBeforeAskRule giveBeforeAsk => giveBeforeAsk.EvaluateCompiled(context, message),
        MessageCapRule messageCap => messageCap.EvaluateCompiled(context, message),
        _ => rule.Evaluate(context, message.Definition),
    };

    /// <summary>
    /// Evaluates candidates best score first (ties: higher priority, then catalog order): message rules, then the ask
    /// limit, then channel selection; the first K that find a channel win. With <see cref="DecisionDetail.Candidates"/>
    /// the candidates ranked below the last winner are not evaluated (they lost arbitration whatever the rules say);
    /// with <see cref="DecisionDetail.All"/> every candidate is evaluated fully.
    /// </summary>
    private void Evaluate(Decision decision, DecisionContext context, Ranking ranking, DecisionDetail detail)
    {
        var exhaustive = detail == DecisionDetail.All;
        var considered = decision.Considered;
        var order = ranking.Order;
        var scores = ranking.Keys;
        var relevances = ranking.Relevances;
        var scratch = context.ChannelScratch;
        var evaluated = new Evaluated(exhaustive ? decision.Outcomes : null, order.Length, context);
        var count = 0;
        var most = Math.Min(_maxWinners, order.Length);
        var winners = context.WinnerScratch.Length >= most ? context.WinnerScratch : context.WinnerScratch = new DecisionWinner[most];
        var won = 0;
        var asks = 0;
        try
        {
            for (var position = 0; position < order.Length; position++)
            {
                if (won == most && !exhaustive)
                {
                    break;
                }

                var index = NextBest(ranking, position, context);
                var message = considered[index];
                var relevance = relevances[index];
                var score = scores[index];
                var blocked = false;
                for (var r = 0; r < _messageRules.Length; r++)
                {
                    var result = EvaluateMessageRule(_messageRules[r], context, message);
                    if (!result.Passed)
                    {
                        evaluated.Add(index, new CandidateEntry(message, _messageRules[r].Name, result, relevance));
                        blocked = true;
                        break;
                    }
                }

                if (blocked)
                {
                    continue;
                }

                var isAsk = message.Kind == MessageKind.Ask;
                var askLimited = isAsk && asks >= _maxAsks;
                var canWin = won < most && !askLimited;
                if (!canWin && !exhaustive)
                {
                    evaluated.Add(index, new CandidateEntry(message, CandidateStatus.Lost, DecisionCodes.OneAskPerContact, "give_before_ask", relevance, 0, 0, -1));
                    continue;
                }

                EnsureRoom(ref scratch, count + message.Contents.Length);
                var start = count;

                // Caps count the winners so far for a candidate that can still win; one that cannot (evaluated for
                // explaining) is judged on its own merits.
                context.WinnerCount = canWin ? won : 0;
                var chosen = SelectChannel(context, message, scratch, ref count);
                if (chosen < 0)
                {
                    evaluated.Add(index, new CandidateEntry(message, CandidateStatus.Suppressed, DecisionCodes.NoChannelAllowed, "channel_selection", relevance, start, count - start, -1));
                }
                else if (canWin)
                {
                    ref readonly var channelOutcome = ref scratch[chosen];
                    winners[won++] = new DecisionWinner(message.Definition, message.Contents[channelOutcome.ContentIndex], channelOutcome.SendAtTicks, channelOutcome.Kind == ChannelEntry.Outcome.Deferred, score);
                    evaluated.Add(index, new CandidateEntry(message, CandidateStatus.Selected, DecisionCodes.Selected, "arbitration", relevance, start, count - start, chosen));
                    asks += isAsk ? 1 : 0;
                }
                else
                {
                    var limited = askLimited && won < most;
                    evaluated.Add(index, new CandidateEntry(message, CandidateStatus.Lost, limited ? DecisionCodes.OneAskPerContact : DecisionCodes.LostArbitration, limited ? "give_before_ask" : "arbitration", relevance, start, count - start, chosen));
                }
            }

            decision.ChannelEntries = count == 0 ? [] : scratch.AsSpan(0, count).ToArray();
            decision.Winners = won == 0 ? [] : winners.AsSpan(0, won).ToArray();
            evaluated.CopyTo(decision);
        }
        finally
        {
            scratch.AsSpan(0, count).Clear();
            winners.AsSpan(0, won).Clear();
            context.ChannelScratch = scratch;
            evaluated.Return(context);
        }
    }

    /// <summary>The outcomes of evaluated candidates: straight into the full array with <see cref="DecisionDetail.All"/>, else into the context's buffer, copied once at the end.</summary>
    private struct Evaluated
    {
        private readonly CandidateEntry[]? _all;
        private readonly CandidateEntry[] _outcomes;
        private int _count;

        public Evaluated(CandidateEntry[]? all, int capacity, DecisionContext context)
        {
            _all = all;
            if (all is null)
            {
                var buffer = context.OutcomeScratch;
                _outcomes = buffer.Length >= capacity ? buffer : new CandidateEntry[capacity];
            }
            else
            {
                _outcomes = [];
            }

            _count = 0;
        }

        public void Add(int index, in CandidateEntry outcome)
        {
            if (_all is not null)
            {
                _all[index] = outcome;
                return;
            }

            _outcomes[_count++] = outcome;
        }

        public readonly void CopyTo(Decision decision)
        {
            if (_all is null && _count > 0)
            {
                decision.Outcomes = _outcomes.AsSpan(0, _count).ToArray();
            }
        }

        public readonly void Return(DecisionContext context)
        {
            if (_all is null)
            {
                _outcomes.AsSpan(0, _count).Clear();
                context.OutcomeScratch = _outcomes;
            }
        }
    }

    private static void EnsureRoom(ref ChannelEntry[] scratch, int needed)
    {
        if (needed > scratch.Length)
        {
            var bigger = new ChannelEntry[Math.Max(needed, scratch.Length * 2)];
            scratch.AsSpan().CopyTo(bigger);
            scratch.AsSpan().Clear();
            scratch = bigger;
        }
    }

    /// <summary>
    /// The best candidate from <paramref name="position"/> on: score desc, priority desc, catalog order asc. Deterministic.
    /// <c>order[position..]</c> is kept sorted; a candidate not scored yet sorts by its upper bound (and before a scored
    /// one with an equal key), so when one comes first it is scored and moved down to its place, until the first is
    /// scored: no unscored candidate can then beat or tie it. A decision usually evaluates one or two candidates, so
    /// most candidates with topics are never scored.
    /// </summary>
    private int NextBest(Ranking ranking, int position, DecisionContext context)
    {
        var order = ranking.Order;
        var keys = ranking.Keys;
        var relevances = ranking.Relevances;
        var considered = ranking.Considered;
        while (true)
        {
            var index = order[position];
            if (!double.IsNaN(relevances[index]))
            {
                return index;
            }

            var message = considered[index];
            var relevance = Relevance(context, message);
            relevances[index] = relevance;
            keys[index] = Score(message.Priority, relevance, message.Value);

            // A score is at most its bound: the candidate can only move down.
            var j = position;
            while (j + 1 < order.Length && Before(order[j + 1], index, keys, relevances, considered))
            {
                order[j] = order[j + 1];
                j++;
            }

            order[j] = index;
        }
    }

    /// <summary>Insertion sort in the order of <see cref="NextBest"/>.</summary>
    private static void Sort(Span<int> order, ReadOnlySpan<double> keys, ReadOnlySpan<double> relevances, CompiledMessage[] considered)
    {
        for (var i = 1; i < order.Length; i++)
        {
            var current = order[i];
            var j = i - 1;
            while (j >= 0 && Before(current, order[j], keys, relevances, considered))
            {
                order[j + 1] = order[j];
                j--;
            }

            order[j + 1] = current;
        }
    }

    /// <summary>Whether <paramref name="a"/> ranks before <paramref name="b"/>; at equal keys an unscored candidate first.</summary>
    private static bool Before(int a, int b, ReadOnlySpan<double> keys, ReadOnlySpan<double> relevances, CompiledMessage[] considered)
    {
        var keyA = keys[a];
        var keyB = keys[b];
        if (keyA != keyB)
        {
            return keyA > keyB;
        }

        var unscoredA = double.IsNaN(relevances[a]);
        var unscoredB = double.IsNaN(relevances[b]);
        if (unscoredA != unscoredB)
        {
            return unscoredA;
        }

        var priorityA = considered[a].Priority;
        var priorityB = considered[b].Priority;
        return priorityA != priorityB ? priorityA > priorityB : a < b;
    }

    /// <summary>
    /// The candidates of one decision being ranked: their indices (reordered as they are picked), and per candidate
    /// its score (or, unscored, its upper bound) and relevance (<see cref="Unscored"/> until scored).
    /// </summary>
    private readonly ref struct Ranking(Span<int> order, Span<double> keys, Span<double> relevances, CompiledMessage[] considered)
    {
        public Span<int> Order { get; } = order;

        public Span<double> Keys { get; } = keys;

        public Span<double> Relevances { get; } = relevances;

        public CompiledMessage[] Considered { get; } = considered;
    }

    private static int IndexOf(MessageChannel[] contents, Channel channel)
    {
        for (var i = 0; i < contents.Length; i++)
        {
            if (contents[i].Channel == channel)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// The ranking as a span: arrays (collection expressions) and lists (the JSON reader) as they are; any other list
    /// is copied, once per candidate evaluated (a host that builds rankings some other way pays that small copy).
    /// </summary>
    private static ReadOnlySpan<Channel> AsSpan(IReadOnlyList<Channel> ranking) => ranking switch
    {
        Channel[] array => array,
        List<Channel> list => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list),
        _ => ranking.ToArray(),
    };

    private static bool Contains(ReadOnlySpan<Channel> ranking, Channel channel)
    {
        for (var i = 0; i < ranking.Length; i++)
        {
            if (ranking[i] == channel)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsDuplicateRank(ReadOnlySpan<Channel> ranking, int r)
    {
        for (var i = 0; i < r; i++)
        {
            if (ranking[i] == ranking[r])
            {
                return true;
            }
        }

        return false;
    }
}
