namespace Personalize.Storage;

/// <summary>A pending delivery the sink refused for good: its log entry and contact history record are removed (nothing reached the customer, so nothing counts toward caps), and a scheduled send with the same key is dropped with the reason.</summary>
/// <param name="IdempotencyKey">The key.</param>
/// <param name="Reason">Why, for example <c>sink.failed: connection refused</c>.</param>
public sealed record DeliveryFailure(string IdempotencyKey, string Reason);
