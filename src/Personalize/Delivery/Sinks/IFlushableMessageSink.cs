namespace Personalize.Delivery.Sinks;

/// <summary>
/// A sink that buffers its writes on the way to durable storage (a file outbox flushes to disk in groups). A send
/// run with a store calls <see cref="FlushAsync"/> before it records messages as delivered, so a delivery log entry
/// marked delivered never stands for a message a power failure could still take back.
/// </summary>
public interface IFlushableMessageSink : IMessageSink
{
    /// <summary>Makes every message written so far durable (for a file outbox: the files and their directory entries flushed to disk).</summary>
    /// <param name="cancellationToken">Cancels the wait for the sink.</param>
    /// <returns>A task that completes when everything written is durable.</returns>
    ValueTask FlushAsync(CancellationToken cancellationToken = default);
}
