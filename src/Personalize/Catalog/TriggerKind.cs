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

    /// <summary>A lifecycle stage change, for example <c>stage:adoption</c> (see <c>docs/events.md</c>).</summary>
    Stage = 3,

    /// <summary>A relationship matrix tier change, for example <c>tier:best_friends</c>.</summary>
    Tier = 4,

    /// <summary>A like-a-friend occasion a tick found, for example <c>occasion:anniversary</c> or <c>occasion:we_miss_you</c>.</summary>
    Occasion = 5,

    /// <summary>A journey's send step (<c>journey:ID</c>): a message that names it goes out only when a journey sends it.</summary>
    Journey = 6,
}
