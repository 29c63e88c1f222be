namespace Personalize.Templates;

/// <summary>Supplies the source of templates named by <c>include "name"</c> (and Liquid's <c>include</c> / <c>render</c>).</summary>
/// <remarks>
/// Included templates are parsed once and cached per loader instance (never shared between loaders), per name and per
/// content version: see <see cref="GetVersion"/> and <see cref="TemplateIncludeCache"/>.
/// </remarks>
public interface ITemplateLoader
{
    /// <summary>Loads the source of a template.</summary>
    /// <param name="name">The name the template passed to <c>include</c>.</param>
    /// <param name="source">The template source when found.</param>
    /// <returns><see langword="false"/> when there is no such template (or the name is not allowed).</returns>
    bool TryLoad(string name, out string source);

    /// <summary>
    /// Gets a stamp that changes whenever the content <see cref="TryLoad"/> would return for <paramref name="name"/> changes
    /// (a file's write time and size, a revision number, a content hash; include the tenant when the content depends on it).
    /// While the stamp stays the same the include cache reuses the parsed template without loading it again.
    /// </summary>
    /// <param name="name">The name the template passed to <c>include</c>.</param>
    /// <returns>
    /// The stamp, or <see langword="null"/> when the loader cannot tell: then every include loads the source and the cache
    /// reuses the parsed template only while the source is the same text. This default is always correct, only slower.
    /// </returns>
    string? GetVersion(string name) => null;
}
