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
    /// <see cref="DecisionDetail.All"/> every candidate is scored and sorted; otherwise the decision reads the bucket's
    /// precomputed order (see <see cref="BucketRanking"/>) in place, without copying it, and a candidate with topics is
    /// scored only when it comes first by its upper bound (see <see cref="NextBest"/>). The spans filled here are
    /// written in full before they are read, so they are not cleared first.
    /// </summary>
    [SkipLocalsInit]
    private void Rank(Decision decision, DecisionContext context, CompiledMessage[] considered, DecisionDetail detail)
    {
        var small = considered.Length <= 256;
        if (detail != DecisionDetail.All)
        {
            var bucket = context.RankingFor(this, considered);
            if (context.Tier is { } tier)
            {
                bucket = bucket.ForTier(this, considered, tier);
            }

            Span<Scored> pending = small ? stackalloc Scored[bucket.Scorable] : new Scored[bucket.Scorable];
            Evaluate(decision, context, new Ranking(bucket.Order, bucket.Keys, bucket.Relevances, considered, pending), detail);
            return;
        }

        Span<int> order = small ? stackalloc int[considered.Length] : new int[considered.Length];
        Span<double> keys = small ? stackalloc double[considered.Length] : new double[considered.Length];
        Span<double> relevances = small ? stackalloc double[considered.Length] : new double[considered.Length];
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
            Evaluate(decision, context, new Ranking(order[..ordered], keys, relevances, considered, default), detail);
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

            Scorable = considered.Count(static m => m.TopicScopes.Length > 0);
            Order = new int[considered.Length];
            for (var i = 0; i < Order.Length; i++)
            {
                Order[i] = i;
            }

            Sort(Order, Keys, Relevances, considered);
        }

        public int[] Order { get; }

        public double[] Keys { get; }

        /// <summary>How many candidates have topics (scored per customer, when they come first by their bound).</summary>
        public int Scorable { get; }

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
    /// The best candidate not evaluated yet: score desc, priority desc, catalog order asc. Deterministic. The remaining
    /// candidates are the bucket's order from <see cref="Ranking.Next"/> on (sorted, read in place: a candidate not
    /// scored yet sorts by its upper bound, and before a scored one with an equal key) and the candidates already scored
    /// but not evaluated (<see cref="Ranking.Pending"/>, kept sorted). When the first of the order is not scored yet and
    /// comes before every pending one, it is scored and joins them (a score is at most its bound); otherwise the first of
    /// the two is the best: no unscored candidate can beat or tie it. A decision usually evaluates one or two candidates,
    /// so most candidates with topics are never scored, and the bucket is never copied.
    /// </summary>
    private Scored NextBest(ref Ranking ranking, DecisionContext context)
    {
        var order = ranking.Order;
        var keys = ranking.Keys;
        var relevances = ranking.Relevances;
        var considered = ranking.Considered;
        var pending = ranking.Pending;
        while (true)
        {
            if (ranking.Next < order.Length)
            {
                var index = order[ranking.Next];
                var relevance = relevances[index];
                var unscored = double.IsNaN(relevance);
                if (ranking.PendingCount == 0 || Before(keys[index], unscored, index, pending[0].Key, false, pending[0].Index, considered))
                {
                    ranking.Next++;
                    if (!unscored)
                    {
                        return new Scored(index, keys[index], relevance);
                    }

                    var message = considered[index];
                    relevance = Relevance(context, message);
                    var scored = new Scored(index, Score(message.Priority, relevance, ValueOf(message, context.Tier)), relevance);

                    // Into the pending candidates at its place (few: insertion from the end).
                    var j = ranking.PendingCount++;
                    while (j > 0 && Before(scored.Key, false, scored.Index, pending[j - 1].Key, false, pending[j - 1].Index, considered))
                    {
                        pending[j] = pending[j - 1];
                        j--;
                    }

                    pending[j] = scored;
                    continue;
                }
            }

            var best = pending[0];
            ranking.PendingCount--;
            pending[1..(ranking.PendingCount + 1)].CopyTo(pending);
            return best;
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
        => Before(keys[a], double.IsNaN(relevances[a]), a, keys[b], double.IsNaN(relevances[b]), b, considered);

    /// <summary>Whether candidate <paramref name="a"/> (its key, and whether it is unscored) ranks before <paramref name="b"/>.</summary>
    private static bool Before(double keyA, bool unscoredA, int a, double keyB, bool unscoredB, int b, CompiledMessage[] considered)
    {
        if (keyA != keyB)
        {
            return keyA > keyB;
        }

        if (unscoredA != unscoredB)
        {
            return unscoredA;
        }

        var priorityA = considered[a].Priority;
        var priorityB = considered[b].Priority;
        return priorityA != priorityB ? priorityA > priorityB : a < b;
    }

    /// <summary>
    /// The candidates of one decision being ranked: their order (the bucket's, or the decision's own with
    /// <see cref="DecisionDetail.All"/>), read from <see cref="Next"/> on; per candidate its score (or, unscored, its upper
    /// bound) and relevance (<see cref="Unscored"/> until scored); and the candidates scored but not evaluated yet.
    /// </summary>
    private ref struct Ranking(ReadOnlySpan<int> order, ReadOnlySpan<double> keys, ReadOnlySpan<double> relevances, CompiledMessage[] considered, Span<Scored> pending)
    {
        public readonly ReadOnlySpan<int> Order = order;

        public readonly ReadOnlySpan<double> Keys = keys;

        public readonly ReadOnlySpan<double> Relevances = relevances;

        public readonly CompiledMessage[] Considered = considered;

        /// <summary>The candidates scored but not evaluated, best first (<see cref="PendingCount"/> of them).</summary>
        public readonly Span<Scored> Pending = pending;

        /// <summary>The position in <see cref="Order"/> of the first candidate neither evaluated nor pending.</summary>
        public int Next;

        public int PendingCount;
    }

    /// <summary>A candidate with its score and relevance.</summary>
    private readonly record struct Scored(int Index, double Key, double Relevance);
}
