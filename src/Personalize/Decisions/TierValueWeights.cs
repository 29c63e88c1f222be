using System.Globalization;
using System.Text;
using Personalize.Catalog;

namespace Personalize.Decisions;

/// <summary>
/// How much a message's value counts for customers of one relationship-matrix tier (see
/// <see cref="DecisionOptions.TierWeights"/>): a factor by the message's purpose and one by its kind. A candidate's
/// value in the score is <c>value × purpose weight × kind weight</c>, so weights that differ between purposes (or kinds)
/// change which message such a customer gets — for example, for "best friends", relationship messages (thanks,
/// loyalty) ×2 and marketing ×0.5.
/// </summary>
/// <example>
/// <code>
/// options.TierWeights["best_friends"] = new TierValueWeights
/// {
///     Purposes = { [ContactPurpose.Relationship] = 2, [ContactPurpose.Marketing] = 0.5 },
/// };
/// </code>
/// </example>
public sealed class TierValueWeights
{
    /// <summary>A factor on the value of the tier's messages by purpose; purposes not listed weigh 1.</summary>
    /// <value>The default value is empty.</value>
    public IDictionary<ContactPurpose, double> Purposes { get; } = new Dictionary<ContactPurpose, double>();

    /// <summary>A factor on the value of the tier's messages by kind (give or ask); kinds not listed weigh 1.</summary>
    /// <value>The default value is empty.</value>
    public IDictionary<MessageKind, double> Kinds { get; } = new Dictionary<MessageKind, double>();

    /// <summary>Checks one tier's weights; each problem a sentence naming the tier and the weight.</summary>
    internal void Validate(string tier, List<string> errors)
    {
        var c = CultureInfo.InvariantCulture;
        foreach (var (purpose, weight) in Purposes)
        {
            if (!Enum.IsDefined(purpose) || !(weight > 0) || double.IsInfinity(weight))
            {
                errors.Add($"TierWeights['{tier}'].Purposes[{purpose}] is {weight.ToString(c)}; a value weight is a number greater than 0 (1 leaves the value as it is) for a purpose of {string.Join(", ", Enum.GetNames<ContactPurpose>())}.");
            }
        }

        foreach (var (kind, weight) in Kinds)
        {
            if (!Enum.IsDefined(kind) || !(weight > 0) || double.IsInfinity(weight))
            {
                errors.Add($"TierWeights['{tier}'].Kinds[{kind}] is {weight.ToString(c)}; a value weight is a number greater than 0 (1 leaves the value as it is) for a kind of {string.Join(", ", Enum.GetNames<MessageKind>())}.");
            }
        }
    }
}

/// <summary>
/// One tier's value weights as the engine uses them: the factor per (purpose, kind) precomputed, and the tier's
/// position among the configured tiers (each bucket keeps one ranking per tier).
/// </summary>
internal sealed class TierWeightTable
{
    private const int Kinds = 2;
    private readonly double[] _factors;

    public TierWeightTable(string name, int position, TierValueWeights weights)
    {
        Name = name;
        Position = position;
        var purposes = Enum.GetValues<ContactPurpose>();
        _factors = new double[(purposes.Max(p => (int)p) + 1) * Kinds];
        foreach (var purpose in purposes)
        {
            foreach (var kind in Enum.GetValues<MessageKind>())
            {
                var p = weights.Purposes.TryGetValue(purpose, out var pw) ? pw : 1;
                var k = weights.Kinds.TryGetValue(kind, out var kw) ? kw : 1;
                _factors[((int)purpose * Kinds) + (int)kind] = p * k;
            }
        }

        Description = Describe(weights);
    }

    /// <summary>The tier's name (the <c>tier</c> fact's value).</summary>
    public string Name { get; }

    /// <summary>The tier's position among the configured tiers, 0-based.</summary>
    public int Position { get; }

    /// <summary>The weights in words, for explanations: <c>relationship ×2, marketing ×0.5</c>.</summary>
    public string Description { get; }

    /// <summary>The factor on a message's value for this tier.</summary>
    public double FactorOf(CompiledMessage message) => _factors[((int)message.Purpose * Kinds) + (int)message.Kind];

    private static string Describe(TierValueWeights weights)
    {
        var text = new StringBuilder();
        foreach (var purpose in Enum.GetValues<ContactPurpose>())
        {
            if (weights.Purposes.TryGetValue(purpose, out var weight) && weight != 1)
            {
                Append(text, purpose.ToString().ToLowerInvariant(), weight);
            }
        }

        foreach (var kind in Enum.GetValues<MessageKind>())
        {
            if (weights.Kinds.TryGetValue(kind, out var weight) && weight != 1)
            {
                Append(text, kind.ToString().ToLowerInvariant() + "s", weight);
            }
        }

        return text.Length == 0 ? "every value ×1" : text.ToString();
    }

    private static void Append(StringBuilder text, string what, double weight)
    {
        if (text.Length > 0)
        {
            text.Append(", ");
        }

        text.Append(what).Append(" ×").Append(weight.ToString("0.###", CultureInfo.InvariantCulture));
    }
}
