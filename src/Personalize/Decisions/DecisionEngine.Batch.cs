using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Customers;
using Personalize.Decisions.Rules;
using Personalize.Eligibility;

namespace Personalize.Decisions;

// Batches: DecideMany and DecideStream, in parallel, in input order.
public sealed partial class DecisionEngine
{
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
        // A snapshot's own array is read as it is (its Update replaces one element at a time, each a whole profile).
        var batch = customers switch
        {
            CustomerProfile[] array => array,
            CustomerSnapshot snapshot => snapshot.Array,
            _ => [.. customers],
        };
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

    /// <summary>
    /// Decides a range of a batch in order, prefetching the next customers' profiles (see <see cref="ProfilePrefetch"/>);
    /// the range's decisions keep their entries in shared segments (see <see cref="DecisionArena"/>). What does not depend
    /// on the customer is done once per range: the channel check, the trigger's candidates per stage (no lookup by
    /// trigger per customer) and the thread's decision context (taken once, reset between customers).
    /// </summary>
    private void DecideRange(CompiledCatalog catalog, CustomerProfile[] customers, Trigger trigger, DateTimeOffset at, Decision[] results, int from, int to)
    {
        ThrowIfOtherChannels(catalog);
        var buckets = catalog.Buckets(trigger);
        var arena = new DecisionArena();
        var header = DecisionHeader.Create(this, catalog, trigger, at, DecisionDetail.Candidates, null);
        DecisionContext? context = null;
        try
        {
            for (var i = from; i < to; i++)
            {
                ProfilePrefetch.Ahead(customers, i, to);
                var customer = customers[i];
                var decision = new Decision(header, customer);
                results[i] = decision;
                var considered = CompiledCatalog.Candidates(buckets, customer.Stage);
                if (considered.Length == 0)
                {
                    continue;
                }

                if (context is null)
                {
                    context = DecisionContext.Rent(customer, trigger, at, Eligibility);
                }
                else
                {
                    context.Reset(customer);
                }

                Decide(decision, context, considered, null, DecisionDetail.Candidates, arena);
            }
        }
        finally
        {
            context?.Return();
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
}
