using Personalize.Catalog;

namespace Personalize.Sending;

/// <summary>What a send run decides and renders: the catalog, its compiled templates, the trigger and the instant.</summary>
/// <param name="Catalog">The compiled catalog.</param>
/// <param name="Templates">The catalog's compiled message templates.</param>
/// <param name="Trigger">The trigger every customer is decided for.</param>
public sealed record SendRun(CompiledCatalog Catalog, CompiledTemplates Templates, Trigger Trigger)
{
    /// <summary>Gets the instant the run decides at. Pass the same instant to resume a crashed run: the idempotency keys contain the send instant.</summary>
    /// <value>The default value is <see langword="null"/>: the clock, read once when the run starts.</value>
    public DateTimeOffset? At { get; init; }

    /// <summary>Gets whether the run decides and renders but writes nothing (and does not ask the sink what it holds).</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool DryRun { get; init; }
}
