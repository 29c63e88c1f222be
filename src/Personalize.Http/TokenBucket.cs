using System.Threading.RateLimiting;

namespace Personalize.Http;

/// <summary>
/// A token bucket refilled to <see cref="WebhookRateLimit.Permits"/> every <see cref="WebhookRateLimit.Period"/> by a
/// timer of the injected <see cref="TimeProvider"/> (the runtime's token bucket measures time with the machine clock,
/// which a test cannot drive). Waiters are served in arrival order; a cancelled waiter gives up its place.
/// </summary>
internal sealed class TokenBucket : RateLimiter
{
    private static readonly RateLimitLease Granted = new Lease(true, null);

    private readonly object _lock = new();
    private readonly int _limit;
    private readonly int _queueLimit;
    private readonly TimeSpan _period;
    private readonly Queue<Waiter> _queue = new();
    private readonly ITimer _timer;
    private int _tokens;
    private bool _disposed;

    public TokenBucket(WebhookRateLimit limit, TimeProvider timeProvider)
    {
        _limit = limit.Permits;
        _queueLimit = limit.QueueLimit;
        _period = limit.Period;
        _tokens = limit.Permits;
        _timer = timeProvider.CreateTimer(static state => ((TokenBucket)state!).Refill(), this, limit.Period, limit.Period);
    }

    public override TimeSpan? IdleDuration => null;

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_lock)
        {
            return new RateLimiterStatistics { CurrentAvailablePermits = _tokens, CurrentQueuedCount = _queue.Count };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        lock (_lock)
        {
            if (!_disposed && _queue.Count == 0 && _tokens >= permitCount)
            {
                _tokens -= permitCount;
                return Granted;
            }

            return Denied();
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, _limit);
        lock (_lock)
        {
            if (_disposed)
            {
                return ValueTask.FromResult(Denied());
            }

            if (_queue.Count == 0 && _tokens >= permitCount)
            {
                _tokens -= permitCount;
                return ValueTask.FromResult(Granted);
            }

            if (_queue.Count >= _queueLimit)
            {
                return ValueTask.FromResult(Denied());
            }

            var waiter = new Waiter(permitCount);
            if (cancellationToken.CanBeCanceled)
            {
                waiter.Registration = cancellationToken.Register(static state =>
                {
                    var (w, token) = ((Waiter, CancellationToken))state!;
                    w.Completion.TrySetCanceled(token);
                }, (waiter, cancellationToken));
            }

            _queue.Enqueue(waiter);
            return new ValueTask<RateLimitLease>(waiter.Completion.Task);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Waiter[] waiting;
            lock (_lock)
            {
                _disposed = true;
                waiting = [.. _queue];
                _queue.Clear();
            }

            _timer.Dispose();
            foreach (var waiter in waiting)
            {
                waiter.Registration.Dispose();
                waiter.Completion.TrySetResult(Denied());
            }
        }

        base.Dispose(disposing);
    }

    private RateLimitLease Denied() => new Lease(false, _period);

    private void Refill()
    {
        List<Waiter>? released = null;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _tokens = _limit;
            while (_queue.TryPeek(out var waiter))
            {
                if (waiter.Completion.Task.IsCompleted)
                {
                    _queue.Dequeue();
                    continue;
                }

                if (_tokens < waiter.Permits)
                {
                    break;
                }

                _queue.Dequeue();
                _tokens -= waiter.Permits;
                (released ??= []).Add(waiter);
            }
        }

        if (released is not null)
        {
            foreach (var waiter in released)
            {
                waiter.Registration.Dispose();
                if (!waiter.Completion.TrySetResult(Granted))
                {
                    // Cancelled between the dequeue and now: its permits go back.
                    lock (_lock)
                    {
                        _tokens = Math.Min(_limit, _tokens + waiter.Permits);
                    }
                }
            }
        }
    }

    private sealed class Waiter(int permits)
    {
        public int Permits { get; } = permits;

        public TaskCompletionSource<RateLimitLease> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenRegistration Registration { get; set; }
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (retryAfter is { } after && metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = after;
                return true;
            }

            metadata = null;
            return false;
        }
    }
}
