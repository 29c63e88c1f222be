using Personalize.Customers;
using Personalize.Events;

namespace Personalize.Storage;

/// <summary>What one decision (or one due-sends check) writes for one customer, all or nothing.</summary>
public sealed record CustomerSends
{
    /// <summary>Gets the customer's id.</summary>
    public required string CustomerId { get; init; }

    /// <summary>
    /// Gets the customer's version the decision read; when another write came in between, nothing of this entry is
    /// written and the result is <see cref="WriteStatus.Conflict"/>. <see langword="null"/> writes without the check.
    /// </summary>
    public long? ExpectedVersion { get; init; }

    /// <summary>Gets the messages to record in the delivery log (as <see cref="DeliveryState.Pending"/>), each with its contact history record.</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<DeliveryRecord> Deliveries { get; init; } = [];

    /// <summary>Gets the deferred messages to hold as scheduled sends.</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<ScheduledSend> Scheduled { get; init; } = [];

    /// <summary>Gets what became of scheduled sends of this customer.</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<ScheduledSendCompletion> Completions { get; init; } = [];

    /// <summary>
    /// Gets the customer's profile fields to write with the sends (a lifecycle stage or service flags that events
    /// changed), as <see cref="IPersonalizeStore.SaveProfileAsync"/> would write them, or <see langword="null"/> to keep them.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public CustomerProfile? Profile { get; init; }

    /// <summary>Gets the customer's facts to write (they replace the stored ones), or <see langword="null"/> to keep them.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public CustomerFacts? Facts { get; init; }

    /// <summary>
    /// Gets the events to store as applied. Their ids are unique in the store: when one is already held, nothing of this
    /// entry is written and the result is <see cref="WriteStatus.Conflict"/> (read again and leave that event out).
    /// </summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<CustomerEvent> Events { get; init; } = [];

    /// <summary>Gets the stage and tier changes to record.</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<CustomerChange> Changes { get; init; } = [];
}
