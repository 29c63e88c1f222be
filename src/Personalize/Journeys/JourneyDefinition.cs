using Personalize.Catalog;

namespace Personalize.Journeys;

/// <summary>
/// A journey: how customers enter it, its steps, and the exits checked before every step. Load one from JSON
/// (<see cref="JourneyJson"/>) or build it (<see cref="JourneyBuilder"/>); both give this model, validated by
/// <see cref="Validate"/> and run by <see cref="Sending.SendRunner.AdvanceJourneysAsync"/>.
/// </summary>
public sealed record JourneyDefinition
{
    /// <summary>The target that ends the journey (completed).</summary>
    public const string End = "end";

    /// <summary>The most steps a journey may have.</summary>
    public const int MaxSteps = 100;

    /// <summary>The most exits a journey may have.</summary>
    public const int MaxExits = 20;

    /// <summary>The longest wait or timeout (a year and a day).</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromDays(366);

    /// <summary>Gets the journey's id.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the definition's version: a customer finishes on the version they started with, so change a journey by adding a higher version.</summary>
    /// <value>The default value is 1.</value>
    public int Version { get; init; } = 1;

    /// <summary>Gets a description for people.</summary>
    public string? Description { get; init; }

    /// <summary>Gets how customers enter.</summary>
    public required JourneyEntry Entry { get; init; }

    /// <summary>Gets the steps, in order.</summary>
    public IReadOnlyList<JourneyStep> Steps { get; init; } = [];

    /// <summary>Gets the exits, checked before every step and when events come in.</summary>
    public IReadOnlyList<JourneyExit> Exits { get; init; } = [];

    /// <summary>Gets whether a customer may enter again (each entry is its own instance; one at a time). Otherwise a customer is in the journey at most once, ever.</summary>
    public bool AllowReentry { get; init; }

    /// <summary>Checks the definition: ids, targets, durations, limits, conditions, and, with a catalog, that each send step's message (and channel) exists.</summary>
    /// <param name="catalog">The catalog the send steps name, or <see langword="null"/> to skip that check.</param>
    /// <param name="path">The path errors start with.</param>
    /// <returns>Every problem, in step order.</returns>
    public IReadOnlyList<JourneyError> Validate(CompiledCatalog? catalog = null, string path = "$")
    {
        var errors = new List<JourneyError>();
        JourneyValidation.Validate(this, catalog, path, errors);
        return errors;
    }

    /// <summary>The index of a step, or -1.</summary>
    /// <param name="stepId">The step's id.</param>
    /// <returns>The index.</returns>
    public int IndexOf(string? stepId)
    {
        for (var i = 0; i < Steps.Count; i++)
        {
            if (string.Equals(Steps[i].Id, stepId, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
