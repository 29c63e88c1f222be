namespace Personalize.Storage;

/// <summary>A page of recorded stage and tier changes to read, ordered by instant, then customer.</summary>
public sealed record ChangeQuery
{
    /// <summary>Gets only this customer's changes, or <see langword="null"/> for all.</summary>
    public string? CustomerId { get; init; }

    /// <summary>Gets only changes of this kind (<c>stage</c> or <c>tier</c>), or <see langword="null"/> for both.</summary>
    public string? Kind { get; init; }

    /// <summary>Gets only changes at or after this instant, or <see langword="null"/> for all.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Gets how many changes the page holds at most.</summary>
    /// <value>The default value is 500.</value>
    public int Limit { get; init; } = 500;

    /// <summary>Gets the token of the previous page, or <see langword="null"/> for the first.</summary>
    public string? ContinueAfter { get; init; }
}
