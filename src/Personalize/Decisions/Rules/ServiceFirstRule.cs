using Personalize.Catalog;

namespace Personalize.Decisions.Rules;

/// <summary>
/// Rule 7, service before promotion (<c>service_first</c>): while the customer has an open complaint
/// (<c>service.open_complaint</c>), a failed payment (<c>service.failed_payment</c>) or a detractor NPS score
/// (<c>service.detractor</c>), messages of the purposes in <see cref="DecisionOptions.SuppressedWhenServiceFirst"/>
/// (marketing and relationship by default) are suppressed; service messages go.
/// </summary>
internal sealed class ServiceFirstRule : IMessageRule
{
    private readonly bool[] _suppressed = new bool[3];

    internal ServiceFirstRule(DecisionOptions options)
    {
        foreach (var purpose in options.SuppressedWhenServiceFirst)
        {
            if ((uint)purpose < 3)
            {
                _suppressed[(int)purpose] = true;
            }
        }
    }

    /// <inheritdoc />
    public string Name => "service_first";

    /// <inheritdoc />
    public string Description => "An open complaint, a failed payment or a detractor score suppresses promotion until service has recovered.";

    /// <inheritdoc />
    public RuleResult Evaluate(DecisionContext context, MessageDefinition message)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(message);
        return Evaluate(context, message.Purpose);
    }

    /// <summary>The engine's fast path: whether the message may go, with the blocking result in <paramref name="blocked"/> when not.</summary>
    internal bool Passes(DecisionContext context, CompiledMessage message, ref RuleResult blocked)
        => (uint)message.Purpose >= 3 || !_suppressed[(int)message.Purpose] || RuleResult.PassesOrKeep(Evaluate(context, message.Purpose), ref blocked);

    private RuleResult Evaluate(DecisionContext context, ContactPurpose purpose)
    {
        if ((uint)purpose >= 3 || !_suppressed[(int)purpose])
        {
            return RuleResult.Pass;
        }

        var flags = context.Customer.ServiceFlags;
        if (flags.OpenComplaint)
        {
            return new RuleResult(DecisionCodes.OpenComplaint, null, null);
        }

        if (flags.FailedPayment)
        {
            return new RuleResult(DecisionCodes.FailedPayment, null, null);
        }

        if (flags.IsDetractor)
        {
            return new RuleResult(DecisionCodes.Detractor, null, null, number: flags.NpsScore.GetValueOrDefault());
        }

        return RuleResult.Pass;
    }
}
