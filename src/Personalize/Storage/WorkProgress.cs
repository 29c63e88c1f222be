namespace Personalize.Storage;

/// <summary>Where a run split into shares is (<see cref="IPersonalizeStore.ReadWorkAsync"/>): its shares and the totals its workers reported.</summary>
public sealed record WorkProgress
{
    /// <summary>Gets the run's id.</summary>
    public required string RunId { get; init; }

    /// <summary>Gets how many shares the run was split into (0 when no worker claimed any yet).</summary>
    public int Shares { get; init; }

    /// <summary>Gets how many shares are completed.</summary>
    public int Completed { get; init; }

    /// <summary>Gets how many times a share was taken over from a worker that stopped before finishing it.</summary>
    public long Takeovers { get; init; }

    /// <summary>Gets how many customers were decided (reported by the workers).</summary>
    public long Processed { get; init; }

    /// <summary>Gets how many messages were handed to sinks.</summary>
    public long Sent { get; init; }

    /// <summary>Gets how many messages were deferred as scheduled sends.</summary>
    public long Scheduled { get; init; }

    /// <summary>Gets how many messages were found already recorded.</summary>
    public long AlreadySent { get; init; }

    /// <summary>Gets how many per-customer errors there were.</summary>
    public long Errors { get; init; }

    /// <summary>Whether the run was split and every share is completed.</summary>
    public bool IsFinished => Shares > 0 && Completed == Shares;
}
