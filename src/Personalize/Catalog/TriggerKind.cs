namespace Personalize.Catalog;

/// <summary>What started a decision.</summary>
public enum TriggerKind
{
    /// <summary>A schedule tick: the host asks periodically "is there anything worth sending?".</summary>
    Schedule = 0,

    /// <summary>An event about the customer, for example <c>order_shipped</c> or <c>payment_failed</c>.</summary>
    Event = 1,

    /// <summary>A campaign the host runs, for example <c>spring_sale</c>.</summary>
    Campaign = 2,
}
