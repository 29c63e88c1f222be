using Personalize.Catalog;

namespace Personalize.Journeys;

/// <summary>
/// The journeys a host runs, validated against its catalog: every version of each (customers finish on the version
/// they started with; new customers enter the highest). Thread-safe and immutable.
/// </summary>
public sealed class JourneySet
{
    private readonly Dictionary<string, JourneyDefinition[]> _byId;

    private JourneySet(CompiledCatalog catalog, IReadOnlyList<JourneyDefinition> journeys)
    {
        Catalog = catalog;
        All = journeys;
        _byId = journeys.GroupBy(static j => j.Id, StringComparer.Ordinal).ToDictionary(static g => g.Key, static g => g.OrderBy(static j => j.Version).ToArray(), StringComparer.Ordinal);
        Latest = _byId.Values.Select(static v => v[^1]).OrderBy(static j => j.Id, StringComparer.Ordinal).ToArray();
    }

    /// <summary>Gets the catalog the send steps name.</summary>
    public CompiledCatalog Catalog { get; }

    /// <summary>Gets every journey definition, every version.</summary>
    public IReadOnlyList<JourneyDefinition> All { get; }

    /// <summary>Gets the highest version of each journey (the one customers enter), by id.</summary>
    public IReadOnlyList<JourneyDefinition> Latest { get; }

    /// <summary>Validates journeys against a catalog and makes the set.</summary>
    /// <param name="journeys">The definitions (several versions of one id allowed; one id and version once).</param>
    /// <param name="catalog">The catalog their send steps name.</param>
    /// <returns>The set.</returns>
    /// <exception cref="JourneyException">A definition is invalid; the exception lists every problem.</exception>
    public static JourneySet Create(IEnumerable<JourneyDefinition> journeys, CompiledCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(journeys);
        ArgumentNullException.ThrowIfNull(catalog);
        var list = journeys.ToList();
        var errors = new List<JourneyError>();
        var seen = new HashSet<(string, int)>();
        for (var i = 0; i < list.Count; i++)
        {
            var path = $"$.journeys[{i}]";
            if (list[i] is not { } journey)
            {
                errors.Add(new JourneyError(path, JourneyCodes.Missing, "is null; expected a journey"));
                continue;
            }

            JourneyValidation.Validate(journey, catalog, path, errors);
            if (!seen.Add((journey.Id, journey.Version)))
            {
                errors.Add(new JourneyError(path + ".version", JourneyCodes.Duplicate, $"journey \"{journey.Id}\" version {journey.Version} is defined twice; give the newer one a higher version"));
            }
        }

        return errors.Count == 0 ? new JourneySet(catalog, list) : throw new JourneyException(errors);
    }

    /// <summary>Finds a journey.</summary>
    /// <param name="id">The journey's id.</param>
    /// <param name="version">The version, or <see langword="null"/> for the highest.</param>
    /// <returns>The definition, or <see langword="null"/>.</returns>
    public JourneyDefinition? Find(string id, int? version = null)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (!_byId.TryGetValue(id, out var versions))
        {
            return null;
        }

        if (version is null)
        {
            return versions[^1];
        }

        foreach (var journey in versions)
        {
            if (journey.Version == version)
            {
                return journey;
            }
        }

        return null;
    }
}
