namespace Personalize.Channels.InApp;

/// <summary>A message shown inside the host's app or website: title, body and an optional action.</summary>
public sealed record InAppContent : MessageContent
{
    /// <summary>The title.</summary>
    public required string Title { get; init; }

    /// <summary>The body text.</summary>
    public required string Body { get; init; }

    /// <summary>The label of the action button, for example <c>See my offer</c>.</summary>
    /// <value>The default value is <see langword="null"/> (no action).</value>
    public string? ActionLabel { get; init; }

    /// <summary>Where the action leads (a URL or an in-app route).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? ActionUrl { get; init; }
}
