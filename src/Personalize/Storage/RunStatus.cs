namespace Personalize.Storage;

/// <summary>Where a send run is.</summary>
public enum RunStatus
{
    /// <summary>Started and not finished (running, or interrupted: run it again with the same instant to resume).</summary>
    Running = 0,

    /// <summary>Finished.</summary>
    Completed = 1,
}
