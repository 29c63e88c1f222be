namespace Personalize.Storage;

/// <summary>One page of a read: the items, and where to continue (<see langword="null"/> after the last page).</summary>
/// <typeparam name="T">The item type.</typeparam>
/// <param name="Items">The items of this page.</param>
/// <param name="ContinueAfter">An opaque token for the next query's <c>ContinueAfter</c>; <see langword="null"/> when there is nothing more.</param>
public sealed record StorePage<T>(IReadOnlyList<T> Items, string? ContinueAfter)
{
    /// <summary>Whether more pages follow.</summary>
    public bool HasMore => ContinueAfter is not null;
}
