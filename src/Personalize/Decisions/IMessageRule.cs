using Personalize.Catalog;

namespace Personalize.Decisions;

/// <summary>
/// A named policy that can stop a candidate message for a customer regardless of channel (eligibility, service
/// first, topics, give before ask, message caps, or the host's own). Must be thread-safe and should not allocate.
/// </summary>
public interface IMessageRule
{
    /// <summary>A stable name, for example <c>give_before_ask</c>; also the prefix of its codes by convention.</summary>
    string Name { get; }

    /// <summary>What the rule enforces, in a sentence.</summary>
    string Description { get; }

    /// <summary>Evaluates the rule.</summary>
    /// <param name="context">The decision: customer, trigger, instant, options.</param>
    /// <param name="message">The candidate.</param>
    /// <returns>Pass or block (with a retry instant when blocking only for now).</returns>
    RuleResult Evaluate(DecisionContext context, MessageDefinition message);
}
