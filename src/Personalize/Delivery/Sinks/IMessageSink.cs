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

    /// <summary>
    /// Whether a send run with a store records this sink's messages as delivered in the write that records them, instead
    /// of recording them pending, handing them over after the commit and marking them delivered with the next write.
    /// </summary>
    /// <value>
    /// The default value is <see langword="false"/>: the guarded hand-over, under which a message a crash caught between
    /// the commit and the hand-over is handed over again by the next run (at least once; an idempotent sink skips the
    /// key it holds). Return <see langword="true"/> only from a sink whose hand-over needs no guard — one that keeps
    /// nothing (the <see cref="NullSink"/>, a counting or metrics-only sink, a dry run's), or one whose host accepts
    /// at most once delivery (fire and forget): such a sink saves, per message, the pending entry and the delivered mark,
    /// and a message recorded but not yet handed over when the process dies is not handed over again. A hand-over that
    /// fails still takes the message out of the delivery log and the contact history, as with any sink. The value is read when a runner is created and must not change; a decorating sink
    /// forwards the value of the sink it wraps.
    /// </value>
    bool RecordAsDelivered => false;
}
