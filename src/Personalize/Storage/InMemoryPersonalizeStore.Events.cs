using Personalize.Events;

namespace Personalize.Storage;

public sealed partial class InMemoryPersonalizeStore
{
    private readonly Dictionary<string, CustomerEvent> _events = new(StringComparer.Ordinal);
    private readonly List<(CustomerChange Change, long Seq)> _changes = [];
    private long _changeSeq;

    /// <inheritdoc />
    public ValueTask<IReadOnlyCollection<string>> FindEventsAsync(IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventIds);
        cancellationToken.ThrowIfCancellationRequested();
        var known = new HashSet<string>(StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (var id in eventIds)
            {
                if (id is not null && _events.ContainsKey(id))
                {
                    known.Add(id);
                }
            }
        }

        return new(known);
    }

    /// <inheritdoc />
    public ValueTask<StorePage<CustomerEvent>> ReadEventsAsync(EventQuery query, CancellationToken cancellationToken = default)
    {
        EventQuery.ThrowIfInvalid(query);
        cancellationToken.ThrowIfCancellationRequested();
        var customers = query.CustomerIds is { } ids ? new HashSet<string>(ids.Where(static id => id is not null), StringComparer.Ordinal) : null;
        lock (_gate)
        {
            return new(StoreCursor.PageByInstant(
                _events.Values,
                e => (query.CustomerId is null || e.CustomerId == query.CustomerId)
                    && (customers is null || customers.Contains(e.CustomerId))
                    && (query.Since is not { } since || e.OccurredAt >= since)
                    && (query.Ids is null || query.Ids.Contains(e.Id)),
                static e => e.OccurredAt,
                static e => e.Id,
                query.Limit,
                query.ContinueAfter));
        }
    }

    /// <inheritdoc />
    public ValueTask<StorePage<CustomerChange>> ReadChangesAsync(ChangeQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var after = StoreCursor.Parse(query.ContinueAfter);
            var matching = _changes
                .Where(c => (query.CustomerId is null || c.Change.CustomerId == query.CustomerId)
                    && (query.Kind is null || c.Change.Kind == query.Kind)
                    && (query.Since is null || c.Change.At >= query.Since)
                    && StoreCursor.IsAfter(c.Change.At, ChangeKey(c.Change.CustomerId, c.Seq), after))
                .OrderBy(c => c.Change.At.UtcTicks)
                .ThenBy(c => ChangeKey(c.Change.CustomerId, c.Seq), StringComparer.Ordinal)
                .Take(query.Limit + 1)
                .ToList();
            var page = StoreCursor.Page(matching, query.Limit, c => StoreCursor.Format(c.Change.At, ChangeKey(c.Change.CustomerId, c.Seq)));
            return new(new StorePage<CustomerChange>(page.Items.Select(static c => c.Change).ToList(), page.ContinueAfter));
        }
    }

    /// <summary>The cursor key of a change: the customer, then the store's sequence (so changes at one instant page in a fixed order).</summary>
    internal static string ChangeKey(string customerId, long seq) => customerId + "\u001f" + seq.ToString("D19", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Writes an entry's profile, facts, events and changes (under the lock, after the checks). Returns whether the version must grow.</summary>
    private bool ApplyEventWrites(CustomerSends sends, Entry entry)
    {
        var changed = false;
        if (sends.Profile is { } profile)
        {
            entry.Facts = StoreChecks.FactsOf(profile);
            changed = true;
        }

        if (sends.Facts is { } facts)
        {
            entry.EventFacts = facts;
            changed = true;
        }

        if (sends.Consents.Count > 0)
        {
            entry.Consents.AddRange(sends.Consents);
            changed = true;
        }

        foreach (var @event in sends.Events)
        {
            _events.Add(@event.Id, @event);
        }

        foreach (var change in sends.Changes)
        {
            _changes.Add((change, ++_changeSeq));
        }

        return changed;
    }

    private void ForgetEvents(string customerId)
    {
        foreach (var id in _events.Where(p => p.Value.CustomerId == customerId).Select(static p => p.Key).ToList())
        {
            _events.Remove(id);
        }

        _changes.RemoveAll(c => c.Change.CustomerId == customerId);
    }
}
