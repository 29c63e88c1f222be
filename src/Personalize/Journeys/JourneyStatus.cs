namespace Personalize.Journeys;

/// <summary>Where a customer's journey instance is.</summary>
public enum JourneyStatus
{
    /// <summary>In the journey: it runs its next step when due (or when an event it waits for comes in).</summary>
    Active = 0,

    /// <summary>Finished: it ran past its last step or reached a step that ends it.</summary>
    Completed = 1,

    /// <summary>Left early: an exit condition held, a suppressed step's policy was to exit, or the journey could not go on.</summary>
    Exited = 2,
}
