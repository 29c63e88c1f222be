using System.Globalization;

namespace Personalize.Events;

/// <summary>
/// The relationship matrix: places every customer by <b>longevity</b> (tenure since the first purchase, or since signing
/// up without one) and <b>strength</b> (a score of purchase frequency, value, engagement and renewals) in a cell of a
/// grid, each cell a named tier. A tick places customers (facts <c>tier</c>, <c>matrix.longevity</c>,
/// <c>matrix.strength</c>), records each move (<see cref="ChangeKinds.Tier"/>) and fires <c>tier:NAME</c>; conditions and
/// templates read <c>customer.tier</c> and <c>customer.matrix.longevity</c>/<c>strength</c> (levels from 1). See <c>docs/events.md</c>.
/// </summary>
public sealed record RelationshipMatrix
{
    /// <summary>Gets the default 3 × 3 matrix.</summary>
    public static RelationshipMatrix Default { get; } = new();

    /// <summary>Gets the tenure bounds, in days, between longevity levels (ascending): <c>n</c> bounds make <c>n + 1</c> levels.</summary>
    /// <value>The default value is 90 and 365 days: under 3 months, under a year, a year or more.</value>
    public IReadOnlyList<int> LongevityDays { get; init; } = [90, 365];

    /// <summary>Gets the strength score bounds between strength levels (ascending): <c>n</c> bounds make <c>n + 1</c> levels.</summary>
    /// <value>The default value is 3 and 8.</value>
    public IReadOnlyList<double> StrengthBounds { get; init; } = [3, 8];

    /// <summary>Gets the points per order (fact <c>order_count</c>).</summary>
    /// <value>The default value is 1.</value>
    public double PointsPerOrder { get; init; } = 1;

    /// <summary>Gets the order value worth one point (fact <c>total_value</c>), or 0 to leave value out.</summary>
    /// <value>The default value is 100.</value>
    public double ValuePerPoint { get; init; } = 100;

    /// <summary>Gets the points per visit or login (fact <c>activity_count</c>).</summary>
    /// <value>The default value is 0.25.</value>
    public double PointsPerActivity { get; init; } = 0.25;

    /// <summary>Gets the points per renewal (fact <c>renewal_count</c>).</summary>
    /// <value>The default value is 2.</value>
    public double PointsPerRenewal { get; init; } = 2;

    /// <summary>
    /// Gets the tier names, one row per strength level (weakest first), one name per longevity level (newest first).
    /// Names are trigger names (letters, digits, <c>_</c>, <c>-</c>, <c>.</c>).
    /// </summary>
    /// <value>The default value is <c>new, occasional, fading</c> / <c>promising, growing, steady</c> / <c>rising_star, loyal, best_friends</c>.</value>
    public IReadOnlyList<IReadOnlyList<string>> Tiers { get; init; } =
    [
        ["new", "occasional", "fading"],
        ["promising", "growing", "steady"],
        ["rising_star", "loyal", "best_friends"],
    ];

    /// <summary>Gets the top tiers: the ones that get first access to good deals (<see cref="LikeAFriendOptions.GoodDeals"/>).</summary>
    /// <value>The default value is <c>best_friends</c>.</value>
    public IReadOnlyList<string> TopTiers { get; init; } = ["best_friends"];

    /// <summary>Gets whether the tick places customers at all.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Enabled { get; init; } = true;

    /// <summary>The strength score of a customer's facts.</summary>
    /// <param name="facts">The facts.</param>
    /// <returns>The score.</returns>
    public double Score(CustomerFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var score = (PointsPerOrder * (double)facts.NumberOf(FactNames.OrderCount))
            + (PointsPerActivity * (double)facts.NumberOf(FactNames.ActivityCount))
            + (PointsPerRenewal * (double)facts.NumberOf(FactNames.RenewalCount));
        if (ValuePerPoint > 0)
        {
            score += (double)facts.NumberOf(FactNames.TotalValue) / ValuePerPoint;
        }

        return score;
    }

    /// <summary>The tenure a customer's facts show at an instant: since the first purchase, else since signing up, else none (zero).</summary>
    /// <param name="facts">The facts.</param>
    /// <param name="at">The instant.</param>
    /// <returns>The tenure (never negative).</returns>
    public static TimeSpan Tenure(CustomerFacts facts, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var since = facts.InstantOf(FactNames.FirstPurchaseAt) ?? facts.InstantOf(FactNames.SignedUpAt);
        return since is { } s && at > s ? at - s : TimeSpan.Zero;
    }

    /// <summary>Places a customer: the cell their facts call for at an instant.</summary>
    /// <param name="facts">The facts.</param>
    /// <param name="at">The instant (tenure is measured to it).</param>
    /// <returns>The cell.</returns>
    public MatrixCell Place(CustomerFacts facts, DateTimeOffset at)
    {
        var days = Tenure(facts, at).TotalDays;
        var longevity = 0;
        while (longevity < LongevityDays.Count && days >= LongevityDays[longevity])
        {
            longevity++;
        }

        var score = Score(facts);
        var strength = 0;
        while (strength < StrengthBounds.Count && score >= StrengthBounds[strength])
        {
            strength++;
        }

        return new MatrixCell(longevity + 1, strength + 1, Tiers[strength][longevity]);
    }

    /// <summary>Whether a tier is one of the <see cref="TopTiers"/>.</summary>
    /// <param name="tier">The tier name.</param>
    /// <returns>Whether it is a top tier.</returns>
    public bool IsTop(string? tier) => tier is not null && TopTiers.Contains(tier, StringComparer.Ordinal);

    /// <summary>Checks the grid: one row per strength level, one name per longevity level, ascending bounds, names that are trigger names.</summary>
    /// <returns>What is wrong, or <see langword="null"/>.</returns>
    public string? Validate()
    {
        if (!IsAscending(LongevityDays.Select(static d => (double)d).ToList()) || LongevityDays.Any(static d => d < 0))
        {
            return "RelationshipMatrix.LongevityDays must be ascending non-negative days.";
        }

        if (!IsAscending(StrengthBounds))
        {
            return "RelationshipMatrix.StrengthBounds must be ascending.";
        }

        if (Tiers.Count != StrengthBounds.Count + 1 || Tiers.Any(row => row.Count != LongevityDays.Count + 1))
        {
            return string.Create(CultureInfo.InvariantCulture, $"RelationshipMatrix.Tiers must have {StrengthBounds.Count + 1} rows (strength levels) of {LongevityDays.Count + 1} names (longevity levels).");
        }

        foreach (var name in Tiers.SelectMany(static r => r).Concat(TopTiers))
        {
            if (!Consent.ConsentScope.TryNormalizeTopic(name, out var normalized) || normalized != name)
            {
                return $"RelationshipMatrix: the tier name '{name}' is not a trigger name (lower-case letters, digits, '_', '-', '.').";
            }
        }

        return null;
    }

    private static bool IsAscending(IReadOnlyList<double> values)
    {
        for (var i = 1; i < values.Count; i++)
        {
            if (!(values[i] > values[i - 1]))
            {
                return false;
            }
        }

        return values.All(double.IsFinite);
    }
}

/// <summary>A customer's place in the <see cref="RelationshipMatrix"/>.</summary>
/// <param name="Longevity">The longevity level, from 1 (newest).</param>
/// <param name="Strength">The strength level, from 1 (weakest).</param>
/// <param name="Tier">The cell's tier name.</param>
public readonly record struct MatrixCell(int Longevity, int Strength, string Tier);
