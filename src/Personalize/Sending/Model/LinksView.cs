using Personalize.Channels;
using Personalize.Delivery;

namespace Personalize.Sending.Model;

/// <summary>
/// <c>links.preferences</c>, <c>links.unsubscribe</c> (null for service messages) and <c>links.unsubscribe_topic</c>
/// (the message's first topic; null for service messages and messages without a topic), with signed tokens, signed
/// only when read.
/// </summary>
internal sealed class LinksView
{
    private readonly MessageRenderer _renderer;
    private readonly DeliveryRequest _request;
    private readonly Channel _channel;
    private string? _preferences;
    private readonly string? _topic;
    private string? _unsubscribe;
    private string? _unsubscribeTopic;

    public LinksView(MessageRenderer renderer, DeliveryRequest request, Channel channel, string? topic)
    {
        _renderer = renderer;
        _request = request;
        _channel = channel;
        _topic = topic;
    }

    public string Preferences => _preferences ??= _renderer.Links.PreferenceCenter(_request.Customer.Id, _request.SendAt);

    public string? Unsubscribe => !MessageComposer.NeedsOptOut(_request.Purpose)
        ? null
        : _unsubscribe ??= _renderer.Links.Unsubscribe(_request.Customer.Id, _channel, _request.Purpose, _request.SendAt);

    public string? UnsubscribeTopic => _topic is null || !MessageComposer.NeedsOptOut(_request.Purpose)
        ? null
        : _unsubscribeTopic ??= _renderer.Links.TopicUnsubscribe(_request.Customer.Id, _topic, _request.SendAt);
}
