using Personalize.Catalog;
using Personalize.Channels;

namespace Personalize.Sending.Model;

/// <summary><c>message.*</c>: id, purpose, kind, topics, description, channel, trigger, send_at.</summary>
internal sealed class MessageView
{
    private readonly MessageDefinition _message;

    public MessageView(MessageDefinition message, Channel channel, string trigger, DateTimeOffset sendAt)
    {
        _message = message;
        ChannelValue = channel;
        Trigger = trigger;
        SendAt = sendAt;
    }

    public string Id => _message.Id;

    public string Purpose => Delivery.Sinks.OutboxJson.PurposeName(_message.Purpose);

    public string Kind => _message.Kind == MessageKind.Ask ? "ask" : "give";

    public IReadOnlyList<string> Topics => _message.Topics;

    public string? Description => _message.Description;

    public string Channel => ChannelValue.Name ?? string.Empty;

    public string Trigger { get; }

    public DateTimeOffset SendAt { get; }

    internal Channel ChannelValue { get; }
}
