namespace Personalize.Templates;

/// <summary>A position in template source: character offset and length, and the 1-based line and column of the start.</summary>
/// <param name="Start">Zero-based character offset of the first character.</param>
/// <param name="Length">Number of characters covered.</param>
/// <param name="Line">1-based line of the first character.</param>
/// <param name="Column">1-based column of the first character.</param>
public readonly record struct SourceSpan(int Start, int Length, int Line, int Column)
{
    /// <summary>Formats the span as <c>(line,column)</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"({Line},{Column})";
}
