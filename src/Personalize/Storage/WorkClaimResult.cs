namespace Personalize.Storage;

/// <summary>The answer to <see cref="IPersonalizeStore.ClaimWorkAsync"/>: a share, or why there is none now.</summary>
/// <param name="Claim">The share claimed, or <see langword="null"/> when no share is free now.</param>
/// <param name="Remaining">How many of the run's shares are not completed yet (the claimed one included). 0: the run's customers are all done.</param>
/// <param name="RetryAfter">
/// When <paramref name="Claim"/> is <see langword="null"/> and shares remain (held by other workers): how long until
/// the first of their leases runs out, when a share may be free again. <see langword="null"/> otherwise.
/// </param>
public sealed record WorkClaimResult(WorkClaim? Claim, int Remaining, TimeSpan? RetryAfter)
{
    /// <summary>Whether every share of the run is completed.</summary>
    public bool IsFinished => Claim is null && Remaining == 0;
}
