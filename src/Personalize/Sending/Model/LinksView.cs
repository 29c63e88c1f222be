using Personalize.Channels;
using Personalize.Delivery;

namespace Personalize.Sending.Model;

/// <summary><c>links.preferences</c> and <c>links.unsubscribe</c> (null for service messages), with signed tokens, signed only when read.</summary>
internal sealed class LinksView
{
    private readonly MessageRenderer _renderer;
    private readonly DeliveryRequest _request;
    private readonly Channel _channel;
    private string? _preferences;
    private string? _unsubscribe;

    public LinksView(MessageRenderer renderer, DeliveryRequest request, Channel channel)
    {
        _renderer = renderer;
        _request = request;
        _channel = channel;
    }

    public string Preferences => _preferences ??= _renderer.Links.PreferenceCenter(_request.Customer.Id, _request.SendAt);

    public string? Unsubscribe => !MessageComposer.NeedsOptOut(_request.Purpose)
        ? null
        : _unsubscribe ??= _renderer.Links.Unsubscribe(_request.Customer.Id, _channel, _request.Purpose, _request.SendAt);
}
