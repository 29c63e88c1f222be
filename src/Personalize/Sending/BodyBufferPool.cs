namespace Personalize.Sending;

/// <summary>
/// A send run's pool of arrays for rendered email bodies, used only when the run's sink declares
/// <see cref="Delivery.Sinks.IMessageSink.ReleasesMessageAfterWrite"/>: a body is rendered into an array taken here and the
/// array comes back when the sink's <c>WriteAsync</c> has completed, so a run renders its bodies into as many arrays as
/// it has messages in flight instead of two new ones per email (arrays that, in a run over the store, live through
/// several collections while their page waits to be recorded). Arrays come in power-of-two sizes from
/// <see cref="MinSize"/> to <see cref="MaxSize"/> (a longer body gets an array of its own, never pooled); each size keeps
/// at most the capacity it was created with. Thread-safe: renders take arrays on the deciding threads, the recorder
/// gives them back. The pool belongs to one run and is dropped with it.
/// </summary>
/// <remarks>
/// The shared <see cref="System.Buffers.ArrayPool{T}"/> keeps a few dozen arrays per size per core, far fewer than the
/// thousands of messages a run holds between its read and its recording, so it would allocate nearly as often.
/// </remarks>
internal sealed class BodyBufferPool
{
    /// <summary>The smallest array size (bytes).</summary>
    internal const int MinSize = 256;

    /// <summary>The largest array size pooled (bytes); a longer body gets an exact array that is not pooled.</summary>
    internal const int MaxSize = 64 * 1024;

    private const int MinShift = 8;
    private readonly Bucket[] _buckets;

    /// <summary>Creates the pool.</summary>
    /// <param name="capacity">How many arrays each size keeps at most (the run's messages in flight, or more).</param>
    public BodyBufferPool(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _buckets = new Bucket[BucketOf(MaxSize) + 1];
        for (var i = 0; i < _buckets.Length; i++)
        {
            _buckets[i] = new Bucket(MinSize << i, capacity);
        }
    }

    /// <summary>An array of at least <paramref name="length"/> bytes: a pooled one, a new one of the pool's size, or an exact one past <see cref="MaxSize"/>.</summary>
    /// <param name="length">The bytes needed.</param>
    /// <returns>The array (its content is whatever the last user left).</returns>
    public byte[] Rent(int length)
    {
        if (length > MaxSize)
        {
            return new byte[length];
        }

        return _buckets[BucketOf(length)].Take();
    }

    /// <summary>Gives an array back for a later <see cref="Rent"/>: one of the pool's sizes is kept while its size has room; any other is left to the collector.</summary>
    /// <param name="array">An array from <see cref="Rent"/> whose user is done with it.</param>
    public void Return(byte[] array)
    {
        if (array.Length is < MinSize or > MaxSize || !int.IsPow2(array.Length))
        {
            return;
        }

        _buckets[BucketOf(array.Length)].Give(array);
    }

    /// <summary>How many arrays the pool holds now (for tests).</summary>
    internal int Count
    {
        get
        {
            var count = 0;
            foreach (var bucket in _buckets)
            {
                count += bucket.Count;
            }

            return count;
        }
    }

    private static int BucketOf(int length)
        => length <= MinSize ? 0 : (32 - int.LeadingZeroCount(length - 1)) - MinShift;

    /// <summary>The arrays of one size: a stack under a lock (a take or give is a few instructions; the lock is rarely contended).</summary>
    private sealed class Bucket(int size, int capacity)
    {
        private readonly object _gate = new();
        private byte[]?[] _stack = [];
        private int _count;

        public int Count
        {
            get
            {
                lock (_gate)
                {
                    return _count;
                }
            }
        }

        public byte[] Take()
        {
            lock (_gate)
            {
                if (_count > 0)
                {
                    var array = _stack[--_count]!;
                    _stack[_count] = null;
                    return array;
                }
            }

            return new byte[size];
        }

        public void Give(byte[] array)
        {
            lock (_gate)
            {
                if (_count >= capacity)
                {
                    return;
                }

                if (_count == _stack.Length)
                {
                    // Grows as the run's window fills, up to the capacity (most sizes see few arrays).
                    Array.Resize(ref _stack, Math.Min(capacity, Math.Max(_stack.Length * 2, 64)));
                }

                _stack[_count++] = array;
            }
        }
    }
}
