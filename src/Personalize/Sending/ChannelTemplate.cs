using System.Diagnostics.CodeAnalysis;
using Personalize.Channels;
using Personalize.Templates;

namespace Personalize.Sending;

/// <summary>The compiled parts of one channel content reference (for example <c>welcome/email</c>: subject, preheader, HTML, text).</summary>
public sealed class ChannelTemplate
{
    private readonly TemplatePart[] _names;

    internal ChannelTemplate(string reference, Channel channel, ContentShape shape, Template?[] parts)
    {
        Reference = reference;
        Channel = channel;
        Shape = shape;
        Parts = parts;
        _names = ContentShapes.PartsOf(shape);
    }

    /// <summary>Gets the reference the catalog uses.</summary>
    public string Reference { get; }

    /// <summary>Gets the channel the content is for.</summary>
    public Channel Channel { get; }

    /// <summary>Gets the names of the parts present (for example <c>subject</c>, <c>text</c>).</summary>
    public IReadOnlyList<string> PartNames
    {
        get
        {
            var names = new List<string>(Parts.Length);
            for (var i = 0; i < Parts.Length; i++)
            {
                if (Parts[i] is not null)
                {
                    names.Add(_names[i].Name);
                }
            }

            return names;
        }
    }

    internal ContentShape Shape { get; }

    internal Template?[] Parts { get; }

    /// <summary>Gets one compiled part.</summary>
    /// <param name="part">The part name (for example <c>subject</c>).</param>
    /// <param name="template">The template when present.</param>
    /// <returns><see langword="false"/> when the content has no such part.</returns>
    public bool TryGetPart(string part, [NotNullWhen(true)] out Template? template)
    {
        for (var i = 0; i < _names.Length; i++)
        {
            if (string.Equals(_names[i].Name, part, StringComparison.Ordinal))
            {
                template = Parts[i];
                return template is not null;
            }
        }

        template = null;
        return false;
    }
}
