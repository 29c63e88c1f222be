using Personalize.Catalog;
using Personalize.Eligibility;

namespace Personalize.Decisions.Rules;

/// <summary>
/// Rule 2, consent (<c>consent</c>): at the send instant the channel is registered, the customer has the contact
/// point it needs, and consent holds as <see cref="Eligibility.ContactEligibility.CheckConsent"/> decides —
/// marketing and relationship need an opt-in, service only that the channel (or purpose) was not withdrawn, a
/// pending double opt-in is not consent. Codes are those of <see cref="Eligibility.EligibilityCodes"/>.
/// Topics are the <see cref="TopicRule"/>'s business.
/// </summary>
public sealed class ConsentRule : IChannelRule
{
    private const int CacheKind = 1;

    internal ConsentRule()
    {
    }

    /// <inheritdoc />
    public string Name => "consent";

    /// <inheritdoc />
    public string Description => "The channel's opt-in is valid at the send instant and a contact point exists; service needs only that the channel was not withdrawn.";

    /// <inheritdoc />
    public RuleResult Evaluate(DecisionContext context, MessageDefinition message, ChannelDefinition channel, DateTimeOffset sendAt)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(channel);
        // Consent is the ledger's current state, the same for every send instant: evaluate once per channel and purpose per decision.
        if (context.TryGetCached(CacheKind, channel, (int)message.Purpose, 0, out var cached))
        {
            return cached;
        }

        var result = context.Eligibility.CheckConsent(context.Customer, channel.Channel, message.Purpose, sendAt);
        var outcome = result.Allowed ? RuleResult.Pass : new RuleResult(result.Code, null, null, result.Evidence, instant: sendAt);
        context.Cache(CacheKind, channel, (int)message.Purpose, 0, outcome);
        return outcome;
    }

    /// <summary>The engine's fast path: the compiled message and the index of the channel in its contents.</summary>
    internal RuleResult EvaluateCompiled(DecisionContext context, CompiledMessage message, int contentIndex, DateTimeOffset sendAt)
    {
        var channel = message.ChannelDefinitions[contentIndex];
        if (context.TryGetCached(CacheKind, channel, (int)message.Purpose, 0, out var cached))
        {
            return cached;
        }

        var scopes = message.ConsentScopes[contentIndex];
        var code = context.Eligibility.ConsentCode(context.Customer, channel, message.Purpose, scopes.ChannelForPurpose, scopes.Channel, out var evidence);
        var outcome = code == EligibilityCodes.Allowed ? RuleResult.Pass : new RuleResult(code, null, null, evidence, instant: sendAt);
        context.Cache(CacheKind, channel, (int)message.Purpose, 0, outcome);
        return outcome;
    }
}
