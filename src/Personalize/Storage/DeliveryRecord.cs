using Personalize.Channels;
using Personalize.Customers;

namespace Personalize.Storage;

/// <summary>
/// One entry of the delivery log: a message handed (or about to be handed) to a sink, unique by its idempotency key,
/// with what the contact history needs. Holds no address and no content.
/// </summary>
public sealed record DeliveryRecord
{
    private readonly DateTimeOffset _sentAt;

    /// <summary>Gets the idempotency key (unique in the log).</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>Gets the customer's id; <see langword="null"/> once the customer was erased.</summary>
    public required string? CustomerId { get; init; }

    /// <summary>Gets the catalog message's id.</summary>
    public required string MessageId { get; init; }

    /// <summary>Gets the channel.</summary>
    public required Channel Channel { get; init; }

    /// <summary>Gets the purpose.</summary>
    public required ContactPurpose Purpose { get; init; }

    /// <summary>Gets give or ask.</summary>
    public required MessageKind Kind { get; init; }

    /// <summary>Gets the send instant (UTC): when the message goes to the customer.</summary>
    public required DateTimeOffset SentAt
    {
        get => _sentAt;
        init => _sentAt = value.ToUniversalTime();
    }

    /// <summary>Gets what caused the send, for example <c>campaign:spring_sale</c>.</summary>
    public required string Trigger { get; init; }

    /// <summary>Gets the template reference it was rendered from, so an interrupted hand-off can render it again.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Template { get; init; }

    /// <summary>Gets the id of the run that recorded it, or <see langword="null"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? RunId { get; init; }

    /// <summary>Gets whether the sink took it.</summary>
    /// <value>The default value is <see cref="DeliveryState.Pending"/>.</value>
    public DeliveryState State { get; init; }

    /// <summary>The contact history record this entry stands for.</summary>
    /// <returns>The record.</returns>
    public ContactRecord ToContactRecord() => new()
    {
        MessageId = MessageId,
        Channel = Channel,
        Purpose = Purpose,
        Kind = Kind,
        SentAt = SentAt,
    };
}
