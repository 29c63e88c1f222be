namespace Personalize.Templates.Syntax;

/// <summary>
/// A node of the compiled template tree. Trees are immutable after parsing and evaluate themselves directly,
/// so one parsed template renders concurrently from many threads. The Liquid front end builds the same nodes.
/// </summary>
internal abstract class ScriptNode
{
    public SourceSpan Span { get; init; }

    /// <summary>Gets the nodes directly below this one, in source order (null for an absent optional part); read by tree walkers such as <see cref="TemplateReferenceWalker"/>.</summary>
    internal virtual IEnumerable<ScriptNode?> Children => [];
}
