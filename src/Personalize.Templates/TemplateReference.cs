namespace Personalize.Templates;

/// <summary>
/// A template that another template renders: one <c>include</c> (Scriban or Liquid) or <c>render</c> (Liquid), as listed by
/// <see cref="Template.GetReferencedTemplates"/>.
/// </summary>
/// <param name="Name">The template's name when the source spells it as a literal (<c>include "footer"</c>); <see langword="null"/> when it is computed at render time.</param>
/// <param name="Expression">The name as written: the quoted literal, or the expression that computes it (<c>"row-" + kind</c>).</param>
/// <param name="Kind">Whether the template is included (sees the caller's variables) or rendered (Liquid <c>render</c>: sees only its arguments).</param>
/// <param name="Span">Where the <c>include</c>/<c>render</c> is in the source.</param>
public sealed record TemplateReference(string? Name, string Expression, TemplateReferenceKind Kind, SourceSpan Span)
{
    /// <summary>Gets whether the name is computed when the template renders, so it cannot be checked before a render.</summary>
    public bool IsDynamic => Name is null;
}
