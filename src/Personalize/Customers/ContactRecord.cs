using Personalize.Channels;

namespace Personalize.Customers;

/// <summary>One message sent to a customer: which, on which channel, for what purpose, give or ask, and when.</summary>
public sealed record ContactRecord
{
    private readonly DateTimeOffset _sentAt;

    /// <summary>The message id (from the host's catalog).</summary>
    public required string MessageId { get; init; }

    /// <summary>The channel it was sent on.</summary>
    public required Channel Channel { get; init; }

    /// <summary>The purpose it was sent for.</summary>
    public required ContactPurpose Purpose { get; init; }

    /// <summary>Give or ask.</summary>
    public required MessageKind Kind { get; init; }

    /// <summary>When it was sent, stored in UTC.</summary>
    public required DateTimeOffset SentAt
    {
        get => _sentAt;
        init => _sentAt = value.ToUniversalTime();
    }
}
