namespace Personalize.Storage;

/// <summary>Which run records to read (most recently started first).</summary>
public sealed record RunQuery
{
    /// <summary>Gets only runs of this trigger, or <see langword="null"/> for all.</summary>
    public string? Trigger { get; init; }

    /// <summary>Gets only runs in this status, or <see langword="null"/> for both.</summary>
    public RunStatus? Status { get; init; }

    /// <summary>Gets how many records at most.</summary>
    /// <value>The default value is 20.</value>
    public int Limit { get; init; } = 20;
}
