namespace Personalize.Storage;

/// <summary>A page of customers to read, in the store's id order.</summary>
public sealed record CustomerQuery
{
    /// <summary>The default page size.</summary>
    public const int DefaultLimit = 500;

    /// <summary>Gets how many customers the page holds at most.</summary>
    /// <value>The default value is <see cref="DefaultLimit"/> (500).</value>
    public int Limit { get; init; } = DefaultLimit;

    /// <summary>Gets the token of the previous page (<see cref="StorePage{T}.ContinueAfter"/>), or <see langword="null"/> for the first page.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? ContinueAfter { get; init; }
}
