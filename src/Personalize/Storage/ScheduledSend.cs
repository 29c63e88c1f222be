using Personalize.Channels;

namespace Personalize.Storage;

/// <summary>
/// A deferred send: a message a decision chose for later (quiet hours, preferred times, a cap) that is not rendered
/// yet. When due, a due-sends pass re-checks consent, contact point and caps at the due instant, renders it and sends
/// it, or drops it with a recorded reason.
/// </summary>
public sealed record ScheduledSend
{
    private readonly DateTimeOffset _dueAt;
    private readonly DateTimeOffset _decidedAt;
    private readonly DateTimeOffset? _completedAt;

    /// <summary>Gets the idempotency key of the send (made from the trigger, customer, message and the due instant the decision chose); the delivery log entry gets the same key.</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>Gets the customer's id.</summary>
    public required string CustomerId { get; init; }

    /// <summary>Gets the catalog message's id.</summary>
    public required string MessageId { get; init; }

    /// <summary>Gets the channel chosen.</summary>
    public required Channel Channel { get; init; }

    /// <summary>Gets the template reference for the channel.</summary>
    public required string Template { get; init; }

    /// <summary>Gets what caused the send.</summary>
    public required string Trigger { get; init; }

    /// <summary>Gets the purpose.</summary>
    public required ContactPurpose Purpose { get; init; }

    /// <summary>Gets give or ask.</summary>
    public required MessageKind Kind { get; init; }

    /// <summary>Gets when it is due (UTC).</summary>
    public required DateTimeOffset DueAt
    {
        get => _dueAt;
        init => _dueAt = value.ToUniversalTime();
    }

    /// <summary>Gets when the decision was made (UTC): consent withdrawn after it is reported as withdrawn since the decision, and the message's expiry counts from it.</summary>
    public required DateTimeOffset DecidedAt
    {
        get => _decidedAt;
        init => _decidedAt = value.ToUniversalTime();
    }

    /// <summary>Gets the id of the run that scheduled it, or <see langword="null"/>.</summary>
    public string? RunId { get; init; }

    /// <summary>Gets where it is.</summary>
    /// <value>The default value is <see cref="ScheduledSendState.Scheduled"/>.</value>
    public ScheduledSendState State { get; init; }

    /// <summary>Gets why it was dropped (a stable code such as <c>consent.withdrawn_since_decision</c>), or <see langword="null"/>.</summary>
    public string? Reason { get; init; }

    /// <summary>Gets when it was sent or dropped (UTC), or <see langword="null"/> while scheduled.</summary>
    public DateTimeOffset? CompletedAt
    {
        get => _completedAt;
        init => _completedAt = value?.ToUniversalTime();
    }
}
