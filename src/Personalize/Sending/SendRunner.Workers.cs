using System.Threading.Channels;
using Personalize.Storage;

namespace Personalize.Sending;

public sealed partial class SendRunner
{
    /// <summary>
    /// Runs a send as one of several workers (processes, on any machines) sharing one store: the store splits the
    /// run's customers into shares (id ranges); this worker claims a share under a lease, decides, records and sends it
    /// a page at a time as <see cref="RunAsync(SendRun, IPersonalizeStore, IProgress{SendProgress}?, CancellationToken)"/>
    /// does, reports its progress after every page (which renews the lease), and claims the next share until none is
    /// left. When every share is completed it writes the run record with the totals all workers reported.
    /// </summary>
    /// <remarks>
    /// <para>Start the same run (same trigger and instant, so the same run id and idempotency keys) on every worker.
    /// A worker that stops reporting (killed, hung, cut off) loses its share when the lease runs out; a worker that
    /// finds no free share while others hold theirs waits for those leases and takes over any that ran out, from the
    /// last customer reported, first handing over the messages the earlier holder recorded but may not have handed to
    /// the sink. Nothing is recorded twice (unique keys, customer versions); a message handed over just before its
    /// worker was killed can reach the sink twice with the same idempotency key, which sinks and providers use to keep
    /// one.</para>
    /// <para>The PostgreSQL store splits runs between processes on any machines; the in-memory and SQLite stores keep
    /// one share per run in the process.</para>
    /// </remarks>
    /// <param name="run">The catalog, content, trigger and instant; <see cref="SendRun.At"/> should be set, so every worker runs the same instant.</param>
    /// <param name="store">The shared store.</param>
    /// <param name="worker">This worker's name, lease and share size.</param>
    /// <param name="progress">Receives this worker's snapshots.</param>
    /// <param name="cancellationToken">Stops this worker after the page in hand (its share is taken over once its lease runs out).</param>
    /// <returns>This worker's summary (its own totals; the run record holds everyone's).</returns>
    /// <exception cref="ArgumentException">The run is a dry run (it writes nothing, so it cannot be shared), or the worker options are invalid.</exception>
    public async Task<SendRunSummary> RunWorkerAsync(SendRun run, IPersonalizeStore store, WorkerOptions worker, IProgress<SendProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(worker);
        if (run.DryRun)
        {
            throw new ArgumentException("A dry run writes nothing, so it cannot be split between workers; run it with RunAsync.", nameof(run));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(worker.Name, nameof(worker));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(worker.Lease, TimeSpan.Zero, nameof(worker));
        ArgumentOutOfRangeException.ThrowIfLessThan(worker.ShareSize, 1, nameof(worker));

        var at = run.At ?? _timeProvider.GetUtcNow();
        using var state = NewState(run, at, progress, RunKinds.Worker);
        var runId = RunRecord.CreateId(state.TriggerText, at);
        var existing = await store.GetRunAsync(runId, cancellationToken).ConfigureAwait(false);
        if (existing is { Status: RunStatus.Completed })
        {
            state.AlreadyCompleted(runId);
            return new SendRunSummary { Totals = state.Snapshot(), Errors = [], At = at, DryRun = false, RunId = runId, AlreadyCompleted = true };
        }

        var started = existing?.StartedAt ?? _timeProvider.GetUtcNow();
        if (existing is null)
        {
            await store.SaveRunAsync(new RunRecord { Id = runId, Trigger = state.TriggerText, At = at, Status = RunStatus.Running, StartedAt = started, UpdatedAt = started, KeyFormat = _options.IdempotencyKeyFormat }, cancellationToken).ConfigureAwait(false);

            // Workers starting at once each save the record; the store keeps the first one's key format (a run's format
            // is never changed once saved), and every worker reads it back and uses it.
            existing = await store.GetRunAsync(runId, cancellationToken).ConfigureAwait(false);
        }

        state.KeyFormat = existing?.KeyFormat ?? _options.IdempotencyKeyFormat;

        state.Bodies = BodyPool(run, InFlightMessages(MaxPagesPerWrite));
        state.Begin(runId);
        var request = new WorkRequest { RunId = runId, Worker = worker.Name, Lease = worker.Lease, ShareSize = worker.ShareSize };
        while (true)
        {
            var result = await store.ClaimWorkAsync(request, cancellationToken).ConfigureAwait(false);
            if (result.Claim is { } claim)
            {
                await RunShareAsync(run, store, state, claim, worker.Lease, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (result.Remaining == 0)
            {
                break;
            }

            // Other workers hold the remaining shares: wait for the first lease to run out (or be renewed) and ask again.
            var wait = result.RetryAfter ?? worker.Lease;
            var floor = TimeSpan.FromMilliseconds(50);
            await Task.Delay(wait < floor ? floor : wait > worker.Lease ? worker.Lease : wait, cancellationToken).ConfigureAwait(false);
        }

        // Every share is completed: the run record gets everyone's totals (each finishing worker writes the same).
        var work = await store.ReadWorkAsync(runId, cancellationToken).ConfigureAwait(false);
        await store.SaveRunAsync(
            new RunRecord
            {
                Id = runId,
                Trigger = state.TriggerText,
                At = at,
                Status = work.Errors == 0 ? RunStatus.Completed : RunStatus.Running,
                StartedAt = started,
                UpdatedAt = _timeProvider.GetUtcNow(),
                Processed = work.Processed,
                Sent = work.Sent,
                Scheduled = work.Scheduled,
                AlreadySent = work.AlreadySent,
                Errors = work.Errors,
                KeyFormat = state.KeyFormat,
            },
            cancellationToken).ConfigureAwait(false);

        var totals = state.Snapshot();
        state.Complete(totals);
        progress?.Report(totals);
        return new SendRunSummary { Totals = totals, Errors = state.Errors.ToArray(), At = at, DryRun = false, RunId = runId };
    }

    /// <summary>Works one claimed share to its end, or until it is lost (taken over after this worker's lease ran out).</summary>
    private async Task RunShareAsync(SendRun run, IPersonalizeStore store, RunState state, WorkClaim claim, TimeSpan lease, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var current = claim;
        var lost = false;
        var baseline = state.Snapshot();
        var gate = new SemaphoreSlim(1, 1);

        async Task<bool> ReportAsync(string? continueAfter, bool completed, CancellationToken token)
        {
            await gate.WaitAsync(token).ConfigureAwait(false);
            try
            {
                var now = state.Snapshot();
                var report = new WorkReport
                {
                    ContinueAfter = continueAfter,
                    Completed = completed,
                    Processed = now.Processed - baseline.Processed,
                    Sent = now.TotalSent - baseline.TotalSent,
                    Scheduled = now.Deferred - baseline.Deferred,
                    AlreadySent = now.AlreadyWritten - baseline.AlreadyWritten,
                    Errors = now.Errors - baseline.Errors,
                };
                if (await store.ReportWorkAsync(current, report, token).ConfigureAwait(false) is not { } renewed)
                {
                    lost = true;
                    await stop.CancelAsync().ConfigureAwait(false);
                    return false;
                }

                current = renewed;
                baseline = now;
                return true;
            }
            finally
            {
                gate.Release();
            }
        }

        // Renew the lease while a page takes long (a slow sink, a large recovery).
        var heartbeat = Task.Run(
            async () =>
            {
                try
                {
                    while (!stop.IsCancellationRequested)
                    {
                        await Task.Delay(lease / 3, stop.Token).ConfigureAwait(false);
                        if (!await ReportAsync(null, completed: false, stop.Token).ConfigureAwait(false))
                        {
                            return;
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                }
            },
            CancellationToken.None);

        var loop = new Loop(this, store, state, claim.RunId, null)
        {
            AfterPage = async (lastId, token) =>
            {
                if (!await ReportAsync(lastId, completed: false, token).ConfigureAwait(false))
                {
                    throw new OperationCanceledException("The share was taken over by another worker.");
                }
            },
        };

        try
        {
            // What an earlier holder of this share recorded but may not have handed over goes first.
            await RecoverAsync(store, run.Catalog, run.Templates, state, stop.Token, claim).ConfigureAwait(false);
            if (state.KeyFormat == Delivery.IdempotencyKeyFormat.PageTagged)
            {
                // A run started page-tagged (by RunAsync) and continued by workers: the share's customers take the tags
                // their pages were recorded with. Workers start their own runs time-ordered (ADR 0077).
                state.Tags = await RunPageTags.LoadAsync(store, claim.RunId, stop.Token).ConfigureAwait(false);
            }

            var pages = System.Threading.Channels.Channel.CreateBounded<IReadOnlyList<StoredCustomer>>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
            var decided = System.Threading.Channels.Channel.CreateBounded<CustomerOutcome[]>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
            var tasks = new[]
            {
                Task.Run(() => ReadPagesAsync(store, claim.RunId, pages.Writer, stop, claim.ContinueAfter ?? claim.After, claim.UpTo), CancellationToken.None),
                Task.Run(() => DecidePagesAsync(pages.Reader, decided.Writer, state, claim.RunId, stop), CancellationToken.None),
                Task.Run(() => loop.RecordPagesAsync(decided.Reader, stop), CancellationToken.None),
            };
            await WhenAllOrFirstFailure(tasks, stop.Token).ConfigureAwait(false);
            await loop.FinishAsync(null, cancellationToken).ConfigureAwait(false);
            await ReportAsync(null, completed: true, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (lost && !cancellationToken.IsCancellationRequested)
        {
            // Taken over: mark what the sink took (harmless either way) and move on to another share.
            await loop.FinishAsync(null, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await heartbeat.ConfigureAwait(false);
            gate.Dispose();
        }
    }
}
