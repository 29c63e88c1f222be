using Personalize.Catalog;
using Personalize.Consent;

namespace Personalize.Decisions.Rules;

/// <summary>
/// Rule 3, topics and relevance (<c>topics</c>): a message on a topic the customer unsubscribed from never goes
/// (<c>topic.unsubscribed</c>), whatever its purpose — a service message too (see
/// <c>docs/decisions/0021-topic-unsubscribe-stops-service-messages.md</c>; leave topics off a notice that must always
/// reach the customer); with <see cref="DecisionOptions.RequireTopicMatch"/>, a promotional (marketing or relationship)
/// message with topics needs at least one the customer subscribed to (<c>topic.not_relevant</c>). Topic consent is
/// judged at the decision instant. Relevance for arbitration is the share of the message's topics the customer
/// subscribed to (see <see cref="DecisionEngine"/>).
/// </summary>
internal sealed class TopicRule : IMessageRule
{
    private readonly bool _requireMatch;

    internal TopicRule(DecisionOptions options) => _requireMatch = options.RequireTopicMatch;

    /// <inheritdoc />
    public string Name => "topics";

    /// <inheritdoc />
    public string Description => "No message goes on a topic the customer unsubscribed from; a promotional message needs a topic they subscribed to.";

    /// <inheritdoc />
    public RuleResult Evaluate(DecisionContext context, MessageDefinition message)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(message);
        return Evaluate(context, new CompiledMessage(message, -1, context.Eligibility.Channels));
    }

    /// <summary>The engine's fast path: the compiled message (normalized topics); whether the message may go, with the blocking result in <paramref name="blocked"/> when not.</summary>
    internal bool Passes(DecisionContext context, CompiledMessage message, ref RuleResult blocked)
        => message.TopicScopes.Length == 0 || RuleResult.PassesOrKeep(Evaluate(context, message), ref blocked);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private RuleResult Evaluate(DecisionContext context, CompiledMessage message)
    {
        if (message.TopicScopes.Length == 0)
        {
            return RuleResult.Pass;
        }

        var ledger = context.Customer.Consents;
        var at = context.At.UtcTicks;
        var expiry = context.Eligibility.PendingExpiryTicks;
        if (context.Topics.AnyWithdrawn(ledger, message, at, expiry))
        {
            foreach (var scope in message.TopicScopes)
            {
                var state = ledger.StateAt(scope, at, expiry);
                if (state.Status == ConsentStatus.Withdrawn)
                {
                    return new RuleResult(DecisionCodes.TopicUnsubscribed, null, null, state.Record);
                }
            }
        }

        if (message.Purpose == ContactPurpose.Service)
        {
            return RuleResult.Pass; // a service message needs no subscribed topic
        }

        var matched = _requireMatch ? context.Topics.Matched(ledger, message, at, expiry) : 1;
        return _requireMatch && matched == 0
            ? new RuleResult(DecisionCodes.NotRelevant, null, null)
            : RuleResult.Pass;
    }
}
