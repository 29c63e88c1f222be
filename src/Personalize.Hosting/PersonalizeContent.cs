using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Serialization;
using Personalize.Sending;
using Personalize.Templates;

namespace Personalize.Hosting;

/// <summary>
/// The catalog and its compiled templates the hosted worker sends with. Register one to supply them from code; otherwise
/// the worker loads <see cref="PersonalizeWorkerOptions.CatalogFile"/> and <see cref="PersonalizeWorkerOptions.TemplatesDirectory"/> when it starts.
/// </summary>
public sealed class PersonalizeContent
{
    /// <summary>Creates the content.</summary>
    /// <param name="catalog">The compiled catalog.</param>
    /// <param name="templates">Its compiled templates.</param>
    public PersonalizeContent(CompiledCatalog catalog, CompiledTemplates templates)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(templates);
        Catalog = catalog;
        Templates = templates;
    }

    /// <summary>Gets the compiled catalog.</summary>
    public CompiledCatalog Catalog { get; }

    /// <summary>Gets the catalog's compiled templates.</summary>
    public CompiledTemplates Templates { get; }

    /// <summary>Gets the journeys the worker advances in every pass (<see cref="DueRun.Journeys"/>) and enters on the tick's occasions (<see cref="TickRun.Journeys"/>), loaded with <see cref="Catalog"/>.</summary>
    /// <value>The default value is <see langword="null"/>: no journeys.</value>
    public Journeys.JourneySet? Journeys { get; init; }

    /// <summary>Reads and compiles a catalog file and the templates it names from a folder.</summary>
    /// <param name="catalogFile">The catalog JSON file.</param>
    /// <param name="templatesDirectory">The folder of templates (<c>NAME/channel.part.sbn</c> or <c>.liquid</c>).</param>
    /// <param name="channels">The channels the catalog may use (the host's registry, with its own channels); null: the built-in ones.</param>
    /// <returns>The content.</returns>
    /// <exception cref="InvalidOperationException">A file is missing, the catalog is invalid or a template does not compile; the message names the file and lists every error with its line.</exception>
    public static PersonalizeContent Load(string catalogFile, string templatesDirectory, ChannelRegistry? channels = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(catalogFile);
        ArgumentException.ThrowIfNullOrWhiteSpace(templatesDirectory);
        if (!File.Exists(catalogFile))
        {
            throw new InvalidOperationException($"The catalog file '{catalogFile}' does not exist (full path: {Path.GetFullPath(catalogFile)}).");
        }

        if (!Directory.Exists(templatesDirectory))
        {
            throw new InvalidOperationException($"The templates folder '{templatesDirectory}' does not exist (full path: {Path.GetFullPath(templatesDirectory)}).");
        }

        var bytes = File.ReadAllBytes(catalogFile);
        var options = new CatalogValidationOptions { Channels = channels ?? ChannelRegistry.Default };
        if (!CatalogJson.TryRead(bytes, options, out var catalog, out var errors))
        {
            var positions = JsonPositions.Find(bytes, errors.Select(static e => e.Path));
            var lines = errors.Select(e => positions.TryGetValue(e.Path, out var at) ? $"{catalogFile} {at}: {e}" : $"{catalogFile}: {e}");
            throw new InvalidOperationException($"The catalog file '{catalogFile}' has {errors.Count} error(s):{Environment.NewLine}" + string.Join(Environment.NewLine, lines));
        }

        var compiled = catalog.Compile(options);
        var templates = MessageTemplates.Compile(compiled, new FolderTemplateLoader(templatesDirectory));
        if (templates.HasErrors)
        {
            var lines = templates.Diagnostics.Select(d => d.Line > 0 ? $"{Path.Combine(templatesDirectory, d.File)} line {d.Line}, column {d.Column}: {d.Message}" : $"{Path.Combine(templatesDirectory, d.File)}: {d.Message}");
            throw new InvalidOperationException($"The templates in '{templatesDirectory}' have {templates.Diagnostics.Count} error(s):{Environment.NewLine}" + string.Join(Environment.NewLine, lines));
        }

        return new PersonalizeContent(compiled, templates);
    }
}
