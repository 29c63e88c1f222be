using Personalize.Storage;

namespace Personalize.Sqlite;

public sealed partial class SqlitePersonalizeStore
{
    // The terms of the partial index consent_records_pending (migration 7), written the same way so SQLite uses it.
    private const string PendingConsents = $"SELECT {StoreRows.ConsentColumns} FROM consent_records WHERE action = 0 AND opt_in = 1 AND confirmed_at IS NULL AND recorded_at >= $since";

    /// <summary>The first page's query and the next pages' (after the cursor's instant, customer and sequence).</summary>
    internal static readonly string[] PendingConsentsSql =
    [
        PendingConsents + " ORDER BY recorded_at, customer_id, seq LIMIT $limit",
        PendingConsents + " AND (recorded_at, customer_id, seq) > ($afterTicks, $afterCustomer, $afterSeq) ORDER BY recorded_at, customer_id, seq LIMIT $limit",
    ];

    /// <inheritdoc />
    public ValueTask<StorePage<PendingConsent>> ReadPendingConsentsAsync(PendingConsentQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        cancellationToken.ThrowIfCancellationRequested();
        var after = StoreCursor.ParseSequenced(query.ContinueAfter, "the pending consents", nameof(query));
        using var reader = OpenReader();
        using var command = reader.Command(PendingConsentsSql[after is null ? 0 : 1]);
        command.Parameters.AddWithValue("$since", query.Since.UtcTicks);
        if (after is { } cursor)
        {
            command.Parameters.AddWithValue("$afterTicks", cursor.Ticks);
            command.Parameters.AddWithValue("$afterCustomer", cursor.CustomerId);
            command.Parameters.AddWithValue("$afterSeq", cursor.Seq);
        }

        command.Parameters.AddWithValue("$limit", query.Limit + 1);
        var rows = new List<(PendingConsent Pending, long Seq)>();
        using (var data = command.ExecuteReader())
        {
            while (data.Read())
            {
                rows.Add((new PendingConsent(data.GetString(0), StoreRows.ReadConsent(data)), data.GetInt64(1)));
            }
        }

        var page = StoreCursor.Page(rows, query.Limit, static r => StoreCursor.Format(r.Pending.Request.RecordedAt, StoreCursor.SequencedKey(r.Pending.CustomerId, r.Seq)));
        return new(new StorePage<PendingConsent>(page.Items.Select(static r => r.Pending).ToList(), page.ContinueAfter));
    }
}
