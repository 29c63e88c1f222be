namespace Personalize.Journeys;

/// <summary>
/// One customer's way through one journey, kept in the store (<see cref="Storage.IPersonalizeStore.ReadJourneysAsync"/>,
/// written with <see cref="Storage.CustomerSends.Journeys"/> in the same transaction as the sends its steps cause).
/// </summary>
/// <remarks>
/// An instance keeps the <see cref="Version"/> of the definition it started with and finishes on it. Its key is the
/// customer, the journey and <see cref="InstanceId"/>: <c>1</c> for a journey that does not allow re-entry (so a
/// customer is in it at most once), the entry event's id or instant otherwise.
/// </remarks>
public sealed record JourneyInstance
{
    /// <summary>The most history records an instance keeps (the oldest are dropped first; <see cref="HistoryDropped"/> counts them).</summary>
    public const int MaxHistory = 200;

    /// <summary>Gets the customer's id.</summary>
    public required string CustomerId { get; init; }

    /// <summary>Gets the journey's id.</summary>
    public required string JourneyId { get; init; }

    /// <summary>Gets the instance's id within the customer and journey (<c>1</c> when the journey allows no re-entry).</summary>
    public required string InstanceId { get; init; }

    /// <summary>Gets the version of the journey definition the customer started with.</summary>
    public required int Version { get; init; }

    /// <summary>Gets how many times the instance was written: 1 when it is created (the store then adds it only when it holds none with its key).</summary>
    /// <value>The default value is 1.</value>
    public int Revision { get; init; } = 1;

    /// <summary>Gets where the instance is.</summary>
    public JourneyStatus Status { get; init; }

    /// <summary>Gets the step to run next, or <see langword="null"/> once the instance ended.</summary>
    public string? StepId { get; init; }

    /// <summary>Gets when the current step started: a wait counts from it, and only events that happened at or after it answer a wait for an event.</summary>
    public DateTimeOffset StepSince { get; init; }

    /// <summary>Gets how many times the current step was tried (a suppressed send retried).</summary>
    public int Attempt { get; init; }

    /// <summary>Gets when the instance is due next, or <see langword="null"/> once it ended.</summary>
    public DateTimeOffset? WakeAt { get; init; }

    /// <summary>Gets the event type the current step waits for, or <see langword="null"/>.</summary>
    public string? WaitingFor { get; init; }

    /// <summary>Gets when the customer entered.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Gets when the instance last changed.</summary>
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Gets the id of the event that made the customer enter, or <see langword="null"/>.</summary>
    public string? EntryEventId { get; init; }

    /// <summary>Gets why the instance exited (an exit's name, or a code), or <see langword="null"/>.</summary>
    public string? ExitReason { get; init; }

    /// <summary>Gets what happened at each step, oldest first (at most <see cref="MaxHistory"/>).</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<JourneyStepRecord> History { get; init; } = [];

    /// <summary>Gets how many of the oldest history records were dropped to keep <see cref="MaxHistory"/>.</summary>
    public int HistoryDropped { get; init; }

    /// <summary>
    /// Gets how many of the kept history records the store holds but left out of <see cref="History"/> (a read that
    /// takes the state alone, <see cref="JourneyQuery.WithoutHistory"/>): <see cref="History"/>'s first record is then
    /// number <see cref="HistoryDropped"/> + this of the instance's records, and a write adds the records after them.
    /// </summary>
    internal int HistoryOmitted { get; init; }

    /// <summary>Gets how many history records the instance ever had (dropped, left out of the read, and in <see cref="History"/>): the number the next record gets.</summary>
    internal int HistoryCount => HistoryDropped + HistoryOmitted + History.Count;

    /// <summary>Gets whether the instance ended (completed or exited).</summary>
    public bool HasEnded => Status != JourneyStatus.Active;

    /// <summary>Gets the instance's key in the store: customer, journey and instance id.</summary>
    public string Key => CustomerId + "\u001f" + JourneyId + "\u001f" + InstanceId;

    /// <summary>The instance with one more history record (the oldest dropped beyond <see cref="MaxHistory"/>).</summary>
    /// <param name="record">The record.</param>
    /// <returns>The instance.</returns>
    public JourneyInstance Record(JourneyStepRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var kept = HistoryOmitted + History.Count;
        if (kept < MaxHistory)
        {
            return this with { History = [.. History, record] };
        }

        // The oldest go first: those left out of the read, then those in it.
        var drop = kept - MaxHistory + 1;
        var omitted = Math.Min(drop, HistoryOmitted);
        return this with
        {
            History = [.. History.Skip(drop - omitted), record],
            HistoryOmitted = HistoryOmitted - omitted,
            HistoryDropped = HistoryDropped + drop,
        };
    }
}
