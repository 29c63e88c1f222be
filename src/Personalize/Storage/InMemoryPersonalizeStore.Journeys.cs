using Personalize.Journeys;

namespace Personalize.Storage;

public sealed partial class InMemoryPersonalizeStore
{
    private readonly Dictionary<string, JourneyInstance> _journeys = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<StorePage<JourneyInstance>> ReadJourneysAsync(JourneyQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        cancellationToken.ThrowIfCancellationRequested();
        var after = JourneyInstanceJson.ParseCursor(query.ContinueAfter);
        lock (_gate)
        {
            var matching = _journeys.Values
                .Where(j => (query.CustomerId is null || j.CustomerId == query.CustomerId)
                    && (query.JourneyId is null || j.JourneyId == query.JourneyId)
                    && (!query.ActiveOnly || j.Status == JourneyStatus.Active)
                    && (query.DueBy is not { } due || (j.Status == JourneyStatus.Active && j.WakeAt is { } wake && wake <= due))
                    && JourneyInstanceJson.IsAfter(j, after))
                .OrderBy(static j => j.CustomerId, StringComparer.Ordinal)
                .ThenBy(static j => j.JourneyId, StringComparer.Ordinal)
                .ThenBy(static j => j.InstanceId, StringComparer.Ordinal)
                .Take(query.Limit + 1)
                .ToList();
            return new(StoreCursor.Page(matching, query.Limit, JourneyInstanceJson.Cursor));
        }
    }

    /// <summary>Writes an entry's journey instances (under the lock, after the checks). Returns whether the version must grow.</summary>
    private bool ApplyJourneyWrites(CustomerSends sends, ref List<string>? already)
    {
        var changed = false;
        foreach (var instance in sends.Journeys)
        {
            if (instance.Revision == 1 && _journeys.ContainsKey(instance.Key))
            {
                (already ??= []).Add(instance.Key);
                continue;
            }

            _journeys[instance.Key] = instance;
            changed = true;
        }

        return changed;
    }

    private void ForgetJourneys(string customerId)
    {
        foreach (var key in _journeys.Where(p => p.Value.CustomerId == customerId).Select(static p => p.Key).ToList())
        {
            _journeys.Remove(key);
        }
    }
}
