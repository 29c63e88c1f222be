namespace Personalize.Journeys;

/// <summary>The codes a journey run records (exit reasons, suppression and error codes) besides the decision rules' own.</summary>
public static class JourneyCodesRuntime
{
    /// <summary>A second active instance of one journey (a re-entry while the customer is in it) ends at once.</summary>
    public const string AlreadyIn = "journey.already_in";

    /// <summary>The definition version an instance started on is not in the journey set (the instance waits; an error is reported).</summary>
    public const string VersionMissing = "journey.version_missing";

    /// <summary>The instance's step is not in its definition (it exits).</summary>
    public const string UnknownStep = "journey.unknown_step";

    /// <summary>More than twice the step limit ran in one advance without a wait: a branch loop (the instance exits).</summary>
    public const string Loop = "journey.loop";

    /// <summary>A branch or exit condition failed to evaluate.</summary>
    public const string ConditionError = "journey.condition_error";

    /// <summary>A send step's message has no channel to try.</summary>
    public const string NoChannel = "journey.no_channel";
}
