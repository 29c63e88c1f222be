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

    /// <summary>
    /// Whether the sink is done with a message once the task its <see cref="WriteAsync"/> returned has completed: it keeps
    /// no reference to the message, its content or its bodies afterwards (it wrote them out, or copied what it keeps), so
    /// a send run may render later messages' email bodies into the same memory.
    /// </summary>
    /// <value>
    /// The default value is <see langword="false"/>: every message a run hands over owns its bodies, and the sink may keep
    /// it, queue it or read it later for as long as it likes. Return <see langword="true"/> from a sink that writes or
    /// copies what it needs before its write completes (the <see cref="NullSink"/>, a counting sink, a sink that serializes
    /// the message or sends it within the call): a send run over a store then renders email bodies into arrays it reuses
    /// once the write completed, instead of new arrays per message. Reading an email's bodies
    /// (<see cref="Channels.Email.EmailContent.HtmlBody"/>, <see cref="Channels.Email.EmailContent.TextBody"/>, or writing
    /// the message as MIME or JSON) after the write completed then throws <see cref="InvalidOperationException"/> rather
    /// than show another message's bytes; text read during the write (and kept as a string) stays readable. The value is
    /// read when a runner is created and must not change; a decorating sink forwards the value of the sink it wraps only
    /// when it, too, keeps nothing after the inner write completes.
    /// </value>
    bool ReleasesMessageAfterWrite => false;
}
