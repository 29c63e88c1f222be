using Personalize.Storage;
using static Personalize.PostgreSql.PostgreSqlRows;
using static Personalize.Storage.StoreRows;

namespace Personalize.PostgreSql;

public sealed partial class PostgreSqlPersonalizeStore
{
    /// <inheritdoc />
    public ValueTask<StorePage<PendingConsent>> ReadPendingConsentsAsync(PendingConsentQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        var after = StoreCursor.ParseSequenced(query.ContinueAfter, "the pending consents", nameof(query));

        // The terms of the partial index consent_records_pending (migration 6), written the same way so the planner uses it.
        var sql = $"SELECT {ConsentColumns} FROM {_sql.S}.consent_records WHERE action = 0 AND opt_in = 1 AND confirmed_at IS NULL AND recorded_at >= @since"
            + (after is null ? string.Empty : " AND (recorded_at, customer_id, seq) > (@after_ticks, @after_customer, @after_seq)")
            + " ORDER BY recorded_at, customer_id, seq LIMIT @limit";
        return ReadAsync(async (connection, transaction, token) =>
        {
            await using var command = Command(connection, transaction, sql);
            Param(command.Parameters, "since", query.Since.UtcTicks);
            if (after is { } cursor)
            {
                Param(command.Parameters, "after_ticks", cursor.Ticks);
                Param(command.Parameters, "after_customer", cursor.CustomerId);
                Param(command.Parameters, "after_seq", cursor.Seq);
            }

            Param(command.Parameters, "limit", query.Limit + 1);
            var rows = new List<(PendingConsent Pending, long Seq)>();
            await using (var data = await command.ExecuteReaderAsync(token).ConfigureAwait(false))
            {
                while (await data.ReadAsync(token).ConfigureAwait(false))
                {
                    rows.Add((new PendingConsent(data.GetString(0), ReadConsent(data)), data.GetInt32(1)));
                }
            }

            var page = StoreCursor.Page(rows, query.Limit, static r => StoreCursor.Format(r.Pending.Request.RecordedAt, StoreCursor.SequencedKey(r.Pending.CustomerId, r.Seq)));
            return new StorePage<PendingConsent>(page.Items.Select(static r => r.Pending).ToList(), page.ContinueAfter);
        }, cancellationToken);
    }
}
