namespace Personalize.Templates;

/// <summary>How a template brings in another one (<see cref="TemplateReference.Kind"/>).</summary>
public enum TemplateReferenceKind
{
    /// <summary>Scriban <c>include "name"</c> or Liquid <c>{% include 'name' %}</c>: the included template sees the caller's variables.</summary>
    Include,

    /// <summary>Liquid <c>{% render 'name' %}</c>: the rendered template sees only its arguments and the globals.</summary>
    Render,
}
