namespace Personalize.Decisions;

/// <summary>Where a candidate message ended up.</summary>
public enum CandidateStatus
{
    /// <summary>A rule stopped it (see <see cref="CandidateOutcome.Code"/>).</summary>
    Suppressed = 0,

    /// <summary>It survived every rule but lost arbitration (or the one-ask limit).</summary>
    Lost = 1,

    /// <summary>It won and goes out.</summary>
    Selected = 2,
}
