using System.Collections.Concurrent;
using Personalize.Storage;

namespace Personalize.Storage.Contract;

/// <summary>
/// A store whose first write with customers is slow (a commit waiting on a slow disk) and that counts the customers of
/// each write: what a recorder that groups the pages waiting for it can be tested with.
/// </summary>
public sealed class SlowFirstWriteStore(IPersonalizeStore inner, TimeSpan delay) : DelegatingStore(inner)
{
    private int _slowed;

    /// <summary>Gets the number of customers of each write, in order.</summary>
    public ConcurrentQueue<int> CustomersPerWrite { get; } = new();

    /// <inheritdoc />
    public override async ValueTask<SendBatchResult> RecordAsync(SendBatch batch, CancellationToken cancellationToken = default)
    {
        CustomersPerWrite.Enqueue(batch.Customers.Count);
        if (batch.Customers.Count > 0 && Interlocked.Exchange(ref _slowed, 1) == 0)
        {
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }

        return await Inner.RecordAsync(batch, cancellationToken).ConfigureAwait(false);
    }
}
