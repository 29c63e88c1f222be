using Personalize.Catalog;

namespace Personalize.Decisions.Rules;

/// <summary>
/// Rule 1, eligibility (<c>eligibility</c>): the message answers the trigger and targets the customer's stage
/// (both by the compiled index: <c>eligibility.trigger</c>, <c>eligibility.stage</c>), has not expired
/// (<c>eligibility.expired</c>) and its condition holds (<c>eligibility.condition</c>; a condition that fails to
/// evaluate is <c>eligibility.condition_error</c>).
/// </summary>
internal sealed class EligibilityRule : IMessageRule
{
    internal EligibilityRule()
    {
    }

    /// <inheritdoc />
    public string Name => "eligibility";

    /// <inheritdoc />
    public string Description => "The message answers the trigger, targets the customer's lifecycle stage, has not expired and its condition holds.";

    /// <inheritdoc />
    public RuleResult Evaluate(DecisionContext context, MessageDefinition message)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(message);
        if (!message.Triggers.Contains(context.Trigger))
        {
            return new RuleResult(DecisionCodes.Trigger, null, null, context.Trigger.ToString());
        }

        if (message.Stages.Count > 0 && !message.Stages.Contains(context.Customer.Stage))
        {
            return new RuleResult(DecisionCodes.Stage, null, null);
        }

        return Evaluate(context, new CompiledMessage(message, -1, context.Eligibility.Channels));
    }

    /// <summary>
    /// The engine's fast path: the compiled message (normalized topics, hashed id); whether the message is eligible,
    /// with the blocking result in <paramref name="blocked"/> when not (a message with neither an expiry nor a
    /// condition passes without a call).
    /// </summary>
    internal static bool Passes(DecisionContext context, CompiledMessage message, ref RuleResult blocked)
        => (message.Definition.ExpiresAt is null && message.Condition is null) || RuleResult.PassesOrKeep(Evaluate(context, message), ref blocked);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    internal static RuleResult Evaluate(DecisionContext context, CompiledMessage message)
    {
        if (message.Definition.ExpiresAt is { } expires && context.At >= expires)
        {
            return new RuleResult(DecisionCodes.Expired, null, null, instant: expires);
        }

        if (message.Condition is { } condition)
        {
            bool satisfied;
            try
            {
                satisfied = condition.IsSatisfiedBy(context.Conditions);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                return new RuleResult(DecisionCodes.ConditionError, null, null, ex.Message);
            }

            if (!satisfied)
            {
                return new RuleResult(DecisionCodes.Condition, null, null, condition);
            }
        }

        return RuleResult.Pass;
    }
}
