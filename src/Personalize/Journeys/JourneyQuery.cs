namespace Personalize.Journeys;

/// <summary>A page of journey instances to read, ordered by customer, journey and instance id.</summary>
public sealed record JourneyQuery
{
    /// <summary>The most customer ids one query names (<see cref="CustomerIds"/>).</summary>
    public const int MaxCustomerIds = 10_000;

    /// <summary>Gets only this customer's instances, or <see langword="null"/> for all.</summary>
    public string? CustomerId { get; init; }

    /// <summary>
    /// Gets only the instances of these customers (at most <see cref="MaxCustomerIds"/>), or <see langword="null"/> for
    /// all: the due pass reads the active instances of a whole page of customers in one query.
    /// </summary>
    public IReadOnlyCollection<string>? CustomerIds { get; init; }

    /// <summary>Gets only this journey's instances, or <see langword="null"/> for all.</summary>
    public string? JourneyId { get; init; }

    /// <summary>Gets only active instances due at or before this instant (<see cref="JourneyInstance.WakeAt"/>), or <see langword="null"/> for any.</summary>
    public DateTimeOffset? DueBy { get; init; }

    /// <summary>Gets whether only active instances are read.</summary>
    public bool ActiveOnly { get; init; }

    /// <summary>Gets how many instances the page holds at most.</summary>
    /// <value>The default value is 500.</value>
    public int Limit { get; init; } = 500;

    /// <summary>Gets the token of the previous page, or <see langword="null"/> for the first.</summary>
    public string? ContinueAfter { get; init; }

    /// <summary>Throws when the query cannot be read (a limit below 1, too many customer ids).</summary>
    internal static void ThrowIfInvalid(JourneyQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        if (query.CustomerIds is { Count: > MaxCustomerIds } ids)
        {
            throw new ArgumentException($"JourneyQuery.CustomerIds names {ids.Count} customers; name at most {MaxCustomerIds} in one query and read the rest in another.", nameof(query));
        }
    }
}
