namespace Personalize.Storage;

/// <summary>A page of the delivery log to read, ordered by send instant then key.</summary>
public sealed record DeliveryQuery
{
    /// <summary>Gets only this customer's entries, or <see langword="null"/> for all.</summary>
    public string? CustomerId { get; init; }

    /// <summary>Gets only entries in this state, or <see langword="null"/> for both.</summary>
    public DeliveryState? State { get; init; }

    /// <summary>Gets only entries recorded by this run, or <see langword="null"/> for all.</summary>
    public string? RunId { get; init; }

    /// <summary>Gets how many entries the page holds at most.</summary>
    /// <value>The default value is 500.</value>
    public int Limit { get; init; } = 500;

    /// <summary>Gets the token of the previous page, or <see langword="null"/> for the first.</summary>
    public string? ContinueAfter { get; init; }
}
