namespace Personalize.Storage;

/// <summary>
/// What a worker did in its share since its last report (<see cref="IPersonalizeStore.ReportWorkAsync"/>): where it
/// got to, whether the share is completed, and the counts to add to the run's totals.
/// </summary>
public sealed record WorkReport
{
    /// <summary>Gets the last customer id done (the share continues after it), or <see langword="null"/> to keep the previous one.</summary>
    public string? ContinueAfter { get; init; }

    /// <summary>Gets whether the share is completed (every customer in it decided and recorded).</summary>
    public bool Completed { get; init; }

    /// <summary>Gets how many customers were decided since the last report.</summary>
    public long Processed { get; init; }

    /// <summary>Gets how many messages were handed to the sink since the last report.</summary>
    public long Sent { get; init; }

    /// <summary>Gets how many messages were deferred as scheduled sends since the last report.</summary>
    public long Scheduled { get; init; }

    /// <summary>Gets how many messages were found already recorded since the last report.</summary>
    public long AlreadySent { get; init; }

    /// <summary>Gets how many per-customer errors there were since the last report.</summary>
    public long Errors { get; init; }
}
