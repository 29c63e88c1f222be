using System.Globalization;
using Personalize.Delivery;

namespace Personalize.Storage;

/// <summary>The record of a send run: its trigger and instant (the idempotency keys depend on both), whether it finished, and its counts.</summary>
public sealed record RunRecord
{
    private readonly DateTimeOffset _at;

    /// <summary>Gets the run's id, made by <see cref="CreateId"/> from trigger and instant.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the trigger, for example <c>schedule</c>.</summary>
    public required string Trigger { get; init; }

    /// <summary>Gets the instant the run decides at (UTC).</summary>
    public required DateTimeOffset At
    {
        get => _at;
        init => _at = value.ToUniversalTime();
    }

    /// <summary>Gets whether it finished.</summary>
    public RunStatus Status { get; init; }

    /// <summary>Gets when it was first started, by the host's clock.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Gets when it was last saved, by the host's clock.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Gets how many customers were decided.</summary>
    public long Processed { get; init; }

    /// <summary>Gets how many messages were handed to the sink.</summary>
    public long Sent { get; init; }

    /// <summary>Gets how many messages were deferred as scheduled sends.</summary>
    public long Scheduled { get; init; }

    /// <summary>Gets how many messages an earlier attempt had already recorded (not sent again).</summary>
    public long AlreadySent { get; init; }

    /// <summary>Gets how many per-customer errors there were.</summary>
    public long Errors { get; init; }

    /// <summary>
    /// Gets the format of the run's idempotency keys. A resumed run makes its keys in this format, so they match what
    /// it recorded before (also across an upgrade); stores keep the format of a run's first saved record.
    /// </summary>
    /// <value>The default value is <see cref="IdempotencyKeyFormat.Hashed"/>: a record that does not say was made before <see cref="IdempotencyKeyFormat.TimeOrdered"/> existed (the send runner always says).</value>
    public IdempotencyKeyFormat KeyFormat { get; init; } = IdempotencyKeyFormat.Hashed;

    /// <summary>The id of the run of a trigger at an instant: <c>TRIGGER@INSTANT</c>, the instant in UTC round-trip form.</summary>
    /// <param name="trigger">The trigger text.</param>
    /// <param name="at">The run instant.</param>
    /// <returns>For example <c>schedule@2026-03-15T09:00:00.0000000Z</c>.</returns>
    public static string CreateId(string trigger, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrEmpty(trigger);
        return trigger + "@" + at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
    }
}
