using Personalize.Channels;

namespace Personalize.Catalog;

/// <summary>The content of a message on one channel: a reference to the template that renders it.</summary>
public sealed record MessageChannel
{
    /// <summary>Creates the content.</summary>
    /// <param name="channel">The channel.</param>
    /// <param name="template">The template name, for example <c>welcome/email</c>; rendering resolves it.</param>
    public MessageChannel(Channel channel, string template)
    {
        if (channel.IsDefault)
        {
            throw new ArgumentException("The channel must be named.", nameof(channel));
        }

        ArgumentNullException.ThrowIfNull(template);
        Channel = channel;
        Template = template;
    }

    /// <summary>The channel.</summary>
    public Channel Channel { get; }

    /// <summary>The template name.</summary>
    public string Template { get; }
}
