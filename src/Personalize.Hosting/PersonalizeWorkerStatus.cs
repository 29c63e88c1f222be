namespace Personalize.Hosting;

/// <summary>What the hosted worker did last: read by its health check, and by hosts that show it.</summary>
public sealed class PersonalizeWorkerStatus
{
    private readonly object _gate = new();

    /// <summary>Gets how many passes finished (with or without errors of single customers).</summary>
    public long Passes { get; private set; }

    /// <summary>Gets how many passes in a row failed (the store or the sink failed as a whole); 0 after a pass that finished.</summary>
    public int ConsecutiveFailures { get; private set; }

    /// <summary>Gets when the last pass finished.</summary>
    public DateTimeOffset? LastPassAt { get; private set; }

    /// <summary>Gets the last pass's result, or why it failed.</summary>
    public string? LastResult { get; private set; }

    /// <summary>Gets when the last failed pass ended.</summary>
    public DateTimeOffset? LastFailureAt { get; private set; }

    internal void Succeeded(DateTimeOffset at, string result)
    {
        lock (_gate)
        {
            Passes++;
            ConsecutiveFailures = 0;
            LastPassAt = at;
            LastResult = result;
        }
    }

    internal void Failed(DateTimeOffset at, string why)
    {
        lock (_gate)
        {
            ConsecutiveFailures++;
            LastFailureAt = at;
            LastResult = why;
        }
    }
}
