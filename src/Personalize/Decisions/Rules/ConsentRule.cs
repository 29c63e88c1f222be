using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Eligibility;

namespace Personalize.Decisions.Rules;

/// <summary>
/// Rule 2, consent (<c>consent</c>): the channel is registered, the customer has the contact point it needs, and
/// consent holds as <see cref="Eligibility.ContactEligibility.CheckConsent"/> decides — marketing and relationship
/// need an opt-in, service only that the channel (or purpose) was not withdrawn, a pending double opt-in is not
/// consent — at the decision instant and at every instant up to the send instant, each judged with the evidence dated
/// by then (a grant dated after the decision does not count; a withdrawal dated between the decision and a deferred
/// send instant stops the send, even if consent is given again before it). Codes are those of <see cref="Eligibility.EligibilityCodes"/>. Topics are the
/// <see cref="TopicRule"/>'s business at the decision instant; a topic withdrawn before a deferred send instant blocks here
/// (<c>consent.topic_withdrawn</c>).
/// </summary>
internal sealed class ConsentRule : IChannelRule
{
    private const int CacheKind = 1;

    internal ConsentRule()
    {
    }

    /// <inheritdoc />
    public string Name => "consent";

    /// <inheritdoc />
    public string Description => "The channel's opt-in holds from the decision to the send instant and a contact point exists; service needs only that the channel was not withdrawn.";

    /// <inheritdoc />
    public RuleResult Evaluate(DecisionContext context, MessageDefinition message, ChannelDefinition channel, DateTimeOffset sendAt)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(channel);
        var scopes = new CompiledMessage.ChannelScopes(ConsentScope.ForChannel(channel.Channel, message.Purpose), ConsentScope.ForChannel(channel.Channel));
        var outcome = Channel(context, channel, message.Purpose, scopes, context.At);
        if (!outcome.Passed || !LaterRecords(context, sendAt))
        {
            return outcome;
        }

        var topics = new List<ConsentScope>(message.Topics.Count);
        foreach (var topic in message.Topics)
        {
            if (ConsentScope.TryNormalizeTopic(topic, out var normalized))
            {
                topics.Add(ConsentScope.ForTopic(normalized));
            }
        }

        return Throughout(context, channel, message.Purpose, scopes, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(topics), sendAt);
    }

    /// <summary>
    /// The engine's fast path: the compiled message and the index of the channel in its contents. Not inlined: the
    /// ledger lookups' locals would otherwise make the engine's channel try a frame to zero on every try.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    internal RuleResult EvaluateCompiled(DecisionContext context, CompiledMessage message, int contentIndex, DateTimeOffset sendAt)
    {
        var channel = message.ChannelDefinitions[contentIndex];
        var scopes = message.ConsentScopes[contentIndex];
        var outcome = Channel(context, channel, message.Purpose, scopes, context.At);
        return !outcome.Passed || !LaterRecords(context, sendAt)
            ? outcome
            : Throughout(context, channel, message.Purpose, scopes, message.TopicScopes, sendAt);
    }

    /// <summary>
    /// Whether the ledger has no record dated after the decision: then the rule's answer at any later send instant is
    /// its answer at the decision instant (a channel that passed then passes at every deferral).
    /// </summary>
    internal static bool HoldsLater(DecisionContext context) => context.Customer.Consents.SettledAt <= context.At.UtcTicks;

    /// <summary>Whether <paramref name="sendAt"/> is later than the decision instant and the ledger has records dated after the decision.</summary>
    private static bool LaterRecords(DecisionContext context, DateTimeOffset sendAt)
        => sendAt > context.At && context.Customer.Consents.SettledAt > context.At.UtcTicks;

    /// <summary>
    /// Consent holds at every instant from the decision to the send: checked at each instant a record takes effect in
    /// between and at the send instant (a withdrawal in between stops the send even if consent is given again before it).
    /// </summary>
    private static RuleResult Throughout(DecisionContext context, ChannelDefinition channel, ContactPurpose purpose, CompiledMessage.ChannelScopes scopes, ReadOnlySpan<ConsentScope> topics, DateTimeOffset sendAt)
    {
        var ledger = context.Customer.Consents;
        var until = sendAt.UtcTicks;
        for (var t = ledger.NextRecordInstant(context.At.UtcTicks); ; t = ledger.NextRecordInstant(t))
        {
            var instant = new DateTimeOffset(Math.Min(t, until), TimeSpan.Zero);
            var outcome = Channel(context, channel, purpose, scopes, instant);
            if (outcome.Passed)
            {
                outcome = TopicsAt(context, topics, instant);
            }

            if (!outcome.Passed || t >= until)
            {
                return outcome;
            }
        }
    }

    /// <summary>
    /// The channel's consent at an instant: at the decision instant judged each time (a decision seldom asks one
    /// channel and purpose twice, so remembering the answer costs more than it saves); at a later instant (a
    /// deferral's, which channels share) cached per channel, purpose and instant for the decision.
    /// </summary>
    private static RuleResult Channel(DecisionContext context, ChannelDefinition channel, ContactPurpose purpose, CompiledMessage.ChannelScopes scopes, DateTimeOffset at)
    {
        if (at == context.At)
        {
            return Judge(context, channel, purpose, scopes, at);
        }

        var key = at.UtcTicks;
        if (context.TryGetCached(CacheKind, channel, (int)purpose, key, out var cached))
        {
            return cached;
        }

        var outcome = Judge(context, channel, purpose, scopes, at);
        context.Cache(CacheKind, channel, (int)purpose, key, outcome);
        return outcome;
    }

    private static RuleResult Judge(DecisionContext context, ChannelDefinition channel, ContactPurpose purpose, CompiledMessage.ChannelScopes scopes, DateTimeOffset at)
    {
        var code = context.Eligibility.ConsentCode(context.Customer, channel, purpose, scopes.ChannelForPurpose, scopes.Channel, at.UtcTicks, out var evidence);
        return code == EligibilityCodes.Allowed ? RuleResult.Pass : new RuleResult(code, null, null, evidence, instant: at);
    }

    /// <summary>After the decision instant, with records dated after it: a topic withdrawn by then blocks.</summary>
    private static RuleResult TopicsAt(DecisionContext context, ReadOnlySpan<ConsentScope> scopes, DateTimeOffset sendAt)
    {
        var ledger = context.Customer.Consents;
        var expiry = context.Eligibility.PendingExpiryTicks;
        foreach (var scope in scopes)
        {
            var state = ledger.StateAt(scope, sendAt.UtcTicks, expiry);
            if (state.Status == ConsentStatus.Withdrawn)
            {
                return new RuleResult(EligibilityCodes.TopicWithdrawn, null, null, state.Record, instant: sendAt);
            }
        }

        return RuleResult.Pass;
    }
}
