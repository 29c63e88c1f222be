namespace Personalize.Storage;

/// <summary>A page of stored events to read, ordered by the instant they happened, then id.</summary>
public sealed record EventQuery
{
    /// <summary>The most customer ids one query names (<see cref="CustomerIds"/>).</summary>
    public const int MaxCustomerIds = 10_000;

    /// <summary>Gets only this customer's events, or <see langword="null"/> for all.</summary>
    public string? CustomerId { get; init; }

    /// <summary>
    /// Gets only the events of these customers (at most <see cref="MaxCustomerIds"/>), or <see langword="null"/> for all:
    /// the journeys' due pass reads the events of a whole page of customers in one query.
    /// </summary>
    public IReadOnlyCollection<string>? CustomerIds { get; init; }

    /// <summary>Gets only the events with these ids, or <see langword="null"/> for all.</summary>
    public IReadOnlyCollection<string>? Ids { get; init; }

    /// <summary>Gets only the events that happened at or after this instant, or <see langword="null"/> for any.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Gets how many events the page holds at most.</summary>
    /// <value>The default value is 500.</value>
    public int Limit { get; init; } = 500;

    /// <summary>Gets the token of the previous page, or <see langword="null"/> for the first.</summary>
    public string? ContinueAfter { get; init; }

    /// <summary>Throws when the query cannot be read (a limit below 1, too many customer ids).</summary>
    internal static void ThrowIfInvalid(EventQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        if (query.CustomerIds is { Count: > MaxCustomerIds } ids)
        {
            throw new ArgumentException($"EventQuery.CustomerIds names {ids.Count} customers; name at most {MaxCustomerIds} in one query and read the rest in another.", nameof(query));
        }
    }

    /// <summary>
    /// The statement of the query for a SQL store (<paramref name="select"/>, then its conditions and order), or
    /// <see langword="null"/> when it can match nothing (an empty list of ids); bind <paramref name="filter"/>'s parameters.
    /// </summary>
    internal static string? Sql(EventQuery query, string select, bool arrays, out StoreFilter filter)
    {
        var after = StoreCursor.Parse(query.ContinueAfter);
        filter = new StoreFilter(select, arrays);
        if (query.Ids is not null)
        {
            var ids = query.Ids.Where(static id => id is not null).Distinct(StringComparer.Ordinal).ToArray();
            if (ids.Length == 0)
            {
                return null;
            }

            filter.WhereIn("id", "ids", ids);
        }

        if (query.CustomerId is not null)
        {
            filter.Where("customer_id = @customer", "customer", query.CustomerId);
        }

        if (query.CustomerIds is not null)
        {
            var customers = query.CustomerIds.Where(static id => id is not null).Distinct(StringComparer.Ordinal).ToArray();
            if (customers.Length == 0)
            {
                return null;
            }

            filter.WhereIn("customer_id", "customers", customers);
        }

        if (query.Since is { } since)
        {
            filter.Where("occurred_at >= @since", "since", since.UtcTicks);
        }

        if (after is { } cursor)
        {
            filter.Where("(occurred_at, id) > (@after_ticks, @after_key)", "after_ticks", cursor.Ticks).Bind("after_key", cursor.Key);
        }

        return filter.Sql("occurred_at, id", query.Limit);
    }
}
