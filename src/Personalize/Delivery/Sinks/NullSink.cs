namespace Personalize.Delivery.Sinks;

/// <summary>A sink that discards every message (for benchmarks and dry runs); it holds nothing.</summary>
public sealed class NullSink : IMessageSink
{
    private NullSink()
    {
    }

    /// <summary>The instance.</summary>
    public static NullSink Instance { get; } = new();

    /// <inheritdoc />
    public ValueTask WriteAsync(OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return ValueTask.CompletedTask;
    }

    /// <summary>Gets <see langword="true"/>: the null sink keeps nothing, so a send run records its messages delivered at once (no pending entry, no mark).</summary>
    public bool RecordAsDelivered => true;

    /// <summary>Gets <see langword="true"/>: the null sink keeps nothing of a message, so a send run reuses the arrays of the email bodies it renders for it.</summary>
    public bool ReleasesMessageAfterWrite => true;

    /// <inheritdoc />
    public ValueTask<bool> ContainsAsync(string idempotencyKey, CancellationToken cancellationToken = default) => new(false);
}
