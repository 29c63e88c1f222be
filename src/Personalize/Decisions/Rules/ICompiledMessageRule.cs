using Personalize.Catalog;

namespace Personalize.Decisions.Rules;

/// <summary>The engine's fast path for built-in message rules: the compiled message with normalized topics.</summary>
internal interface ICompiledMessageRule
{
    RuleResult Evaluate(DecisionContext context, CompiledMessage message);
}
