using Personalize.Sending;

namespace Personalize.Events;

/// <summary>What an ingestion did.</summary>
public sealed record EventIngestionSummary
{
    /// <summary>Gets how many events were read.</summary>
    public long Received { get; init; }

    /// <summary>Gets how many were applied (stored, facts updated).</summary>
    public long Applied { get; init; }

    /// <summary>Gets how many were left out because the store (or the same stream) already held their id.</summary>
    public long Duplicates { get; init; }

    /// <summary>Gets the events that were rejected, with their position and reason (up to <see cref="SendingOptions.MaxRecordedErrors"/> are kept; <see cref="RejectedCount"/> counts all).</summary>
    public IReadOnlyList<EventRejection> Rejected { get; init; } = [];

    /// <summary>Gets how many events were rejected.</summary>
    public long RejectedCount { get; init; }

    /// <summary>Gets how many facts changed, summed over the applied events.</summary>
    public long FactsChanged { get; init; }

    /// <summary>Gets the stage changes recorded.</summary>
    public long StageChanges { get; init; }

    /// <summary>Gets how many triggers were decided (<c>event:TYPE</c> and <c>stage:NAME</c>); 0 when ingesting without a catalog.</summary>
    public long Triggered { get; init; }

    /// <summary>Gets how many applied events were too old to trigger messages (<see cref="EventOptions.MaxTriggerAge"/>).</summary>
    public long TooOldToTrigger { get; init; }

    /// <summary>Gets the sends of the triggered decisions (sent per channel, deferred, suppressed per reason), or <see langword="null"/> without a catalog.</summary>
    public SendProgress? Sends { get; init; }

    /// <summary>Gets the send errors (templates, sink), or empty.</summary>
    public IReadOnlyList<SendError> SendErrors { get; init; } = [];

    /// <summary>Gets what the journeys did (entries, exits, steps of the customers whose events were applied), or <see langword="null"/> without journeys (<see cref="EventRun.Journeys"/>).</summary>
    public JourneySummary? Journeys { get; init; }

    /// <summary>Gets the ingestion instant.</summary>
    public DateTimeOffset At { get; init; }
}
