namespace Personalize.Templates;

/// <summary>Supplies the source of templates named by <c>include "name"</c>.</summary>
public interface ITemplateLoader
{
    /// <summary>Loads the source of a template.</summary>
    /// <param name="name">The name the template passed to <c>include</c>.</param>
    /// <param name="source">The template source when found.</param>
    /// <returns><see langword="false"/> when there is no such template (or the name is not allowed).</returns>
    bool TryLoad(string name, out string source);
}
