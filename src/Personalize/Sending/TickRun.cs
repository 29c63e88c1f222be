using Personalize.Catalog;
using Personalize.Events;

namespace Personalize.Sending;

/// <summary>What a tick needs: the catalog and its compiled templates, the instant, the occasions and the lifecycle rules.</summary>
/// <param name="Catalog">The compiled catalog (messages with <c>occasion:NAME</c> and <c>stage:NAME</c> triggers).</param>
/// <param name="Templates">The catalog's compiled message templates.</param>
public sealed record TickRun(CompiledCatalog Catalog, CompiledTemplates Templates)
{
    /// <summary>Gets the instant of the tick.</summary>
    /// <value>The default value is <see langword="null"/>: the clock, read once when the tick starts.</value>
    public DateTimeOffset? At { get; init; }

    /// <summary>Gets which like-a-friend occasions to look for.</summary>
    /// <value>The default value is <see langword="null"/>: <see cref="LikeAFriendOptions"/> defaults.</value>
    public LikeAFriendOptions? Occasions { get; init; }

    /// <summary>Gets the lifecycle rules (a tick moves stages by tenure).</summary>
    /// <value>The default value is <see langword="null"/>: <see cref="LifecycleRules.Default"/>.</value>
    public LifecycleRules? Lifecycle { get; init; }

    /// <summary>
    /// Gets a token that asks the pass to stop after the page in hand: when it is cancelled, the page being worked is
    /// finished (re-checked, recorded, handed over, marked delivered) and no further page is read; the pass then ends
    /// normally with what it did. A hosted worker passes its stopping token here, so a shutdown leaves nothing half done.
    /// The method's own cancellation token stops at once instead (what was recorded stays; run again to resume).
    /// </summary>
    /// <value>The default value is <see cref="CancellationToken.None"/>: every page.</value>
    public CancellationToken StopAfterPage { get; init; }

    /// <summary>Gets the relationship matrix the tick places customers in.</summary>
    /// <value>The default value is <see langword="null"/>: <see cref="RelationshipMatrix.Default"/>.</value>
    public RelationshipMatrix? Matrix { get; init; }

    /// <summary>
    /// Gets the journeys the tick enters and advances: the occasions and stage changes it fires enter the journeys whose
    /// entry is that trigger (<c>occasion:NAME</c>, <c>stage:NAME</c>), written with the occasion's mark; then every
    /// instance due at the tick's instant (the new entries with them) is advanced, as <see cref="SendRunner.AdvanceJourneysAsync"/> does.
    /// Load them with the same <see cref="Catalog"/>.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: no journeys.</value>
    public Personalize.Journeys.JourneySet? Journeys { get; init; }
}

/// <summary>What a tick did.</summary>
public sealed record TickSummary
{
    /// <summary>Gets how many customers were looked at.</summary>
    public long Customers { get; init; }

    /// <summary>Gets the occasions fired, by name (each once per occasion).</summary>
    public IReadOnlyDictionary<string, long> Fired { get; init; } = new Dictionary<string, long>();

    /// <summary>Gets the stage changes the tick recorded (tenure).</summary>
    public long StageChanges { get; init; }

    /// <summary>Gets the tier changes the tick recorded (relationship matrix moves, first placements included).</summary>
    public long TierChanges { get; init; }

    /// <summary>Gets the sends of the occasions' decisions.</summary>
    public required SendProgress Sends { get; init; }

    /// <summary>Gets the send errors.</summary>
    public IReadOnlyList<SendError> Errors { get; init; } = [];

    /// <summary>Gets what the journeys did (entries the tick made, steps of the instances due), or <see langword="null"/> without <see cref="TickRun.Journeys"/>.</summary>
    public JourneySummary? Journeys { get; init; }

    /// <summary>Gets the tick's instant.</summary>
    public DateTimeOffset At { get; init; }
}
