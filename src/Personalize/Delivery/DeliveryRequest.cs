using Personalize.Customers;

namespace Personalize.Delivery;

/// <summary>Who a message goes to, which message, why and when: the input of every <see cref="MessageComposer"/> method.</summary>
/// <param name="Customer">The customer.</param>
/// <param name="MessageId">The catalog message's id.</param>
/// <param name="Trigger">What caused the send: an event id, a campaign run or a journey step.</param>
/// <param name="Purpose">The purpose; marketing and relationship messages carry unsubscribe headers and opt-out text.</param>
/// <param name="SendAt">The planned send instant; it goes into the idempotency key and the email Date header.</param>
public sealed record DeliveryRequest(CustomerProfile Customer, string MessageId, string Trigger, ContactPurpose Purpose, DateTimeOffset SendAt)
{
    /// <summary>Gets the event an event-triggered message answers (templates see it as <c>event.*</c>), or <see langword="null"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public Events.CustomerEvent? Event { get; init; }

    /// <summary>Gets the format of the message's idempotency key (a resumed run keeps the format it started with).</summary>
    /// <value>The default value is <see cref="IdempotencyKey.DefaultFormat"/>.</value>
    public IdempotencyKeyFormat KeyFormat { get; init; } = IdempotencyKey.DefaultFormat;

    /// <summary>
    /// Gets the page tag of a <see cref="IdempotencyKeyFormat.PageTagged"/> key: the tag of the run's page the customer
    /// belongs to (a resumed run takes it from the page it recorded, so it makes the same key). Required by that format.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? KeyTag { get; init; }
}
