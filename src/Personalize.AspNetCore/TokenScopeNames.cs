using System.Globalization;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Delivery.Security;

namespace Personalize.AspNetCore;

/// <summary>The token scopes of this package besides the core's (<see cref="TokenScopes"/>): topic unsubscribes and double opt-in confirmations.</summary>
internal static class TokenScopeNames
{
    public const string TopicUnsubscribePrefix = TokenScopes.TopicUnsubscribePrefix;
    public const string ConfirmPrefix = "confirm:";

    public static string TopicUnsubscribe(string topic) => TokenScopes.UnsubscribeTopic(topic);

    /// <summary><c>confirm:UNIXSECONDS:KEY</c>: the request instant (whole seconds) and the scope.</summary>
    public static string Confirm(ConsentScope scope, DateTimeOffset requestedAt)
        => ConfirmPrefix + requestedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + ":" + Key(scope);

    public static bool TryParseConfirm(string scope, out ConsentScope consentScope, out long requestedAtSeconds)
    {
        consentScope = default;
        requestedAtSeconds = 0;
        if (!scope.StartsWith(ConfirmPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = scope.AsSpan(ConfirmPrefix.Length);
        var colon = rest.IndexOf(':');
        return colon > 0
            && long.TryParse(rest[..colon], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out requestedAtSeconds)
            && TryParseKey(rest[(colon + 1)..].ToString(), out consentScope);
    }

    /// <summary>What an unsubscribe token withdraws: a channel for a purpose, or a topic.</summary>
    public static bool TryParseUnsubscribe(string scope, out ConsentScope consentScope)
    {
        consentScope = default;
        if (scope.StartsWith(TopicUnsubscribePrefix, StringComparison.Ordinal))
        {
            var topic = scope[TopicUnsubscribePrefix.Length..];
            if (topic.Length == 0 || topic.Length > ConsentScope.MaxTopicLength)
            {
                return false;
            }

            try
            {
                consentScope = ConsentScope.ForTopic(topic);
                return true;
            }
            catch (ArgumentException)
            {
                return false;
            }
        }

        if (TokenScopes.TryParseUnsubscribe(scope, out var channel, out var purpose))
        {
            consentScope = ConsentScope.ForChannel(channel, purpose);
            return true;
        }

        return false;
    }

    public static string Key(ConsentScope scope) => scope.Kind switch
    {
        ConsentScopeKind.Personalization => "personalization",
        ConsentScopeKind.Topic => "topic/" + scope.Topic,
        ConsentScopeKind.Purpose => "purpose/" + Purpose(scope.Purpose!.Value),
        _ when scope.Purpose is { } purpose => "channel/" + scope.Channel.Name + "/" + Purpose(purpose),
        _ => "channel/" + scope.Channel.Name,
    };

    private static bool TryParseKey(string key, out ConsentScope scope)
    {
        scope = default;
        var parts = key.Split('/');
        try
        {
            switch (parts)
            {
                case ["personalization"]:
                    scope = ConsentScope.Personalization;
                    return true;
                case ["topic", var topic]:
                    scope = ConsentScope.ForTopic(topic);
                    return true;
                case ["purpose", var purpose] when TryPurpose(purpose, out var p):
                    scope = ConsentScope.ForPurpose(p);
                    return true;
                case ["channel", var channel] when Channel.TryParse(channel, out var c):
                    scope = ConsentScope.ForChannel(c);
                    return true;
                case ["channel", var channel, var purpose] when Channel.TryParse(channel, out var c) && TryPurpose(purpose, out var p):
                    scope = ConsentScope.ForChannel(c, p);
                    return true;
                default:
                    return false;
            }
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string Purpose(ContactPurpose purpose) => purpose switch
    {
        ContactPurpose.Service => "service",
        ContactPurpose.Relationship => "relationship",
        _ => "marketing",
    };

    private static bool TryPurpose(string text, out ContactPurpose purpose)
    {
        switch (text)
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
                purpose = default;
                return false;
        }
    }
}
