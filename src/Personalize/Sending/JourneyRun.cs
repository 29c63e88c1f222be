using Personalize.Journeys;

namespace Personalize.Sending;

/// <summary>What advancing journeys needs: the journeys (with their catalog), the catalog's compiled templates and the instant.</summary>
/// <param name="Journeys">The journeys, every version customers may be on.</param>
/// <param name="Templates">The catalog's compiled message templates.</param>
public sealed record JourneyRun(JourneySet Journeys, CompiledTemplates Templates)
{
    /// <summary>Gets the instant steps run at.</summary>
    /// <value>The default value is <see langword="null"/>: the clock, read once when the pass starts.</value>
    public DateTimeOffset? At { get; init; }

    /// <summary>
    /// Gets the customers to advance, or <see langword="null"/> for every due instance. With customers given, each of
    /// their active instances is looked at whether due or not (exits and awaited events are checked at once).
    /// </summary>
    public IReadOnlyCollection<string>? CustomerIds { get; init; }
}

/// <summary>What a journey pass did.</summary>
public sealed record JourneySummary
{
    /// <summary>Gets how many instances were looked at.</summary>
    public long Instances { get; init; }

    /// <summary>Gets how many customers entered a journey (in an event ingestion or tick; 0 for a pass).</summary>
    public long Entered { get; init; }

    /// <summary>Gets how many steps ran (a wait that started or ended, a send, a branch, an awaited event or its timeout).</summary>
    public long Steps { get; init; }

    /// <summary>Gets how many instances completed.</summary>
    public long Completed { get; init; }

    /// <summary>Gets how many instances exited, by reason (an exit's name, or the code of a suppressed step whose policy is exit).</summary>
    public IReadOnlyDictionary<string, long> Exited { get; init; } = new Dictionary<string, long>();

    /// <summary>Gets the sends of the steps: sent per channel; suppressed per code (each suppressed step once).</summary>
    public required SendProgress Sends { get; init; }

    /// <summary>Gets the errors (a missing definition version, a template error, a store conflict that kept coming back).</summary>
    public IReadOnlyList<SendError> Errors { get; init; } = [];

    /// <summary>Gets the pass's instant.</summary>
    public DateTimeOffset At { get; init; }
}
