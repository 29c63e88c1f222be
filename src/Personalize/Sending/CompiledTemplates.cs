using System.Diagnostics.CodeAnalysis;

namespace Personalize.Sending;

/// <summary>
/// Every content template a catalog references, parsed once (see <see cref="MessageTemplates.Compile"/>). Thread-safe;
/// rendering never parses again.
/// </summary>
public sealed class CompiledTemplates
{
    private readonly Dictionary<string, ChannelTemplate> _templates;

    internal CompiledTemplates(Dictionary<string, ChannelTemplate> templates, IReadOnlyList<MessageTemplateDiagnostic> diagnostics)
    {
        _templates = templates;
        Diagnostics = diagnostics;
    }

    /// <summary>Gets every problem found (empty when all templates are present and parse).</summary>
    public IReadOnlyList<MessageTemplateDiagnostic> Diagnostics { get; }

    /// <summary>Gets whether any problem was found.</summary>
    public bool HasErrors => Diagnostics.Count > 0;

    /// <summary>Gets the number of compiled references.</summary>
    public int Count => _templates.Count;

    /// <summary>Gets the compiled references.</summary>
    public IReadOnlyCollection<ChannelTemplate> Templates => _templates.Values;

    /// <summary>Gets the compiled parts of a reference.</summary>
    /// <param name="reference">The reference, for example <c>welcome/email</c>.</param>
    /// <param name="template">The compiled parts when every part compiled.</param>
    /// <returns><see langword="false"/> when the reference is unknown or has errors.</returns>
    public bool TryGet(string reference, [NotNullWhen(true)] out ChannelTemplate? template)
        => _templates.TryGetValue(reference, out template);

    /// <summary>Throws when any template is missing or does not parse.</summary>
    /// <exception cref="MessageTemplateException">Lists every problem.</exception>
    public void ThrowIfErrors()
    {
        if (HasErrors)
        {
            throw new MessageTemplateException(Diagnostics);
        }
    }
}
