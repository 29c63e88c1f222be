namespace Personalize.Templates.Liquid;

/// <summary>
/// One piece of a Liquid template after scanning. Offsets are in the template source: <see cref="Start"/>/<see cref="End"/> cover the
/// whole piece, <see cref="MarkupStart"/>/<see cref="MarkupEnd"/> the markup after the tag name (or inside <c>{{ }}</c>).
/// </summary>
internal sealed record LiquidSegment(LiquidSegmentKind Kind, int Start, int End, string Name, int NameStart, int MarkupStart, int MarkupEnd, string Text = "")
{
    /// <summary>Gets a value indicating whether this text came from a `raw` block (never blank, never parsed).</summary>
    public bool Raw { get; init; }

    /// <summary>Gets the `liquid` tag this tag was written in (0 outside any): a block must be closed where it was opened.</summary>
    public int Group { get; init; }
}
