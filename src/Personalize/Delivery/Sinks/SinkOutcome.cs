namespace Personalize.Delivery.Sinks;

/// <summary>What <see cref="SinkWriter"/> did with one message: skipped (already held), the retries made, and the failure after the last attempt, if any.</summary>
internal readonly record struct SinkOutcome(bool Skipped, int Retries, SinkFailure? Failure);
