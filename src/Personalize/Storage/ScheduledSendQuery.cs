namespace Personalize.Storage;

/// <summary>A page of scheduled sends to read, ordered by due instant then key.</summary>
public sealed record ScheduledSendQuery
{
    /// <summary>Gets only sends due at or before this instant, or <see langword="null"/> for all.</summary>
    public DateTimeOffset? DueBy { get; init; }

    /// <summary>Gets only this customer's sends, or <see langword="null"/> for all.</summary>
    public string? CustomerId { get; init; }

    /// <summary>Gets only sends in this state, or <see langword="null"/> for every state.</summary>
    /// <value>The default value is <see cref="ScheduledSendState.Scheduled"/>.</value>
    public ScheduledSendState? State { get; init; } = ScheduledSendState.Scheduled;

    /// <summary>Gets how many sends the page holds at most.</summary>
    /// <value>The default value is 500.</value>
    public int Limit { get; init; } = 500;

    /// <summary>Gets the token of the previous page, or <see langword="null"/> for the first.</summary>
    public string? ContinueAfter { get; init; }
}
