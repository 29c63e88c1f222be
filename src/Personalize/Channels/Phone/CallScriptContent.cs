namespace Personalize.Channels.Phone;

/// <summary>A call script for an agent: the greeting, the talking points and the one question to ask.</summary>
public sealed record CallScriptContent : MessageContent
{
    /// <summary>The greeting, for example <c>Hello Ada, this is Sam from Example Garden Co.</c></summary>
    public required string Greeting { get; init; }

    /// <summary>The talking points, in order.</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<string> TalkingPoints { get; init; } = [];

    /// <summary>The one question to ask (progressive profiling), if any.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Question { get; init; }
}
