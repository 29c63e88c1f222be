using Personalize.Delivery;

namespace Personalize.Channels.Push;

/// <summary>A push notification: title, body, deep link and data for the app, and the device tokens it goes to.</summary>
public sealed record PushContent : MessageContent
{
    /// <summary>The title.</summary>
    public required string Title { get; init; }

    /// <summary>The body text.</summary>
    public required string Body { get; init; }

    /// <summary>The deep link opened on tap, for example <c>myapp://orders/42</c>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? DeepLink { get; init; }

    /// <summary>Key-value data for the app.</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyDictionary<string, string> Data { get; init; } = EmptyData;

    /// <summary>The device tokens; <see cref="MessageComposer.Push"/> fills them from the customer's contact points.</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<string> DeviceTokens { get; init; } = [];

    internal static IReadOnlyDictionary<string, string> EmptyData { get; } = new Dictionary<string, string>();
}
