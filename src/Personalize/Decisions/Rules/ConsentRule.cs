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
        var blocked = RuleResult.Pass;
        if (!Channel(context, channel, message.Purpose, scopes, context.At, ref blocked) || !LaterRecords(context, sendAt))
        {
            return blocked;
        }

        var topics = new List<ConsentScope>(message.Topics.Count);
        foreach (var topic in message.Topics)
        {
            if (ConsentScope.TryNormalizeTopic(topic, out var normalized))
            {
                topics.Add(ConsentScope.ForTopic(normalized));
            }
        }

        Throughout(context, channel, message.Purpose, scopes, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(topics), sendAt, ref blocked);
        return blocked;
    }

    /// <summary>
    /// The engine's fast path: the compiled message and the index of the channel in its contents; whether consent
    /// holds, with the blocking result written to <paramref name="blocked"/> only when it does not (a pass, the
    /// common answer, copies no result). Not inlined: the ledger lookups' locals would otherwise make the engine's
    /// channel try a frame to zero on every try.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    internal bool Passes(DecisionContext context, CompiledMessage message, int contentIndex, DateTimeOffset sendAt, ref RuleResult blocked)
    {
        var channel = message.ChannelDefinitions[contentIndex];
        ref readonly var scopes = ref message.ConsentScopes[contentIndex];
        return Channel(context, channel, message.Purpose, scopes, context.At, ref blocked)
            && (!LaterRecords(context, sendAt) || Throughout(context, channel, message.Purpose, scopes, message.TopicScopes, sendAt, ref blocked));
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
    private static bool Throughout(DecisionContext context, ChannelDefinition channel, ContactPurpose purpose, in CompiledMessage.ChannelScopes scopes, ReadOnlySpan<ConsentScope> topics, DateTimeOffset sendAt, ref RuleResult blocked)
    {
        var ledger = context.Customer.Consents;
        var until = sendAt.UtcTicks;
        for (var t = ledger.NextRecordInstant(context.At.UtcTicks); ; t = ledger.NextRecordInstant(t))
        {
            var instant = new DateTimeOffset(Math.Min(t, until), TimeSpan.Zero);
            if (!Channel(context, channel, purpose, scopes, instant, ref blocked) || !TopicsAt(context, topics, instant, ref blocked))
            {
                return false;
            }

            if (t >= until)
            {
                return true;
            }
        }
    }

    /// <summary>
    /// The channel's consent at an instant: at the decision instant judged each time (a decision seldom asks one
    /// channel and purpose twice, so remembering the answer costs more than it saves); at a later instant (a
    /// deferral's, which channels share) cached per channel, purpose and instant for the decision.
    /// </summary>
    private static bool Channel(DecisionContext context, ChannelDefinition channel, ContactPurpose purpose, in CompiledMessage.ChannelScopes scopes, DateTimeOffset at, ref RuleResult blocked)
    {
        if (at == context.At)
        {
            return Judge(context, channel, purpose, scopes, at, ref blocked);
        }

        var key = at.UtcTicks;
        ref readonly var cached = ref context.Cached(CacheKind, channel, (int)purpose, key);
        if (!System.Runtime.CompilerServices.Unsafe.IsNullRef(in cached))
        {
            return RuleResult.PassesOrKeep(cached, ref blocked);
        }

        var outcome = RuleResult.Pass;
        var passed = Judge(context, channel, purpose, scopes, at, ref outcome);
        context.Cache(CacheKind, channel, (int)purpose, key, outcome);
        return passed || RuleResult.PassesOrKeep(outcome, ref blocked);
    }

    private static bool Judge(DecisionContext context, ChannelDefinition channel, ContactPurpose purpose, in CompiledMessage.ChannelScopes scopes, DateTimeOffset at, ref RuleResult blocked)
    {
        var code = context.Eligibility.ConsentCode(context.Customer, channel, purpose, scopes.ChannelForPurpose, scopes.Channel, at.UtcTicks, out var evidence);
        if (code == EligibilityCodes.Allowed)
        {
            return true;
        }

        blocked = new RuleResult(code, null, null, evidence, instant: at);
        return false;
    }

    /// <summary>After the decision instant, with records dated after it: a topic withdrawn by then blocks.</summary>
    private static bool TopicsAt(DecisionContext context, ReadOnlySpan<ConsentScope> scopes, DateTimeOffset sendAt, ref RuleResult blocked)
    {
        var ledger = context.Customer.Consents;
        var expiry = context.Eligibility.PendingExpiryTicks;
        foreach (var scope in scopes)
        {
            var state = ledger.StateAt(scope, sendAt.UtcTicks, expiry);
            if (state.Status == ConsentStatus.Withdrawn)
            {
                blocked = new RuleResult(EligibilityCodes.TopicWithdrawn, null, null, state.Record, instant: sendAt);
                return false;
            }
        }

        return true;
    }
}
