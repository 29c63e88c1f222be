using Personalize.Catalog;
using Personalize.Channels;

namespace Personalize.Decisions;

/// <summary>
/// A named policy that can stop a candidate on one channel at one send instant (consent, frequency, timing, or the
/// host's own). A result with <see cref="RuleResult.RetryAt"/> lets the engine defer. Must be thread-safe and should not allocate.
/// </summary>
public interface IChannelRule
{
    /// <summary>A stable name, for example <c>consent</c>.</summary>
    string Name { get; }

    /// <summary>What the rule enforces, in a sentence.</summary>
    string Description { get; }

    /// <summary>Evaluates the rule.</summary>
    /// <param name="context">The decision.</param>
    /// <param name="message">The candidate.</param>
    /// <param name="channel">The channel.</param>
    /// <param name="sendAt">The send instant being considered (the decision instant, or a deferred one).</param>
    /// <returns>Pass, block, or block with a retry instant.</returns>
    RuleResult Evaluate(DecisionContext context, MessageDefinition message, ChannelDefinition channel, DateTimeOffset sendAt);
}
