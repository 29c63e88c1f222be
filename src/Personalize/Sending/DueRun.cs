using Personalize.Catalog;

namespace Personalize.Sending;

/// <summary>What a due-sends pass needs: the catalog and its compiled content (the deferred sends are re-checked and rendered with them), and the instant.</summary>
/// <param name="Catalog">The compiled catalog.</param>
/// <param name="Content">The catalog's compiled content templates.</param>
public sealed record DueRun(CompiledCatalog Catalog, CompiledContent Content)
{
    /// <summary>Gets the instant of the pass: sends due at or before it are re-checked and sent (or dropped, or deferred again) at it.</summary>
    /// <value>The default value is <see langword="null"/>: the clock, read once when the pass starts.</value>
    public DateTimeOffset? At { get; init; }
}
