namespace Personalize.Storage;

public sealed partial class InMemoryPersonalizeStore
{
    /// <inheritdoc />
    /// <remarks>The store looks through its customers' ledgers in memory (no I/O); the SQL stores read an index of the requests.</remarks>
    public ValueTask<StorePage<PendingConsent>> ReadPendingConsentsAsync(PendingConsentQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var after = StoreCursor.Parse(query.ContinueAfter);
            var rows = new List<(PendingConsent Pending, string Key)>();
            foreach (var (id, entry) in _customers)
            {
                for (var i = 0; i < entry.Consents.Count; i++)
                {
                    var record = entry.Consents[i];
                    if (!record.IsPending || record.RecordedAt < query.Since)
                    {
                        continue;
                    }

                    // The sequence is the record's place in the ledger, from 1 as in the SQL stores.
                    var key = StoreCursor.SequencedKey(id, i + 1);
                    if (StoreCursor.IsAfter(record.RecordedAt, key, after))
                    {
                        rows.Add((new PendingConsent(id, record), key));
                    }
                }
            }

            var page = rows.OrderBy(r => r.Pending.Request.RecordedAt.UtcTicks).ThenBy(r => r.Key, StringComparer.Ordinal).Take(query.Limit + 1).ToList();
            var result = StoreCursor.Page(page, query.Limit, r => StoreCursor.Format(r.Pending.Request.RecordedAt, r.Key));
            return new(new StorePage<PendingConsent>(result.Items.Select(static r => r.Pending).ToList(), result.ContinueAfter));
        }
    }
}
