using Personalize.Delivery;
using Personalize.Storage;

namespace Personalize.Sending;

/// <summary>
/// The page tags of one send run over the store (ADR 0077): the pages the store recorded for the run and the pages this
/// process tagged since, sorted by first customer, never overlapping. A customer in a known page takes its tag, so a
/// resumed run makes the keys it recorded; customers in none get a new tag, and the ranges that cover them (split
/// wherever a known page lies between them) go to the store with their page's messages.
/// </summary>
internal sealed class RunPageTags
{
    private readonly object _gate = new();
    private readonly string _runId;
    private List<RunPage> _pages;

    private RunPageTags(string runId, List<RunPage> pages)
    {
        _runId = runId;
        _pages = pages;
    }

    /// <summary>Reads the pages the run recorded.</summary>
    public static async Task<RunPageTags> LoadAsync(IPersonalizeStore store, string runId, CancellationToken cancellationToken)
        => new(runId, [.. await store.ReadRunPagesAsync(runId, cancellationToken).ConfigureAwait(false)]);

    /// <summary>
    /// Reads the run's recorded pages again after the store refused a page (another process recorded an overlapping one
    /// meanwhile): the store's pages, and this process's own pages not yet recorded that overlap none of them.
    /// </summary>
    public async Task RefreshAsync(IPersonalizeStore store, CancellationToken cancellationToken)
    {
        var recorded = await store.ReadRunPagesAsync(_runId, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            var merged = new List<RunPage>(recorded);
            foreach (var own in _pages)
            {
                if (!recorded.Any(own.Overlaps))
                {
                    merged.Add(own);
                }
            }

            merged.Sort(static (a, b) => string.CompareOrdinal(a.FirstCustomerId, b.FirstCustomerId));
            _pages = merged;
        }
    }

    /// <summary>
    /// Tags customers given in ascending ordinal order of id (a page as the store reads it): each the tag of the known
    /// page that holds it, else one new tag for this call's others.
    /// </summary>
    /// <param name="count">How many customers.</param>
    /// <param name="idOf">The id of the customer at an index.</param>
    /// <param name="fresh">The new pages to record with these customers' messages, or <see langword="null"/>.</param>
    /// <returns>The tag of each customer.</returns>
    public string[] Assign(int count, Func<int, string> idOf, out List<RunPage>? fresh)
    {
        fresh = null;
        var tags = new string[count];
        string? tag = null;
        lock (_gate)
        {
            var pages = _pages;
            string? first = null, last = null;
            var gap = -1;
            for (var i = 0; i < count; i++)
            {
                var id = idOf(i);

                // The last known page that starts at or before the id: the only one that can hold it.
                var at = Find(pages, id);
                if (at >= 0 && pages[at].Contains(id))
                {
                    tags[i] = pages[at].Tag;
                    continue;
                }

                tag ??= IdempotencyKey.CreateTag();
                tags[i] = tag;
                if (first is not null && gap != at)
                {
                    // A known page lies between this customer and the previous untagged one: the range ends there.
                    (fresh ??= []).Add(new RunPage { RunId = _runId, FirstCustomerId = first, LastCustomerId = last!, Tag = tag });
                    first = null;
                }

                first ??= id;
                last = id;
                gap = at;
            }

            if (first is not null)
            {
                (fresh ??= []).Add(new RunPage { RunId = _runId, FirstCustomerId = first, LastCustomerId = last!, Tag = tag! });
            }

            if (fresh is not null)
            {
                var merged = new List<RunPage>(pages.Count + fresh.Count);
                merged.AddRange(pages);
                merged.AddRange(fresh);
                merged.Sort(static (a, b) => string.CompareOrdinal(a.FirstCustomerId, b.FirstCustomerId));
                _pages = merged;
            }
        }

        return tags;
    }

    /// <summary>The index of the last page whose first customer is at or before <paramref name="id"/>, or -1.</summary>
    private static int Find(List<RunPage> pages, string id)
    {
        int low = 0, high = pages.Count - 1, found = -1;
        while (low <= high)
        {
            var middle = (low + high) >>> 1;
            if (string.CompareOrdinal(pages[middle].FirstCustomerId, id) <= 0)
            {
                found = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return found;
    }
}
