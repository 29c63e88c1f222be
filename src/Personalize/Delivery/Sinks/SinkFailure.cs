namespace Personalize.Delivery.Sinks;

/// <summary>A message the sink could not take after every attempt. The rest of the batch is unaffected.</summary>
/// <param name="Message">The message; write it again later (its idempotency key prevents duplicates).</param>
/// <param name="Attempts">How often it was tried.</param>
/// <param name="Error">The last error.</param>
public sealed record SinkFailure(OutgoingMessage Message, int Attempts, Exception Error);
