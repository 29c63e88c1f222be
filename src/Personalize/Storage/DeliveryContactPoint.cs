using Personalize.Channels;

namespace Personalize.Storage;

/// <summary>
/// A contact point one delivery of a <see cref="CustomerSends"/> goes to, given so the store can check it against its
/// suppression list in the same transaction that records the delivery. Only its salted hash is looked up; the address
/// is never stored with the delivery.
/// </summary>
/// <param name="IdempotencyKey">The key of the delivery it belongs to.</param>
/// <param name="Kind">Email, phone (or mobile phone) or device token; other kinds are not on the list and never refuse a delivery.</param>
/// <param name="Value">The address, number or token.</param>
public sealed record DeliveryContactPoint(string IdempotencyKey, ContactPointKind Kind, string Value);
