namespace Personalize.Delivery.Sinks;

/// <summary>What <see cref="SinkWriter.WriteAsync"/> did with a batch.</summary>
public sealed record SinkReport
{
    /// <summary>Messages written now.</summary>
    public required int Written { get; init; }

    /// <summary>Messages skipped because the sink already held their idempotency key (a resumed run, or a repeat in the batch).</summary>
    public required int Skipped { get; init; }

    /// <summary>Retries made (attempts after the first) across the batch.</summary>
    public required int Retries { get; init; }

    /// <summary>Messages that failed every attempt, in batch order.</summary>
    public required IReadOnlyList<SinkFailure> Failures { get; init; }

    /// <summary>Whether every message is now in the sink.</summary>
    public bool Succeeded => Failures.Count == 0;
}
