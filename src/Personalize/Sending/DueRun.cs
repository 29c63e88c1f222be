using Personalize.Catalog;

namespace Personalize.Sending;

/// <summary>What a due-sends pass needs: the catalog and its compiled templates (the deferred sends are re-checked and rendered with them), and the instant.</summary>
/// <param name="Catalog">The compiled catalog.</param>
/// <param name="Templates">The catalog's compiled message templates.</param>
public sealed record DueRun(CompiledCatalog Catalog, CompiledTemplates Templates)
{
    /// <summary>Gets the instant of the pass: sends due at or before it are re-checked and sent (or dropped, or deferred again) at it.</summary>
    /// <value>The default value is <see langword="null"/>: the clock, read once when the pass starts.</value>
    public DateTimeOffset? At { get; init; }

    /// <summary>
    /// Gets a token that asks the pass to stop after the page in hand: when it is cancelled, the page being worked is
    /// finished (re-checked, recorded, handed over, marked delivered) and no further page is read; the pass then ends
    /// normally with what it did. A hosted worker passes its stopping token here, so a shutdown leaves nothing half done.
    /// The method's own cancellation token stops at once instead (what was recorded stays; run again to resume).
    /// </summary>
    /// <value>The default value is <see cref="CancellationToken.None"/>: every page.</value>
    public CancellationToken StopAfterPage { get; init; }

    /// <summary>
    /// Gets the journeys the pass advances after the scheduled sends: every instance due at the pass's instant runs its
    /// steps, as <see cref="SendRunner.AdvanceJourneysAsync"/> does (in the same pass, so one call every few minutes
    /// keeps deferred sends and journeys moving). Load them with the same <see cref="Catalog"/>.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: no journeys.</value>
    public Personalize.Journeys.JourneySet? Journeys { get; init; }
}
