using Personalize.Channels;
using Personalize.Delivery;
using Personalize.Templates;

namespace Personalize.Sending.Model;

/// <summary>
/// <c>links.preferences</c>, <c>links.unsubscribe</c> (null for service messages) and <c>links.unsubscribe_topic</c>
/// (the message's first topic; null for service messages and messages without a topic), with signed tokens, signed
/// only when read. A plain output of a link into the UTF-8 render (<c>{{ links.unsubscribe }}</c>) is signed on the stack
/// and written as bytes, no string made (<see cref="IUtf8TemplateMembers"/>); any other read gets the string.
/// </summary>
internal sealed class LinksView : IUtf8TemplateMembers
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

    /// <inheritdoc />
    public int WriteUtf8Member(string name, Span<byte> destination)
    {
        switch (name)
        {
            case "preferences":
                return _preferences is { } preferences
                    ? Utf8(preferences, destination)
                    : _renderer.Links.WritePreferenceCenter(_request.Customer.Id, _request.SendAt, destination);
            case "unsubscribe":
                if (!MessageComposer.NeedsOptOut(_request.Purpose))
                {
                    return 0;
                }

                return _unsubscribe is { } unsubscribe
                    ? Utf8(unsubscribe, destination)
                    : _renderer.Links.WriteUnsubscribe(_request.Customer.Id, _channel, _request.Purpose, _request.SendAt, destination);
            default:
                // unsubscribe_topic (rare) and anything else: read as a string.
                return -1;
        }
    }

    private static int Utf8(string text, Span<byte> destination)
    {
        var length = System.Text.Encoding.UTF8.GetByteCount(text);
        if (length <= destination.Length)
        {
            System.Text.Encoding.UTF8.GetBytes(text, destination);
        }

        return length;
    }
}
