using Npgsql;
using Personalize.Storage;
using static Personalize.PostgreSql.PostgreSqlRows;
using static Personalize.Storage.StoreRows;
using Personalize.Channels;

namespace Personalize.PostgreSql;

public sealed partial class PostgreSqlPersonalizeStore
{
    private const string ShareColumns = "share, generation, worker, after_id, up_to, continue_after, lease_until";

    /// <inheritdoc />
    /// <remarks>
    /// The first claim of a run splits the customers into shares of <see cref="WorkRequest.ShareSize"/> consecutive ids
    /// (under an advisory lock, so concurrent first claims split it once); the first share starts at the first id and
    /// the last one has no upper bound, so customers added during the run belong to a share too. A claim takes the
    /// lowest-numbered share that is not completed and not under a live lease, with <c>FOR UPDATE SKIP LOCKED</c>, so
    /// concurrent claimers never wait for each other and never get the same share. Leases are measured by the
    /// server's clock (<c>now()</c>), so the workers' clocks do not matter.
    /// </remarks>
    public ValueTask<WorkClaimResult> ClaimWorkAsync(WorkRequest request, CancellationToken cancellationToken = default)
    {
        InProcessWork.ThrowIfInvalid(request);
        cancellationToken.ThrowIfCancellationRequested();
        return WriteAsync(async (connection, transaction, token) =>
        {
            await SplitOnceAsync(connection, transaction, request, token).ConfigureAwait(false);
            await using (var claim = Command(connection, transaction, $"""
                UPDATE {_sql.S}.work_shares w
                SET generation = w.generation + 1, worker = @worker, lease = @lease, lease_until = now() + @lease
                FROM (
                    SELECT run_id, share FROM {_sql.S}.work_shares
                    WHERE run_id = @run AND NOT completed AND (worker IS NULL OR lease_until < now())
                    ORDER BY share LIMIT 1 FOR UPDATE SKIP LOCKED
                ) free
                WHERE w.run_id = free.run_id AND w.share = free.share
                RETURNING {ShareColumns.Replace("share", "w.share", StringComparison.Ordinal)}
                """))
            {
                Param(claim.Parameters, "run", request.RunId);
                Param(claim.Parameters, "worker", request.Worker);
                Param(claim.Parameters, "lease", request.Lease);
                await using var data = await claim.ExecuteReaderAsync(token).ConfigureAwait(false);
                if (await data.ReadAsync(token).ConfigureAwait(false))
                {
                    var claimed = ReadClaim(data, request.RunId);
                    await data.DisposeAsync().ConfigureAwait(false);
                    var (remaining, _) = await RemainingAsync(connection, transaction, request.RunId, token).ConfigureAwait(false);
                    return new WorkClaimResult(claimed, remaining, null);
                }
            }

            var (left, retryAfter) = await RemainingAsync(connection, transaction, request.RunId, token).ConfigureAwait(false);
            return new WorkClaimResult(null, left, left == 0 ? null : retryAfter);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<WorkClaim?> ReportWorkAsync(WorkClaim claim, WorkReport report, CancellationToken cancellationToken = default)
    {
        InProcessWork.ThrowIfInvalid(claim, report);
        cancellationToken.ThrowIfCancellationRequested();
        return WriteAsync(async (connection, transaction, token) =>
        {
            // The generation is the fencing token: once another worker took the share over, this report matches nothing.
            await using var command = Command(connection, transaction, $"""
                UPDATE {_sql.S}.work_shares
                SET continue_after = COALESCE(@continue_after, continue_after), completed = @completed,
                    processed = processed + @processed, sent = sent + @sent, scheduled = scheduled + @scheduled,
                    already_sent = already_sent + @already_sent, errors = errors + @errors, lease_until = now() + lease
                WHERE run_id = @run AND share = @share AND generation = @generation AND NOT completed
                RETURNING {ShareColumns}
                """);
            Param(command.Parameters, "run", claim.RunId);
            Param(command.Parameters, "share", claim.Share);
            Param(command.Parameters, "generation", claim.Generation);
            AddText(command.Parameters, "continue_after", report.ContinueAfter);
            Param(command.Parameters, "completed", report.Completed);
            Param(command.Parameters, "processed", report.Processed);
            Param(command.Parameters, "sent", report.Sent);
            Param(command.Parameters, "scheduled", report.Scheduled);
            Param(command.Parameters, "already_sent", report.AlreadySent);
            Param(command.Parameters, "errors", report.Errors);
            await using var data = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
            return await data.ReadAsync(token).ConfigureAwait(false) ? ReadClaim(data, claim.RunId) : null;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<WorkProgress> ReadWorkAsync(string runId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runId);
        return ReadAsync(async (connection, transaction, token) =>
        {
            await using var command = Command(connection, transaction, $"""
                SELECT count(*), count(*) FILTER (WHERE completed), COALESCE(sum(greatest(generation - 1, 0)), 0)::bigint,
                    COALESCE(sum(processed), 0)::bigint, COALESCE(sum(sent), 0)::bigint, COALESCE(sum(scheduled), 0)::bigint,
                    COALESCE(sum(already_sent), 0)::bigint, COALESCE(sum(errors), 0)::bigint
                FROM {_sql.S}.work_shares WHERE run_id = @run
                """);
            Param(command.Parameters, "run", runId);
            await using var data = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
            await data.ReadAsync(token).ConfigureAwait(false);
            return new WorkProgress
            {
                RunId = runId,
                Shares = (int)data.GetInt64(0),
                Completed = (int)data.GetInt64(1),
                Takeovers = data.GetInt64(2),
                Processed = data.GetInt64(3),
                Sent = data.GetInt64(4),
                Scheduled = data.GetInt64(5),
                AlreadySent = data.GetInt64(6),
                Errors = data.GetInt64(7),
            };
        }, cancellationToken);
    }

    /// <summary>Splits a run into shares the first time a worker claims one of it.</summary>
    private async Task SplitOnceAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, WorkRequest request, CancellationToken cancellationToken)
    {
        var exists = $"SELECT EXISTS (SELECT 1 FROM {_sql.S}.work_shares WHERE run_id = @run)";
        await using var command = Command(connection, transaction, exists);
        Param(command.Parameters, "run", request.RunId);
        if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true)
        {
            return;
        }

        // Concurrent first claims of the run wait here; the later ones find the shares made (READ COMMITTED: each
        // statement sees what committed before it started).
        await using (var wait = Command(connection, transaction, "SELECT pg_advisory_xact_lock(hashtextextended(@lock, 0))"))
        {
            Param(wait.Parameters, "lock", "personalize.work." + Schema + "." + request.RunId);
            await wait.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true)
        {
            return;
        }

        // Every ShareSize-th id (in id order) ends a share; the last share is open-ended.
        await using var insert = Command(connection, transaction, $"""
            WITH bounds AS (
                SELECT id FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM {_sql.S}.customers) numbered
                WHERE n % @size = 0
            ), ends AS (
                SELECT id AS up_to, lag(id) OVER (ORDER BY id) AS after_id, row_number() OVER (ORDER BY id) - 1 AS share FROM bounds
            )
            INSERT INTO {_sql.S}.work_shares (run_id, share, after_id, up_to)
            SELECT @run, share, after_id, up_to FROM ends
            UNION ALL
            SELECT @run, (SELECT count(*) FROM bounds), (SELECT max(id) FROM bounds), NULL
            """);
        Param(insert.Parameters, "run", request.RunId);
        Param(insert.Parameters, "size", (long)request.ShareSize);
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<(int Remaining, TimeSpan? RetryAfter)> RemainingAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string runId, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, $"""
            SELECT count(*), greatest(min(lease_until) - now(), interval '0') FROM {_sql.S}.work_shares WHERE run_id = @run AND NOT completed
            """);
        Param(command.Parameters, "run", runId);
        await using var data = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await data.ReadAsync(cancellationToken).ConfigureAwait(false);
        return ((int)data.GetInt64(0), data.IsDBNull(1) ? null : data.GetFieldValue<TimeSpan>(1));
    }

    private static WorkClaim ReadClaim(NpgsqlDataReader data, string runId) => new()
    {
        RunId = runId,
        Share = data.GetInt32(0),
        Generation = data.GetInt64(1),
        Worker = data.GetString(2),
        After = NullableString(data, 3),
        UpTo = NullableString(data, 4),
        ContinueAfter = NullableString(data, 5),
        LeaseUntil = new DateTimeOffset(data.GetFieldValue<DateTime>(6), TimeSpan.Zero),
    };
}
