using Personalize.Customers;

namespace Personalize.Catalog;

/// <summary>
/// What a condition sees: the customer, the trigger and the decision instant. Built once per customer per
/// decision and shared by every candidate message; the expression <see cref="Model"/> is built on first use only.
/// </summary>
/// <remarks>
/// Variables of an expression condition: <c>customer.*</c> — the same model content templates see (id, stage, language,
/// time zone, service flags, subscribed topics, contact counts, preferences, and every attribute under its snake_case name
/// with <c>days_since_X</c>/<c>days_until_X</c> for date attributes; see <c>docs/decision-engine.md</c>), with the personal
/// fields always visible, since a condition decides and never prints; <c>trigger.kind</c> (<c>"event"</c>,
/// <c>"campaign"</c>, <c>"schedule"</c>, <c>"stage"</c>, <c>"tier"</c>, <c>"occasion"</c>), <c>trigger.name</c>; <c>now</c> (the decision instant);
/// <c>event.*</c> for an event-triggered decision (<c>event.type</c>, <c>event.id</c>, <c>event.occurred_at</c>, <c>event.data.NAME</c>), null otherwise.
/// </remarks>
public sealed class ConditionContext
{
    private IReadOnlyDictionary<string, object?>? _model;

    /// <summary>Creates the context.</summary>
    /// <param name="customer">The customer.</param>
    /// <param name="trigger">The trigger.</param>
    /// <param name="at">The decision instant.</param>
    public ConditionContext(CustomerProfile customer, Trigger trigger, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(customer);
        Customer = customer;
        Trigger = trigger;
        At = at;
    }

    /// <summary>The customer.</summary>
    public CustomerProfile Customer { get; }

    /// <summary>The trigger.</summary>
    public Trigger Trigger { get; }

    /// <summary>The decision instant.</summary>
    public DateTimeOffset At { get; }

    /// <summary>The event of an event-triggered decision (<c>event.*</c>), or <see langword="null"/>.</summary>
    public Events.CustomerEvent? Event { get; init; }

    /// <summary>
    /// The model expression conditions are evaluated against (see the remarks for its variables). Values are looked up
    /// only when a condition reads them, so a decision pays only for what its conditions use.
    /// </summary>
    public IReadOnlyDictionary<string, object?> Model => _model ??= new ConditionModel(this);

    internal static string TriggerKindName(TriggerKind kind) => kind switch
    {
        TriggerKind.Event => "event",
        TriggerKind.Campaign => "campaign",
        TriggerKind.Stage => "stage",
        TriggerKind.Tier => "tier",
        TriggerKind.Occasion => "occasion",
        TriggerKind.Journey => "journey",
        _ => "schedule",
    };
}
