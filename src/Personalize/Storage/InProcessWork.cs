namespace Personalize.Storage;

/// <summary>
/// Work claims kept in the process, for stores that do not split runs (in memory, SQLite): one share per run covering
/// every customer, held by one worker of the process at a time under a lease measured by a <see cref="TimeProvider"/>.
/// </summary>
internal sealed class InProcessWork(TimeProvider timeProvider)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Share> _runs = new(StringComparer.Ordinal);

    public WorkClaimResult Claim(WorkRequest request)
    {
        ThrowIfInvalid(request);
        var now = timeProvider.GetUtcNow();
        lock (_gate)
        {
            if (!_runs.TryGetValue(request.RunId, out var share))
            {
                share = new Share();
                _runs.Add(request.RunId, share);
            }

            if (share.Completed)
            {
                return new WorkClaimResult(null, 0, null);
            }

            if (share.Holder is not null && share.LeaseUntil > now)
            {
                return new WorkClaimResult(null, 1, share.LeaseUntil - now);
            }

            share.Generation++;
            share.Holder = request.Worker;
            share.Lease = request.Lease;
            share.LeaseUntil = now + request.Lease;
            return new WorkClaimResult(share.ToClaim(request.RunId), 1, null);
        }
    }

    public WorkClaim? Report(WorkClaim claim, WorkReport report)
    {
        ThrowIfInvalid(claim, report);
        var now = timeProvider.GetUtcNow();
        lock (_gate)
        {
            if (!_runs.TryGetValue(claim.RunId, out var share) || claim.Share != 0 || share.Generation != claim.Generation || share.Completed)
            {
                return null;
            }

            share.ContinueAfter = report.ContinueAfter ?? share.ContinueAfter;
            share.Completed = report.Completed;
            share.Processed += report.Processed;
            share.Sent += report.Sent;
            share.Scheduled += report.Scheduled;
            share.AlreadySent += report.AlreadySent;
            share.Errors += report.Errors;
            share.LeaseUntil = now + share.Lease;
            return share.ToClaim(claim.RunId);
        }
    }

    public WorkProgress Read(string runId)
    {
        ArgumentNullException.ThrowIfNull(runId);
        lock (_gate)
        {
            if (!_runs.TryGetValue(runId, out var share))
            {
                return new WorkProgress { RunId = runId };
            }

            return new WorkProgress
            {
                RunId = runId,
                Shares = 1,
                Completed = share.Completed ? 1 : 0,
                Takeovers = Math.Max(0, share.Generation - 1),
                Processed = share.Processed,
                Sent = share.Sent,
                Scheduled = share.Scheduled,
                AlreadySent = share.AlreadySent,
                Errors = share.Errors,
            };
        }
    }

    /// <summary>Checks a claim request (every store calls it).</summary>
    public static void ThrowIfInvalid(WorkRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(request.RunId) || string.IsNullOrEmpty(request.Worker))
        {
            throw new ArgumentException("A work request needs a run id and a worker name.", nameof(request));
        }

        if (request.Lease <= TimeSpan.Zero || request.Lease > TimeSpan.FromDays(1))
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.Lease, "The lease must be more than zero and at most a day; the default is 30 seconds.");
        }

        if (request.ShareSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.ShareSize, "The share size must be at least 1 customer.");
        }
    }

    /// <summary>Checks a progress report (every store calls it).</summary>
    public static void ThrowIfInvalid(WorkClaim claim, WorkReport report)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(report);
        if (string.IsNullOrEmpty(claim.RunId) || string.IsNullOrEmpty(claim.Worker))
        {
            throw new ArgumentException("The claim has no run id or no worker; pass a claim returned by ClaimWorkAsync.", nameof(claim));
        }

        if (report.Processed < 0 || report.Sent < 0 || report.Scheduled < 0 || report.AlreadySent < 0 || report.Errors < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(report), "A work report's counts are what happened since the last report and cannot be negative.");
        }

        if (report.ContinueAfter is { } after && !claim.Contains(after))
        {
            throw new ArgumentException($"Customer '{after}' is not in share {claim.Share} of run '{claim.RunId}'.", nameof(report));
        }
    }

    private sealed class Share
    {
        public long Generation { get; set; }

        public string? Holder { get; set; }

        public TimeSpan Lease { get; set; }

        public DateTimeOffset LeaseUntil { get; set; }

        public string? ContinueAfter { get; set; }

        public bool Completed { get; set; }

        public long Processed { get; set; }

        public long Sent { get; set; }

        public long Scheduled { get; set; }

        public long AlreadySent { get; set; }

        public long Errors { get; set; }

        public WorkClaim ToClaim(string runId) => new()
        {
            RunId = runId,
            Share = 0,
            Worker = Holder!,
            Generation = Generation,
            ContinueAfter = ContinueAfter,
            LeaseUntil = LeaseUntil,
        };
    }
}
