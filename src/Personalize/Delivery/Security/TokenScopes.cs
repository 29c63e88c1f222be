using System.Collections.Concurrent;
using System.Globalization;
using Personalize.Channels;

namespace Personalize.Delivery.Security;

/// <summary>The scopes signed tokens are issued for.</summary>
public static class TokenScopes
{
    private const int MaxCachedScopes = 1024;
    private static readonly ConcurrentDictionary<(Channel, ContactPurpose), string> Cache = new();

    /// <summary>Opens the customer's preference center.</summary>
    public const string Preferences = "preferences";

    /// <summary>Unsubscribes from a purpose on a channel, for example <c>unsubscribe:email:marketing</c>.</summary>
    /// <param name="channel">The channel.</param>
    /// <param name="purpose">The purpose.</param>
    /// <returns>The scope.</returns>
    public static string Unsubscribe(Channel channel, ContactPurpose purpose)
    {
        if (channel.IsDefault)
        {
            throw new ArgumentException("The channel must be named.", nameof(channel));
        }

        // Scopes repeat for every message on a channel: build each (channel, purpose) scope once. Channels are
        // registered names, so the table stays small; past MaxCachedScopes it stops growing and builds on demand.
        var key = (channel, purpose);
        if (Cache.TryGetValue(key, out var scope))
        {
            return scope;
        }

        scope = string.Create(CultureInfo.InvariantCulture, $"unsubscribe:{channel.Name}:{PurposeName(purpose)}");
        if (Cache.Count < MaxCachedScopes)
        {
            Cache.TryAdd(key, scope);
        }

        return scope;
    }

    /// <summary>The prefix of a topic unsubscribe scope (<c>unsubscribe-topic:gardening</c>).</summary>
    public const string TopicUnsubscribePrefix = "unsubscribe-topic:";

    /// <summary>Unsubscribes from one topic on every channel, for example <c>unsubscribe-topic:gardening</c>.</summary>
    /// <param name="topic">The topic (letters, digits, <c>_</c>, <c>-</c> or <c>.</c>; compared without case).</param>
    /// <returns>The scope.</returns>
    /// <exception cref="ArgumentException">The text is not a topic name.</exception>
    public static string UnsubscribeTopic(string topic)
        => TopicUnsubscribePrefix + Consent.ConsentScope.ForTopic(topic).Topic;

    /// <summary>The prefix of a progressive-profiling answer scope (<c>answer:QUESTION:VALUE</c>, or <c>answer:QUESTION</c> for an answer typed on the page).</summary>
    public const string AnswerPrefix = "answer:";

    /// <summary>Answers a progressive-profiling question, for example <c>answer:gardening:yes</c>.</summary>
    /// <param name="questionId">The question's id.</param>
    /// <param name="value">The answer's value, or <see langword="null"/> for an answer the customer types on the answer page.</param>
    /// <returns>The scope.</returns>
    public static string Answer(string questionId, string? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(questionId);
        return value is null ? AnswerPrefix + questionId : string.Concat(AnswerPrefix, questionId, ":", value);
    }

    /// <summary>Reads an answer scope back.</summary>
    /// <param name="scope">A scope such as <c>answer:gardening:yes</c>.</param>
    /// <param name="questionId">The question's id.</param>
    /// <param name="value">The answer's value, or <see langword="null"/> when the customer types it.</param>
    /// <returns><see langword="true"/> when the scope is an answer scope.</returns>
    public static bool TryParseAnswer(string? scope, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? questionId, out string? value)
    {
        questionId = null;
        value = null;
        if (scope is null || !scope.StartsWith(AnswerPrefix, StringComparison.Ordinal) || scope.Length == AnswerPrefix.Length)
        {
            return false;
        }

        var rest = scope[AnswerPrefix.Length..];
        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        questionId = colon < 0 ? rest : rest[..colon];
        value = colon < 0 ? null : rest[(colon + 1)..];
        if (questionId.Length == 0 || value is { Length: 0 })
        {
            questionId = null;
            value = null;
            return false;
        }

        return true;
    }

    /// <summary>Reads an unsubscribe scope back.</summary>
    /// <param name="scope">A scope such as <c>unsubscribe:email:marketing</c>.</param>
    /// <param name="channel">The channel.</param>
    /// <param name="purpose">The purpose.</param>
    /// <returns><see langword="true"/> when the scope is an unsubscribe scope.</returns>
    public static bool TryParseUnsubscribe(string? scope, out Channel channel, out ContactPurpose purpose)
    {
        channel = default;
        purpose = default;
        var parts = scope?.Split(':');
        if (parts is not { Length: 3 } || parts[0] != "unsubscribe" || !Channel.TryParse(parts[1], out channel))
        {
            return false;
        }

        switch (parts[2])
        {
            case "marketing":
                purpose = ContactPurpose.Marketing;
                return true;
            case "service":
                purpose = ContactPurpose.Service;
                return true;
            case "relationship":
                purpose = ContactPurpose.Relationship;
                return true;
            default:
                channel = default;
                return false;
        }
    }

    private static string PurposeName(ContactPurpose purpose) => purpose switch
    {
        ContactPurpose.Marketing => "marketing",
        ContactPurpose.Service => "service",
        ContactPurpose.Relationship => "relationship",
        _ => throw new ArgumentOutOfRangeException(nameof(purpose), purpose, "Not a ContactPurpose."),
    };
}
