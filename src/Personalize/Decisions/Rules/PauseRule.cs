using Personalize.Catalog;

namespace Personalize.Decisions.Rules;

/// <summary>
/// The customer's pause (<c>pause</c>): while <see cref="Customers.ContactPreferences.PausedUntil"/> is after the
/// decision instant, marketing messages are suppressed (<c>preferences.paused</c>). Service and relationship messages
/// still go. A deferred marketing send re-checked at its due instant is dropped when the customer paused meanwhile.
/// </summary>
internal sealed class PauseRule : IMessageRule
{
    internal PauseRule()
    {
    }

    /// <inheritdoc />
    public string Name => "pause";

    /// <inheritdoc />
    public string Description => "A customer who paused marketing (for example for two weeks) gets no marketing until the pause ends.";

    /// <inheritdoc />
    public RuleResult Evaluate(DecisionContext context, MessageDefinition message)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(message);
        return Evaluate(context, message.Purpose);
    }

    /// <summary>The engine's fast path: whether the message may go, with the blocking result in <paramref name="blocked"/> when not.</summary>
    internal static bool Passes(DecisionContext context, CompiledMessage message, ref RuleResult blocked)
        => message.Purpose != ContactPurpose.Marketing || context.Customer.Preferences.PausedUntil is null || RuleResult.PassesOrKeep(Evaluate(context, message.Purpose), ref blocked);

    private static RuleResult Evaluate(DecisionContext context, ContactPurpose purpose)
        => purpose == ContactPurpose.Marketing && context.Customer.Preferences.PausedUntil is { } until && context.At < until
            ? new RuleResult(DecisionCodes.Paused, null, null, instant: until)
            : RuleResult.Pass;
}
