namespace Personalize.Decisions;

/// <summary>
/// The counts of up to <see cref="Capacity"/> frequency caps (the options' caps, then the customer's own) for one purpose
/// group at one instant of one decision, counted in one backwards pass over the contact history. Held by the
/// (reused) decision context, one per purpose group, so a decision allocates nothing for it.
/// </summary>
internal sealed class CapCounts
{
    /// <summary>The most caps counted together; with more, the rule counts each cap on its own.</summary>
    public const int Capacity = 8;

    /// <summary>Whether the counts are for the current decision (at <see cref="Ticks"/>).</summary>
    public bool Valid;

    /// <summary>The instant counted at (UTC ticks).</summary>
    public long Ticks;

    /// <summary>The count per cap, in cap order.</summary>
    public readonly int[] Counts = new int[Capacity];
}
