namespace Personalize.Delivery.Sinks;

/// <summary>
/// Where outgoing messages go: a file outbox, a provider, memory. Implementations are idempotent by
/// <see cref="OutgoingMessage.IdempotencyKey"/> (writing a key they hold again does nothing) and thread-safe.
/// Use <see cref="SinkWriter"/> to write batches with retries and per-message failure records.
/// </summary>
public interface IMessageSink
{
    /// <summary>Writes one message; does nothing when the sink already holds its idempotency key.</summary>
    /// <param name="message">The message.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the message is durably written.</returns>
    ValueTask WriteAsync(OutgoingMessage message, CancellationToken cancellationToken = default);

    /// <summary>Whether the sink already holds a message with this idempotency key (so a resumed run skips it).</summary>
    /// <param name="idempotencyKey">The key.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns><see langword="true"/> when held.</returns>
    ValueTask<bool> ContainsAsync(string idempotencyKey, CancellationToken cancellationToken = default);
}
