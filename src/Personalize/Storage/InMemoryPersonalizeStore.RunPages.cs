namespace Personalize.Storage;

public sealed partial class InMemoryPersonalizeStore
{
    private readonly Dictionary<string, List<RunPage>> _runPages = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<RunPage>> ReadRunPagesAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return new(_runPages.TryGetValue(runId, out var held) ? held.ToArray() : []);
        }
    }

    /// <summary>Records a batch's run pages (under the gate); returns the ones refused because they overlap a page the run holds.</summary>
    private List<RunPage>? RecordRunPages(IReadOnlyList<RunPage> pages)
    {
        List<RunPage>? refused = null;
        foreach (var page in pages)
        {
            if (!_runPages.TryGetValue(page.RunId, out var held))
            {
                _runPages[page.RunId] = held = [];
            }

            if (held.Contains(page))
            {
                continue;
            }

            if (held.Exists(page.Overlaps))
            {
                (refused ??= []).Add(page);
                continue;
            }

            var at = held.FindIndex(p => string.CompareOrdinal(p.FirstCustomerId, page.FirstCustomerId) > 0);
            held.Insert(at < 0 ? held.Count : at, page);
        }

        return refused;
    }

    /// <summary>Moves the run page bounds that name an erased customer to the nearest remaining customer of the page (under the gate, after the customer is gone); removes pages left without customers.</summary>
    private void ForgetRunPageBounds(string customerId)
    {
        foreach (var held in _runPages.Values)
        {
            for (var i = held.Count - 1; i >= 0; i--)
            {
                var page = held[i];
                if (page.FirstCustomerId != customerId && page.LastCustomerId != customerId)
                {
                    continue;
                }

                var inside = _customers.Keys.Where(page.Contains).Order(StringComparer.Ordinal).ToList();
                if (inside.Count == 0)
                {
                    held.RemoveAt(i);
                    continue;
                }

                held[i] = page with
                {
                    FirstCustomerId = page.FirstCustomerId == customerId ? inside[0] : page.FirstCustomerId,
                    LastCustomerId = page.LastCustomerId == customerId ? inside[^1] : page.LastCustomerId,
                };
            }
        }
    }
}
