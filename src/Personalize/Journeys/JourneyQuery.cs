using Personalize.Storage;

namespace Personalize.Journeys;

/// <summary>
/// A page of journey instances to read, ordered by customer, journey and instance id; a due read (<see cref="DueBy"/>)
/// is ordered by wake-up instant first (the longest overdue first), so a store reads it from an index of the active
/// instances' wake-up instants and looks at due instances only, however many customers wait.
/// </summary>
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

    /// <summary>
    /// Gets only active instances due at or before this instant (<see cref="JourneyInstance.WakeAt"/>), or
    /// <see langword="null"/> for any. A due read is ordered by wake-up instant, then customer, journey and instance id.
    /// </summary>
    public DateTimeOffset? DueBy { get; init; }

    /// <summary>Gets whether only active instances are read.</summary>
    public bool ActiveOnly { get; init; }

    /// <summary>Gets how many instances the page holds at most.</summary>
    /// <value>The default value is 500.</value>
    public int Limit { get; init; } = 500;

    /// <summary>Gets the token of the previous page, or <see langword="null"/> for the first.</summary>
    public string? ContinueAfter { get; init; }

    /// <summary>
    /// Gets whether a SQL store reads only each instance's key and wake-up instant (<see cref="JourneyInstanceJson.KeyOnly"/>),
    /// from the due index alone: the due pass reads the instances' data again with their customers, so its due read needs
    /// no table row and no JSON. A store may ignore it and read whole instances.
    /// </summary>
    internal bool KeysOnly { get; init; }

    /// <summary>
    /// Gets whether a SQL store reads the instances' state without their history records (the instances count them
    /// in <see cref="JourneyInstance.HistoryOmitted"/>): the due pass appends records and never looks at the old ones.
    /// A store may ignore it and read whole instances.
    /// </summary>
    internal bool WithoutHistory { get; init; }

    /// <summary>
    /// The statement of the query for a SQL store, its conditions and order; bind <paramref name="filter"/>'s parameters.
    /// It selects from <paramref name="table"/> (aliased <c>i</c>) <c>data</c> and <paramref name="history"/> (the
    /// instance's history records as one JSON array), <c>data</c> alone when <see cref="WithoutHistory"/>, or the key
    /// columns and <c>wake_at</c> when <see cref="KeysOnly"/>.
    /// </summary>
    internal static string Sql(JourneyQuery query, string table, string history, bool arrays, out StoreFilter filter)
    {
        var after = JourneyInstanceJson.ParseCursor(query.ContinueAfter);
        var columns = query.KeysOnly ? "customer_id, journey_id, instance_id, wake_at" : query.WithoutHistory ? "data" : "data, " + history;
        filter = new StoreFilter("SELECT " + columns + " FROM " + table + " i", arrays);
        if (query.CustomerId is not null)
        {
            filter.Where("customer_id = @customer", "customer", query.CustomerId);
        }

        if (query.CustomerIds is { } ids)
        {
            filter.WhereIn("customer_id", "customers", ids);
        }

        if (query.JourneyId is not null)
        {
            filter.Where("journey_id = @journey", "journey", query.JourneyId);
        }

        if (query.ActiveOnly || query.DueBy is not null)
        {
            filter.Where("status = 0");
        }

        if (query.DueBy is { } due)
        {
            // The order of the due index (wake_at, then the key): a page starts where the last one ended and reads due rows only.
            filter.Where("wake_at <= @due", "due", due.UtcTicks);
            if (after is { } cursor)
            {
                filter.Where("(wake_at, customer_id, journey_id, instance_id) > (@after_wake, @after_customer, @after_journey, @after_instance)", "after_wake", cursor.WakeTicks)
                    .Bind("after_customer", cursor.CustomerId).Bind("after_journey", cursor.JourneyId).Bind("after_instance", cursor.InstanceId);
            }

            return filter.Sql("wake_at, customer_id, journey_id, instance_id", query.Limit);
        }

        if (after is { } key)
        {
            filter.Where("(customer_id, journey_id, instance_id) > (@after_customer, @after_journey, @after_instance)", "after_customer", key.CustomerId)
                .Bind("after_journey", key.JourneyId).Bind("after_instance", key.InstanceId);
        }

        return filter.Sql("customer_id, journey_id, instance_id", query.Limit);
    }

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
