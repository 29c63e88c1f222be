namespace Personalize.Events;

/// <summary>
/// A recorded change of a customer's lifecycle stage or relationship tier: from what, to what, when, and which fact
/// (and event) caused it. Each change is also a trigger (<c>stage:adoption</c>, <c>tier:best_friends</c>).
/// </summary>
public sealed record CustomerChange
{
    private readonly DateTimeOffset _at;

    /// <summary>Gets the customer's id.</summary>
    public required string CustomerId { get; init; }

    /// <summary>Gets what changed: <see cref="ChangeKinds.Stage"/> or <see cref="ChangeKinds.Tier"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>Gets the value before (a stage or tier name), or <see langword="null"/> when there was none.</summary>
    public string? From { get; init; }

    /// <summary>Gets the value after.</summary>
    public required string To { get; init; }

    /// <summary>Gets when it changed (UTC): the instant of the event or tick that caused it.</summary>
    public required DateTimeOffset At
    {
        get => _at;
        init => _at = value.ToUniversalTime();
    }

    /// <summary>Gets the fact that caused it (for example <c>order_count</c>, or <c>tenure</c>).</summary>
    public required string Cause { get; init; }

    /// <summary>Gets the id of the event that caused it, or <see langword="null"/> when a tick did (tenure, matrix).</summary>
    public string? EventId { get; init; }
}

/// <summary>The kinds of <see cref="CustomerChange"/>.</summary>
public static class ChangeKinds
{
    /// <summary>A lifecycle stage change.</summary>
    public const string Stage = "stage";

    /// <summary>A relationship matrix tier change.</summary>
    public const string Tier = "tier";
}
