using Personalize.Channels;

namespace Personalize.Catalog;

/// <summary>What a catalog is validated against: the registered channels, and optionally the known topics and template names.</summary>
public sealed record CatalogValidationOptions
{
    /// <summary>The registered channels; a message channel not in it is an error.</summary>
    /// <value>The default value is <see cref="ChannelRegistry.Default"/>.</value>
    public ChannelRegistry Channels { get; init; } = ChannelRegistry.Default;

    /// <summary>The topics the host knows (for example the preference center's list); a message topic not in it is an error.</summary>
    /// <value>The default value is <see langword="null"/> (any well-formed topic).</value>
    public IReadOnlyCollection<string>? KnownTopics { get; init; }

    /// <summary>The template names that exist; a content reference to another name is an error.</summary>
    /// <value>The default value is <see langword="null"/> (template references are not checked).</value>
    public IReadOnlyCollection<string>? TemplateNames { get; init; }
}
