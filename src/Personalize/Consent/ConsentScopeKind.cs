using Personalize.Channels;

namespace Personalize.Consent;

/// <summary>What a consent record is about.</summary>
public enum ConsentScopeKind
{
    /// <summary>A channel, for all purposes or for one purpose (email; email for marketing).</summary>
    Channel = 0,

    /// <summary>A purpose on every channel (all marketing).</summary>
    Purpose = 1,

    /// <summary>A topic subscription (weekly gardening tips).</summary>
    Topic = 2,

    /// <summary>Use of the customer's data to personalize content.</summary>
    Personalization = 3,
}
