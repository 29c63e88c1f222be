using Personalize.Catalog;

namespace Personalize.Decisions.Rules;

/// <summary>The engine's fast path for built-in channel rules: the compiled message and the index of the channel in its contents.</summary>
internal interface ICompiledChannelRule
{
    RuleResult Evaluate(DecisionContext context, CompiledMessage message, int contentIndex, DateTimeOffset sendAt);
}
