namespace Personalize.Sending;

/// <summary>The result of a send run.</summary>
public sealed record SendRunSummary
{
    /// <summary>Gets the final counters.</summary>
    public required SendProgress Totals { get; init; }

    /// <summary>Gets the recorded errors (at most <see cref="SendingOptions.MaxRecordedErrors"/>; <see cref="SendProgress.Errors"/> counts all).</summary>
    public required IReadOnlyList<SendError> Errors { get; init; }

    /// <summary>Gets the instant the run decided at (pass it again to resume).</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>Gets whether the run wrote nothing.</summary>
    public required bool DryRun { get; init; }

    /// <summary>Gets the id of the run in the store (see <see cref="Storage.RunRecord.CreateId"/>), or <see langword="null"/> for a run without a store.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? RunId { get; init; }

    /// <summary>Gets whether the store already held this run as completed, so nothing was decided or sent again.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool AlreadyCompleted { get; init; }

    /// <summary>Gets what the due pass's journeys did (<see cref="DueRun.Journeys"/>), or <see langword="null"/> without journeys.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public JourneySummary? Journeys { get; init; }

    /// <summary>Gets the messages written (sent now plus deferred); in a dry run, the messages that would have been.</summary>
    public long Messages => Totals.TotalSent + Totals.Deferred;
}
