using Personalize.Journeys;

namespace Personalize.Storage;

public sealed partial class InMemoryPersonalizeStore
{
    /// <summary>Every instance by key (customer, journey, instance id).</summary>
    private readonly Dictionary<(string CustomerId, string JourneyId, string InstanceId), JourneyInstance> _journeys = [];

    /// <summary>The keys in the store's order: a page seeks to its cursor instead of sorting every instance.</summary>
    private readonly SortedSet<(string CustomerId, string JourneyId, string InstanceId)> _journeyOrder = new(InstanceOrder.Instance);

    /// <summary>The active instances that have a wake-up instant, in the order of due reads (instant, then key): a due page seeks to its cursor and reads due instances only.</summary>
    private readonly SortedSet<(long Wake, (string CustomerId, string JourneyId, string InstanceId) Key)> _dueOrder = new(DueOrder.Instance);

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
            var byWake = query.DueBy is not null;
            var candidates = query.CustomerIds is { } ids ? OfCustomers(ids)
                : query.CustomerId is null && query.DueBy is { } dueBy ? Due(dueBy, after)
                : Candidates(query.CustomerId, after);
            if (byWake && (query.CustomerIds is not null || query.CustomerId is not null))
            {
                candidates = candidates.OrderBy(static i => (i.WakeAt ?? DateTimeOffset.UnixEpoch).UtcTicks).ToList();
            }

            foreach (var instance in candidates)
            {
                if ((query.JourneyId is null || instance.JourneyId == query.JourneyId)
                    && (query.CustomerId is null || instance.CustomerId == query.CustomerId)
                    && (!query.ActiveOnly || instance.Status == JourneyStatus.Active)
                    && (query.DueBy is not { } due || (instance.Status == JourneyStatus.Active && instance.WakeAt is { } wake && wake <= due))
                    && JourneyInstanceJson.IsAfter(instance, after, byWake))
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

    /// <summary>The active instances due by an instant, in the order of due reads, from the cursor on (the cursor's own key is skipped by the caller).</summary>
    private IEnumerable<JourneyInstance> Due(DateTimeOffset dueBy, JourneyCursor? after)
    {
        if (_dueOrder.Count == 0)
        {
            return [];
        }

        var from = after is { } c ? (c.WakeTicks, (c.CustomerId, c.JourneyId, c.InstanceId)) : _dueOrder.Min;
        if (DueOrder.Instance.Compare(from, _dueOrder.Max) > 0)
        {
            return [];
        }

        return _dueOrder.GetViewBetween(from, _dueOrder.Max).TakeWhile(d => d.Wake <= dueBy.UtcTicks).Select(d => _journeys[d.Key]);
    }

    /// <summary>The instances a query looks at, in key order: one customer's, or every instance from the cursor on.</summary>
    private IEnumerable<JourneyInstance> Candidates(string? customerId, JourneyCursor? after)
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

        if (after is not { } c || _journeyOrder.Count == 0)
        {
            return _journeyOrder.Select(k => _journeys[k]);
        }

        var from = (c.CustomerId, c.JourneyId, c.InstanceId);

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
            if (_journeys.TryGetValue(key, out var stored))
            {
                if (instance.Revision == 1)
                {
                    (already ??= []).Add(instance.Key);
                    continue;
                }

                ForgetDue(stored);
            }
            else
            {
                if (!_journeysByCustomer.TryGetValue(instance.CustomerId, out var keys))
                {
                    _journeysByCustomer[instance.CustomerId] = keys = [];
                }

                keys.Add(key);
                _journeyOrder.Add(key);
            }

            _journeys[key] = instance;
            if (instance.Status == JourneyStatus.Active && instance.WakeAt is { } wake)
            {
                _dueOrder.Add((wake.UtcTicks, key));
            }

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
                if (_journeys.Remove(key, out var stored))
                {
                    ForgetDue(stored);
                }

                _journeyOrder.Remove(key);
            }
        }
    }

    private void ForgetDue(JourneyInstance stored)
    {
        if (stored.Status == JourneyStatus.Active && stored.WakeAt is { } wake)
        {
            _dueOrder.Remove((wake.UtcTicks, (stored.CustomerId, stored.JourneyId, stored.InstanceId)));
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

    /// <summary>The order of due reads: wake-up instant, then the key in <see cref="InstanceOrder"/>.</summary>
    private sealed class DueOrder : IComparer<(long Wake, (string CustomerId, string JourneyId, string InstanceId) Key)>
    {
        public static readonly DueOrder Instance = new();

        public int Compare((long Wake, (string CustomerId, string JourneyId, string InstanceId) Key) x, (long Wake, (string CustomerId, string JourneyId, string InstanceId) Key) y)
        {
            var order = x.Wake.CompareTo(y.Wake);
            return order != 0 ? order : InstanceOrder.Instance.Compare(x.Key, y.Key);
        }
    }
}
