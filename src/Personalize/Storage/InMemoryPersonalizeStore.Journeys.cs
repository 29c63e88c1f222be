using Personalize.Journeys;

namespace Personalize.Storage;

public sealed partial class InMemoryPersonalizeStore
{
    /// <summary>Every instance by key (customer, journey, instance id).</summary>
    private readonly Dictionary<(string CustomerId, string JourneyId, string InstanceId), JourneyInstance> _journeys = [];

    /// <summary>The keys in the store's order: a page seeks to its cursor instead of sorting every instance.</summary>
    private readonly SortedSet<(string CustomerId, string JourneyId, string InstanceId)> _journeyOrder = new(InstanceOrder.Instance);

    /// <summary>Each customer's instance keys, for the reads of one customer (the due pass reads every active instance of each customer it advances).</summary>
    private readonly Dictionary<string, List<(string CustomerId, string JourneyId, string InstanceId)>> _journeysByCustomer = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<StorePage<JourneyInstance>> ReadJourneysAsync(JourneyQuery query, CancellationToken cancellationToken = default)
    {
        JourneyQuery.ThrowIfInvalid(query);
        cancellationToken.ThrowIfCancellationRequested();
        var after = JourneyInstanceJson.ParseCursor(query.ContinueAfter);
        lock (_gate)
        {
            var page = new List<JourneyInstance>(Math.Min(query.Limit + 1, 1024));
            foreach (var instance in query.CustomerIds is { } ids ? OfCustomers(ids) : Candidates(query.CustomerId, after))
            {
                if ((query.JourneyId is null || instance.JourneyId == query.JourneyId)
                    && (query.CustomerId is null || instance.CustomerId == query.CustomerId)
                    && (!query.ActiveOnly || instance.Status == JourneyStatus.Active)
                    && (query.DueBy is not { } due || (instance.Status == JourneyStatus.Active && instance.WakeAt is { } wake && wake <= due))
                    && JourneyInstanceJson.IsAfter(instance, after))
                {
                    page.Add(instance);
                    if (page.Count > query.Limit)
                    {
                        break;
                    }
                }
            }

            return new(StoreCursor.Page(page, query.Limit, JourneyInstanceJson.Cursor));
        }
    }

    /// <summary>The instances of some customers, in key order (each customer's keys are kept apart, so this costs their own instances).</summary>
    private List<JourneyInstance> OfCustomers(IReadOnlyCollection<string> customerIds)
    {
        var keys = new List<(string CustomerId, string JourneyId, string InstanceId)>();
        foreach (var id in customerIds.Distinct(StringComparer.Ordinal))
        {
            if (_journeysByCustomer.TryGetValue(id, out var own))
            {
                keys.AddRange(own);
            }
        }

        keys.Sort(InstanceOrder.Instance);
        return keys.ConvertAll(k => _journeys[k]);
    }

    /// <summary>The instances a query looks at, in key order: one customer's, or every instance from the cursor on.</summary>
    private IEnumerable<JourneyInstance> Candidates(string? customerId, (string CustomerId, string JourneyId, string InstanceId)? after)
    {
        if (customerId is not null)
        {
            if (!_journeysByCustomer.TryGetValue(customerId, out var keys))
            {
                return [];
            }

            keys.Sort(InstanceOrder.Instance);
            return keys.Select(k => _journeys[k]);
        }

        if (after is not { } from || _journeyOrder.Count == 0)
        {
            return _journeyOrder.Select(k => _journeys[k]);
        }

        // Seek to the cursor (the view is found in O(log n) and read lazily, in order); the cursor's own key is skipped by the caller.
        return _journeyOrder.GetViewBetween(from, InstanceOrder.Last).Select(k => _journeys[k]);
    }

    /// <summary>Writes an entry's journey instances (under the lock, after the checks). Returns whether the version must grow.</summary>
    private bool ApplyJourneyWrites(CustomerSends sends, ref List<string>? already)
    {
        var changed = false;
        foreach (var instance in sends.Journeys)
        {
            var key = (instance.CustomerId, instance.JourneyId, instance.InstanceId);
            if (!_journeys.ContainsKey(key))
            {
                if (!_journeysByCustomer.TryGetValue(instance.CustomerId, out var keys))
                {
                    _journeysByCustomer[instance.CustomerId] = keys = [];
                }

                keys.Add(key);
                _journeyOrder.Add(key);
            }
            else if (instance.Revision == 1)
            {
                (already ??= []).Add(instance.Key);
                continue;
            }

            _journeys[key] = instance;
            changed = true;
        }

        return changed;
    }

    private void ForgetJourneys(string customerId)
    {
        if (_journeysByCustomer.Remove(customerId, out var keys))
        {
            foreach (var key in keys)
            {
                _journeys.Remove(key);
                _journeyOrder.Remove(key);
            }
        }
    }

    /// <summary>The store's order of journey instances: customer, journey, instance id, each ordinal; <see cref="Last"/> after every key.</summary>
    private sealed class InstanceOrder : IComparer<(string CustomerId, string JourneyId, string InstanceId)>
    {
        public static readonly InstanceOrder Instance = new();

        /// <summary>A bound after every key (a null customer id; no stored key has one).</summary>
        public static readonly (string CustomerId, string JourneyId, string InstanceId) Last = (null!, string.Empty, string.Empty);

        public int Compare((string CustomerId, string JourneyId, string InstanceId) x, (string CustomerId, string JourneyId, string InstanceId) y)
        {
            if (x.CustomerId is null || y.CustomerId is null)
            {
                return (x.CustomerId is null).CompareTo(y.CustomerId is null);
            }

            var order = string.CompareOrdinal(x.CustomerId, y.CustomerId);
            if (order == 0)
            {
                order = string.CompareOrdinal(x.JourneyId, y.JourneyId);
            }

            return order != 0 ? order : string.CompareOrdinal(x.InstanceId, y.InstanceId);
        }
    }
}
