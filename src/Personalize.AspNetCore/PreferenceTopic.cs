using Personalize.Customers;

namespace Personalize.AspNetCore;

/// <summary>A topic the preference center offers, with its label in each language.</summary>
public sealed class PreferenceTopic
{
    private readonly Dictionary<string, string> _labels = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates a topic.</summary>
    /// <param name="name">The topic name as messages carry it, for example <c>gardening</c>.</param>
    /// <param name="label">The label in the default language, for example <c>Weekly gardening tips</c>.</param>
    /// <exception cref="ArgumentException">The name or label is blank.</exception>
    public PreferenceTopic(string name, string label)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        Name = name.Trim().ToLowerInvariant();
        Label = label;
    }

    /// <summary>The topic name (lower case).</summary>
    public string Name { get; }

    /// <summary>The label in the default language.</summary>
    public string Label { get; }

    /// <summary>Labels in other languages, by language code (<c>de</c>, <c>de-AT</c>).</summary>
    /// <value>The default value is empty.</value>
    public IDictionary<string, string> Labels => _labels;

    /// <summary>The label for a language: the exact code, then its neutral language, then <see cref="Label"/>.</summary>
    /// <param name="language">The language code.</param>
    /// <returns>The label.</returns>
    public string LabelFor(string language) => LanguageFallback.TryFind(_labels, language, out var label) ? label : Label;
}
