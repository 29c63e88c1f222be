using Personalize.Catalog;
using Personalize.Customers;
using Personalize.Eligibility;
using Personalize.Timing;

namespace Personalize.Decisions;

/// <summary>
/// One decision in progress: the customer, trigger and instant, with what every rule shares (the customer's
/// contact window, the condition model) built once for all candidates. Rules read it; they must not keep it.
/// </summary>
public sealed class DecisionContext
{
    private ConditionContext? _conditions;
    private byte _allowedNowStrict;
    private byte _allowedNowLoose;

    internal DecisionContext(CustomerProfile customer, Trigger trigger, DateTimeOffset at, ContactEligibility eligibility)
    {
        Customer = customer;
        Trigger = trigger;
        At = at;
        Eligibility = eligibility;
        Window = eligibility.GetContactWindow(customer);
    }

    /// <summary>The customer.</summary>
    public CustomerProfile Customer { get; }

    /// <summary>The trigger.</summary>
    public Trigger Trigger { get; }

    /// <summary>The decision instant.</summary>
    public DateTimeOffset At { get; }

    /// <summary>The eligibility service (consent, channels, timing settings).</summary>
    public ContactEligibility Eligibility { get; }

    /// <summary>The customer's contact window (quiet hours and preferred times in their zone).</summary>
    public ContactWindow Window { get; }

    /// <summary>What conditions see; built on first use.</summary>
    public ConditionContext Conditions => _conditions ??= new ConditionContext(Customer, Trigger, At);

    /// <summary>Whether contact is allowed by timing at an instant; cached for the decision instant (0 unknown, 1 yes, 2 no).</summary>
    internal bool IsAllowedByTiming(DateTimeOffset instant, bool includePreferred)
    {
        if (instant != At)
        {
            return Window.IsAllowed(instant, includePreferred);
        }

        ref var cached = ref includePreferred ? ref _allowedNowStrict : ref _allowedNowLoose;
        if (cached == 0)
        {
            cached = Window.IsAllowed(instant, includePreferred) ? (byte)1 : (byte)2;
        }

        return cached == 1;
    }
}
