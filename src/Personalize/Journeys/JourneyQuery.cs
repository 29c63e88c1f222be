namespace Personalize.Journeys;

/// <summary>A page of journey instances to read, ordered by customer, journey and instance id.</summary>
public sealed record JourneyQuery
{
    /// <summary>Gets only this customer's instances, or <see langword="null"/> for all.</summary>
    public string? CustomerId { get; init; }

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
}
