using Personalize.Channels;

namespace Personalize.Consent;

/// <summary>
/// What a consent record is about: a channel (optionally for one purpose), a purpose on every channel,
/// a topic, or personalization. Topics are normalized to lower case.
/// </summary>
public readonly record struct ConsentScope
{
    /// <summary>The longest topic name accepted.</summary>
    public const int MaxTopicLength = 64;

    // The hash is computed once, here: scopes are dictionary keys of every consent ledger and are looked up for
    // every candidate and channel of a decision.
    private readonly int _hash;

    private ConsentScope(ConsentScopeKind kind, Channel channel, ContactPurpose? purpose, string? topic)
    {
        Kind = kind;
        Channel = channel;
        Purpose = purpose;
        Topic = topic;
        _hash = HashCode.Combine(kind, channel, purpose, topic);
    }

    /// <summary>What the scope is about.</summary>
    public ConsentScopeKind Kind { get; }

    /// <summary>The channel for <see cref="ConsentScopeKind.Channel"/> scopes; <c>default</c> otherwise.</summary>
    public Channel Channel { get; }

    /// <summary>The purpose for purpose scopes and purpose-specific channel scopes; <see langword="null"/> otherwise.</summary>
    public ContactPurpose? Purpose { get; }

    /// <summary>The normalized topic for topic scopes; <see langword="null"/> otherwise.</summary>
    public string? Topic { get; }

    /// <summary>Consent to personalization: use of the customer's data in content.</summary>
    public static ConsentScope Personalization { get; } = new(ConsentScopeKind.Personalization, default, null, null);

    /// <summary>A channel for every purpose.</summary>
    /// <param name="channel">The channel.</param>
    /// <returns>The scope.</returns>
    public static ConsentScope ForChannel(Channel channel)
    {
        ThrowIfDefault(channel);
        return new(ConsentScopeKind.Channel, channel, null, null);
    }

    /// <summary>A channel for one purpose (email for marketing).</summary>
    /// <param name="channel">The channel.</param>
    /// <param name="purpose">The purpose.</param>
    /// <returns>The scope.</returns>
    public static ConsentScope ForChannel(Channel channel, ContactPurpose purpose)
    {
        ThrowIfDefault(channel);
        return new(ConsentScopeKind.Channel, channel, purpose, null);
    }

    /// <summary>A purpose on every channel (all marketing).</summary>
    /// <param name="purpose">The purpose.</param>
    /// <returns>The scope.</returns>
    public static ConsentScope ForPurpose(ContactPurpose purpose) => new(ConsentScopeKind.Purpose, default, purpose, null);

    /// <summary>A topic subscription.</summary>
    /// <param name="topic">The topic, for example <c>gardening</c>; letters, digits, <c>_</c>, <c>-</c> and <c>.</c>.</param>
    /// <returns>The scope.</returns>
    /// <exception cref="ArgumentException">The topic is empty, too long or has other characters.</exception>
    public static ConsentScope ForTopic(string topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        if (!TryNormalizeTopic(topic, out var normalized))
        {
            throw new ArgumentException($"'{topic}' is not a topic name: use 1 to {MaxTopicLength} letters, digits, '_', '-' or '.'.", nameof(topic));
        }

        return new(ConsentScopeKind.Topic, default, null, normalized);
    }

    /// <summary>Whether two scopes are about the same thing (kind, channel, purpose and topic).</summary>
    /// <param name="other">The other scope.</param>
    /// <returns><see langword="true"/> when equal.</returns>
    public bool Equals(ConsentScope other)
        => _hash == other._hash
           && Kind == other.Kind
           && Purpose == other.Purpose
           && Channel == other.Channel
           && string.Equals(Topic, other.Topic, StringComparison.Ordinal);

    /// <summary>The hash code (computed once, when the scope is made).</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => _hash;

    /// <summary>Describes the scope in words, for example <c>email for marketing</c> or <c>topic gardening</c>.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => Kind switch
    {
        ConsentScopeKind.Channel when Purpose is { } p => $"{Channel} for {p.ToString().ToLowerInvariant()}",
        ConsentScopeKind.Channel => Channel.ToString(),
        ConsentScopeKind.Purpose => $"all {Purpose.GetValueOrDefault().ToString().ToLowerInvariant()}",
        ConsentScopeKind.Topic => $"topic {Topic}",
        _ => "personalization",
    };

    internal static bool TryNormalizeTopic(string topic, out string normalized)
    {
        var span = topic.AsSpan().Trim();
        normalized = string.Empty;
        if (span.Length is 0 or > MaxTopicLength)
        {
            return false;
        }

        var lower = true;
        foreach (var c in span)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            {
                return false;
            }

            lower &= !char.IsAsciiLetterUpper(c);
        }

        // Already normalized (the common case on the per-check path): no allocation.
        normalized = lower && span.Length == topic.Length ? topic : span.ToString().ToLowerInvariant();
        return true;
    }

    private static void ThrowIfDefault(Channel channel)
    {
        if (channel.IsDefault)
        {
            throw new ArgumentException("The channel must be named.", nameof(channel));
        }
    }
}
