namespace Personalize.Channels.Sms;

/// <summary>An SMS: the final body (with the opt-out instruction on marketing and relationship messages) and its analysis.</summary>
public sealed record SmsContent : MessageContent
{
    /// <summary>The body exactly as sent.</summary>
    public required string Body { get; init; }

    /// <summary>The encoding and segments of <see cref="Body"/>.</summary>
    public required SmsAnalysis Analysis { get; init; }
}
