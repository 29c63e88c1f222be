namespace Personalize.Events;

/// <summary>
/// The built-in like-a-friend occasions a tick looks for (each fires <c>occasion:NAME</c> once per occasion; set one's
/// option to <see langword="null"/> or 0 to turn it off). See <c>docs/events.md</c>.
/// </summary>
public sealed record LikeAFriendOptions
{
    /// <summary>Gets how long after signing up (<c>signed_up_at</c>) a customer is welcomed (<c>occasion:welcome</c>, once ever); <see langword="null"/> turns it off.</summary>
    /// <value>The default value is 7 days.</value>
    public TimeSpan? WelcomeWithin { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Gets whether the first order is thanked (<c>occasion:thank_you</c>, occasion <c>1</c>).</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool ThankFirstOrder { get; init; } = true;

    /// <summary>Gets every how many orders a customer is thanked again (<c>occasion:thank_you</c>, occasion the order count); 0 turns it off.</summary>
    /// <value>The default value is 10.</value>
    public int ThankEveryNthOrder { get; init; } = 10;

    /// <summary>Gets the absence after which activity is welcomed back (<c>occasion:welcome_back</c>, once per return); <see langword="null"/> turns it off.</summary>
    /// <value>The default value is 60 days.</value>
    public TimeSpan? WelcomeBackAfter { get; init; } = TimeSpan.FromDays(60);

    /// <summary>Gets the inactivity after which a customer is missed (<c>occasion:we_miss_you</c>, once per lapse: a new activity starts a new one); <see langword="null"/> turns it off.</summary>
    /// <value>The default value is 90 days.</value>
    public TimeSpan? MissAfter { get; init; } = TimeSpan.FromDays(90);

    /// <summary>Gets whether the anniversary of the first purchase is celebrated on the day, in the customer's own zone (<c>occasion:anniversary</c>, occasion the year; 29 February is celebrated on 28 February in other years).</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Anniversary { get; init; } = true;

    /// <summary>
    /// Gets whether the birthday is celebrated on the day in the customer's zone (<c>occasion:birthday</c>, occasion the year) — only when the
    /// customer shared it (fact <c>answer.birthday</c> or attribute <c>birthday</c>, <c>yyyy-MM-dd</c> or <c>MM-dd</c>) and consented to personalization.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Birthday { get; init; } = true;

    /// <summary>Gets how long after a return or a first order the tick may still greet it (a tick that did not run meanwhile does not greet a stale return).</summary>
    /// <value>The default value is 3 days.</value>
    public TimeSpan GreetWithin { get; init; } = TimeSpan.FromDays(3);

    /// <summary>
    /// Gets the good deals the top tiers of the relationship matrix (<see cref="RelationshipMatrix.TopTiers"/>) get first:
    /// a tick in a deal's early-access window fires <c>occasion:first_access.DEAL</c> once per customer and deal.
    /// </summary>
    /// <value>The default value is none.</value>
    public IReadOnlyList<GoodDeal> GoodDeals { get; init; } = [];
}

/// <summary>A good deal (a sale, a launch) that the top tiers get first access to.</summary>
/// <param name="Name">The deal's name (a trigger name: <c>occasion:first_access.NAME</c>).</param>
/// <param name="OpensAt">When it opens for everyone (the host's campaign).</param>
public sealed record GoodDeal(string Name, DateTimeOffset OpensAt)
{
    /// <summary>Gets how long before <see cref="OpensAt"/> the top tiers get it.</summary>
    /// <value>The default value is 48 hours.</value>
    public TimeSpan EarlyAccess { get; init; } = TimeSpan.FromHours(48);
}
