namespace Personalize.Channels;

/// <summary>The content of a message on a host channel (for example WhatsApp): one text body.</summary>
public sealed record TextContent : MessageContent
{
    /// <summary>Gets the body.</summary>
    public required string Body { get; init; }
}
