using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Customers;
using Personalize.Decisions.Rules;
using Personalize.Eligibility;

namespace Personalize.Decisions;

// Ranking: each catalog bucket's order (shared per engine), scores, relevance and picking the next best candidate.
public sealed partial class DecisionEngine
{
    /// <summary>
    /// Ranks the candidates (scores do not depend on the rules) and evaluates them best first. With
    /// <see cref="DecisionDetail.All"/> every candidate is scored and sorted; otherwise the candidates start in the
    /// bucket's precomputed order (see <see cref="BucketRanking"/>) and a candidate with topics is scored only when it
    /// comes first by its upper bound (see <see cref="NextBest"/>). The three spans are written in full before they are
    /// read (copied from the bucket, or filled per candidate), so they are not cleared first.
    /// </summary>
    [SkipLocalsInit]
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
            if (context.Tier is { } tier)
            {
                bucket = bucket.ForTier(this, considered, tier);
            }

            bucket.Order.CopyTo(order);
            bucket.Keys.CopyTo(keys);
            bucket.Relevances.CopyTo(relevances);
            Evaluate(decision, context, new Ranking(order, keys, relevances, considered), detail);
            return;
        }

        var customer = context.Customer;
        var trigger = context.Trigger;
        var all = new CandidateEntry[considered.Length];
        decision.SetOutcomes(all, 0, all.Length);
        var ordered = 0;
        for (var i = 0; i < considered.Length; i++)
        {
            var message = considered[i];
            var relevance = Relevance(context, message);
            var score = Score(message.Priority, relevance, ValueOf(message, context.Tier));
            relevances[i] = relevance;
            keys[i] = score;
            if (!message.Answers(trigger))
            {
                all[i] = new CandidateEntry(message, CandidateEntry.EligibilityRule, new RuleResult(DecisionCodes.Trigger, null, null), relevance);
                continue;
            }

            if (!message.Targets(customer.Stage))
            {
                all[i] = new CandidateEntry(message, CandidateEntry.EligibilityRule, new RuleResult(DecisionCodes.Stage, null, null), relevance);
                continue;
            }

            all[i] = new CandidateEntry(message, CandidateStatus.Lost, DecisionCodes.LostArbitration, CandidateEntry.ArbitrationRule, relevance, 0, 0, -1);
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
    /// Built once per engine and bucket (and per tier of <see cref="DecisionOptions.TierWeights"/>, whose values differ); a
    /// decision copies it.
    /// </summary>
    internal sealed class BucketRanking
    {
        private BucketRanking?[]? _tiers;

        public BucketRanking(DecisionEngine engine, CompiledMessage[] considered, TierWeightTable? tier = null)
        {
            Keys = new double[considered.Length];
            Relevances = new double[considered.Length];
            for (var i = 0; i < considered.Length; i++)
            {
                var message = considered[i];
                var withTopics = message.TopicScopes.Length > 0;
                Relevances[i] = withTopics ? Unscored : engine._neutralRelevance;
                Keys[i] = engine.Score(message.Priority, withTopics ? 1 : engine._neutralRelevance, ValueOf(message, tier));
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

        /// <summary>The ranking of the same bucket for customers of a weighted tier (built on first use, shared by all threads).</summary>
        public BucketRanking ForTier(DecisionEngine engine, CompiledMessage[] considered, TierWeightTable tier)
        {
            var tiers = Volatile.Read(ref _tiers);
            if (tiers is null)
            {
                Interlocked.CompareExchange(ref _tiers, new BucketRanking?[engine._tiers!.Count], null);
                tiers = _tiers!;
            }

            var ranking = Volatile.Read(ref tiers[tier.Position]);
            if (ranking is null)
            {
                ranking = new BucketRanking(engine, considered, tier);
                ranking = Interlocked.CompareExchange(ref tiers[tier.Position], ranking, null) ?? ranking;
            }

            return ranking;
        }

        public double[] Relevances { get; }
    }

    private readonly ConditionalWeakTable<CompiledMessage[], BucketRanking> _buckets = new();

    /// <summary>The ranking of a bucket for this engine (built on first use, shared by all threads).</summary>
    internal BucketRanking RankingOf(CompiledMessage[] considered)
        => _buckets.TryGetValue(considered, out var ranking) ? ranking : _buckets.GetValue(considered, c => new BucketRanking(this, c));

    /// <summary>The relevance of a candidate not scored yet (relevances are 0 to 1).</summary>
    private const double Unscored = double.NaN;

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

    /// <summary>The customer's tier weights (<see cref="DecisionOptions.TierWeights"/>), or null when their tier (if any) has none.</summary>
    internal TierWeightTable? TierOf(CustomerProfile customer)
        => _tiers is not null && customer.Facts.ValueOf(Events.FactNames.Tier) is string tier && _tiers.TryGetValue(tier, out var table) ? table : null;

    /// <summary>A message's value as it counts in the score: times the tier's weight for its purpose and kind.</summary>
    internal static double ValueOf(CompiledMessage message, TierWeightTable? tier)
        => tier is null ? message.Value : message.Value * tier.FactorOf(message);

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
            keys[index] = Score(message.Priority, relevance, ValueOf(message, context.Tier));

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
}
