using Personalize.Catalog;

namespace Personalize.Decisions;

/// <summary>The answer of <see cref="DecisionEngine.Recheck"/>: whether a deferred send may go at its due instant, later, or not at all, and why.</summary>
public sealed record RecheckResult
{
    /// <summary>Gets whether it may go now, later or not at all.</summary>
    public required RecheckStatus Status { get; init; }

    /// <summary>Gets the stable code: <c>allowed</c>, <c>timing.deferred</c>, or the rule's code that blocks it (for example <c>consent.withdrawn_since_decision</c>, <c>frequency.message_cap</c>, <c>eligibility.condition</c>).</summary>
    public required string Code { get; init; }

    /// <summary>Gets when it may go: the due instant when allowed, the later instant when deferred, <see langword="null"/> when blocked.</summary>
    public DateTimeOffset? SendAt { get; init; }

    /// <summary>Gets the catalog message, or <see langword="null"/> when the catalog no longer has it.</summary>
    public MessageDefinition? Message { get; init; }

    /// <summary>Gets the template of the channel in the catalog, or <see langword="null"/> when the message no longer has the channel.</summary>
    public string? Template { get; init; }

    /// <summary>Whether it may go now.</summary>
    public bool IsAllowed => Status == RecheckStatus.Allowed;
}
