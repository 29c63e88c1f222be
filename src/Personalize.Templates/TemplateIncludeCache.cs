using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Personalize.Templates;

/// <summary>
/// The parsed templates that <c>include</c> (and Liquid's <c>include</c> / <c>render</c>) reuse. Entries belong to one
/// loader instance (never shared between loaders, so one tenant's loader never serves another's partial) and are keyed
/// by name, the parse settings and the content version the loader reports (<see cref="ITemplateLoader.GetVersion"/>):
/// a changed template is parsed again on its next include. Hosts whose loader cannot report versions can drop entries here.
/// </summary>
public static class TemplateIncludeCache
{
    /// <summary>The most templates kept per loader; the loader's entries are dropped when it would hold more.</summary>
    private const int MaxEntriesPerLoader = 1024;

    private static readonly ConditionalWeakTable<ITemplateLoader, ConcurrentDictionary<Key, Entry>> Caches = new();

    /// <summary>Drops every parsed template cached for <paramref name="loader"/>.</summary>
    /// <param name="loader">The loader.</param>
    public static void Invalidate(ITemplateLoader loader)
    {
        ArgumentNullException.ThrowIfNull(loader);
        if (Caches.TryGetValue(loader, out var cache))
        {
            cache.Clear();
        }
    }

    /// <summary>Drops the parsed templates cached for <paramref name="loader"/> under <paramref name="name"/>.</summary>
    /// <param name="loader">The loader.</param>
    /// <param name="name">The name templates include it by.</param>
    public static void Invalidate(ITemplateLoader loader, string name)
    {
        ArgumentNullException.ThrowIfNull(loader);
        ArgumentNullException.ThrowIfNull(name);
        if (Caches.TryGetValue(loader, out var cache))
        {
            foreach (var key in cache.Keys)
            {
                if (key.Name == name || key.Name == name + ".liquid")
                {
                    cache.TryRemove(key, out _);
                }
            }
        }
    }

    /// <summary>
    /// Gets the parsed template <paramref name="name"/> of <paramref name="loader"/> for <paramref name="options"/>; with
    /// <paramref name="liquidFallback"/> a name without an extension that the loader does not know is tried with <c>.liquid</c>.
    /// Null when the loader does not have it.
    /// </summary>
    internal static Template? GetOrLoad(ITemplateLoader loader, string name, TemplateOptions options, bool liquidFallback)
    {
        var cache = Caches.GetOrCreateValue(loader);
        var fallback = liquidFallback && !Path.HasExtension(name) ? name + ".liquid" : null;
        var version = loader.GetVersion(name);
        var effective = name;
        if (version is null && fallback is not null && loader.GetVersion(fallback) is { } fallbackVersion)
        {
            version = fallbackVersion;
            effective = fallback;
        }

        var key = new Key(effective, options.Syntax, options.Scientific, options.Limits.MaxParseDepth, options.Limits.MaxSourceLength);
        if (version is not null && cache.TryGetValue(key, out var known) && known.Version == version)
        {
            return known.Template;
        }

        if (!loader.TryLoad(effective, out var source))
        {
            if (fallback is null || effective == fallback || !loader.TryLoad(fallback, out source))
            {
                return null;
            }

            effective = fallback;
            key = key with { Name = fallback };
        }

        if (version is null && cache.TryGetValue(key, out known) && known.Version is null && string.Equals(known.Source, source, StringComparison.Ordinal))
        {
            return known.Template;
        }

        var template = Template.Parse(source, options with { SourceName = effective });
        if (cache.Count >= MaxEntriesPerLoader)
        {
            cache.Clear();
        }

        cache[key] = new Entry(version, version is null ? source : null, template);
        return template;
    }

    private readonly record struct Key(string Name, TemplateSyntax Syntax, bool Scientific, int MaxParseDepth, int MaxSourceLength);

    private sealed record Entry(string? Version, string? Source, Template Template);
}
