namespace Personalize.Storage;

/// <summary>
/// What a due-sends pass did with a scheduled send: <see cref="ScheduledSendState.Sent"/> (record its delivery in the
/// same <see cref="CustomerSends"/>), <see cref="ScheduledSendState.Dropped"/> with a reason, or
/// <see cref="ScheduledSendState.Scheduled"/> with a new due instant (deferred again).
/// </summary>
public sealed record ScheduledSendCompletion
{
    /// <summary>Gets the scheduled send's key.</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>Gets the new state.</summary>
    public required ScheduledSendState State { get; init; }

    /// <summary>Gets why it was dropped, or <see langword="null"/>.</summary>
    public string? Reason { get; init; }

    /// <summary>Gets when the pass decided (UTC).</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>Gets the new due instant when deferred again, else <see langword="null"/>.</summary>
    public DateTimeOffset? DueAt { get; init; }
}
