using Personalize.Catalog;
using Personalize.Consent;

namespace Personalize.Decisions.Rules;

/// <summary>
/// Rule 3, topics and relevance (<c>topics</c>): a promotional (marketing or relationship) message on a topic the
/// customer unsubscribed from never goes (<c>topic.unsubscribed</c>); with <see cref="DecisionOptions.RequireTopicMatch"/>,
/// a promotional message with topics needs at least one the customer subscribed to (<c>topic.not_relevant</c>).
/// Service messages are not limited by topics. Relevance for arbitration is the share of the message's topics the
/// customer subscribed to (see <see cref="DecisionEngine"/>).
/// </summary>
public sealed class TopicRule : IMessageRule
{
    private readonly bool _requireMatch;

    internal TopicRule(DecisionOptions options) => _requireMatch = options.RequireTopicMatch;

    /// <inheritdoc />
    public string Name => "topics";

    /// <inheritdoc />
    public string Description => "A promotional message never goes on a topic the customer unsubscribed from, and needs a topic they subscribed to.";

    /// <inheritdoc />
    public RuleResult Evaluate(DecisionContext context, MessageDefinition message)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(message);
        return Evaluate(context, new CompiledMessage(message, -1, context.Eligibility.Channels));
    }

    /// <summary>The engine's fast path: the compiled message (normalized topics, hashed id).</summary>
    internal RuleResult EvaluateCompiled(DecisionContext context, CompiledMessage message) => Evaluate(context, message);

    private RuleResult Evaluate(DecisionContext context, CompiledMessage message)
    {
        if (message.Purpose == ContactPurpose.Service || message.TopicScopes.Length == 0)
        {
            return RuleResult.Pass;
        }

        var ledger = context.Customer.Consents;
        if (context.Topics.AnyWithdrawn(ledger, message))
        {
            foreach (var scope in message.TopicScopes)
            {
                var state = ledger.GetState(scope);
                if (state.Status == ConsentStatus.Withdrawn)
                {
                    return new RuleResult(DecisionCodes.TopicUnsubscribed, null, null, state.Record);
                }
            }
        }

        var matched = _requireMatch ? context.Topics.Matched(ledger, message) : 1;
        return _requireMatch && matched == 0
            ? new RuleResult(DecisionCodes.NotRelevant, null, null)
            : RuleResult.Pass;
    }
}
