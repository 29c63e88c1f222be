namespace Personalize.Storage;

/// <summary>A page of stored events to read, ordered by the instant they happened, then id.</summary>
public sealed record EventQuery
{
    /// <summary>Gets only this customer's events, or <see langword="null"/> for all.</summary>
    public string? CustomerId { get; init; }

    /// <summary>Gets only the events with these ids, or <see langword="null"/> for all.</summary>
    public IReadOnlyCollection<string>? Ids { get; init; }

    /// <summary>Gets how many events the page holds at most.</summary>
    /// <value>The default value is 500.</value>
    public int Limit { get; init; } = 500;

    /// <summary>Gets the token of the previous page, or <see langword="null"/> for the first.</summary>
    public string? ContinueAfter { get; init; }
}
