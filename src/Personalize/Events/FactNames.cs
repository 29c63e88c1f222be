namespace Personalize.Events;

/// <summary>The names of the facts the built-in mappings, lifecycle rules and like-a-friend triggers read and write.</summary>
public static class FactNames
{
    /// <summary>Orders placed (<c>order_placed</c>).</summary>
    public const string OrderCount = "order_count";

    /// <summary>The sum of the orders' <c>total</c> (or <c>value</c>, <c>amount</c>).</summary>
    public const string TotalValue = "total_value";

    /// <summary>When the first order was placed (the anniversary counts from it).</summary>
    public const string FirstPurchaseAt = "first_purchase_at";

    /// <summary>When the latest order was placed.</summary>
    public const string LastPurchaseAt = "last_purchase_at";

    /// <summary>The latest order's number.</summary>
    public const string LastOrderNumber = "last_order_number";

    /// <summary>When the latest order shipped.</summary>
    public const string LastShippedAt = "last_shipped_at";

    /// <summary>The number of the latest order shipped.</summary>
    public const string LastShippedOrder = "last_shipped_order";

    /// <summary>The tracking link of the latest shipment.</summary>
    public const string LastTrackingUrl = "last_tracking_url";

    /// <summary>When the latest order was delivered.</summary>
    public const string LastDeliveredAt = "last_delivered_at";

    /// <summary>The number of the latest order delivered.</summary>
    public const string LastDeliveredOrder = "last_delivered_order";

    /// <summary>The latest NPS answer (0–10).</summary>
    public const string NpsScore = "nps_score";

    /// <summary>Whether the latest NPS answer is 0–6 (a detractor until a later answer).</summary>
    public const string NpsDetractor = "nps_detractor";

    /// <summary>When the latest NPS answer was given.</summary>
    public const string NpsAnsweredAt = "nps_answered_at";

    /// <summary>Whether a complaint is open.</summary>
    public const string OpenComplaint = "open_complaint";

    /// <summary>When the latest complaint was opened.</summary>
    public const string ComplaintOpenedAt = "complaint_opened_at";

    /// <summary>When the latest complaint was resolved.</summary>
    public const string ComplaintResolvedAt = "complaint_resolved_at";

    /// <summary>Whether the latest payment failed (until <c>payment_recovered</c>).</summary>
    public const string FailedPayment = "failed_payment";

    /// <summary>When a payment last failed.</summary>
    public const string PaymentFailedAt = "payment_failed_at";

    /// <summary>When a failed payment was last recovered.</summary>
    public const string PaymentRecoveredAt = "payment_recovered_at";

    /// <summary>When the next renewal is due.</summary>
    public const string RenewalDueAt = "renewal_due_at";

    /// <summary>Renewals completed (<c>renewed</c>).</summary>
    public const string RenewalCount = "renewal_count";

    /// <summary>When the latest renewal happened.</summary>
    public const string LastRenewalAt = "last_renewal_at";

    /// <summary>When the postal address last changed.</summary>
    public const string AddressChangedAt = "address_changed_at";

    /// <summary>The latest activity (login, visit, order, renewal, sign-up).</summary>
    public const string LastActivityAt = "last_activity_at";

    /// <summary>The activity before the latest one (welcome back measures the absence between them).</summary>
    public const string PreviousActivityAt = "previous_activity_at";

    /// <summary>Activities counted.</summary>
    public const string ActivityCount = "activity_count";

    /// <summary>When the customer signed up (welcome).</summary>
    public const string SignedUpAt = "signed_up_at";

    /// <summary>When a progressive-profiling question was last answered.</summary>
    public const string PreferenceAnsweredAt = "preference_answered_at";

    /// <summary>The prefix of answers to progressive-profiling questions: <c>answer.QUESTION</c> (for example <c>answer.birthday</c>).</summary>
    public const string AnswerPrefix = "answer.";

    /// <summary>The lifecycle stage the rules derived last (<c>exposure</c>, <c>adoption</c>, <c>retention</c>).</summary>
    public const string Stage = "stage";

    /// <summary>The relationship matrix tier computed last (the cell's name).</summary>
    public const string Tier = "tier";

    /// <summary>The prefix of delivery facts: <c>delivery.CHANNEL.NAME</c> (see <see cref="DeliveryEvents.FactName"/>).</summary>
    public const string DeliveryPrefix = "delivery.";

    /// <summary>
    /// The prefix of a suppressed contact point: <c>suppressed.email</c>, <c>suppressed.phone</c> or
    /// <c>suppressed.device_token</c> holds the normalized contact point a bounce put on the suppression list, and
    /// <c>suppressed.email_reason</c> (and so on) why; while the customer's contact point is that one, its channels are
    /// refused with <see cref="Eligibility.EligibilityCodes.ContactPointSuppressed"/>.
    /// </summary>
    public const string SuppressedPrefix = "suppressed.";

    /// <summary>The customer's longevity level in the relationship matrix (from 1), set by a tick.</summary>
    public const string MatrixLongevity = "matrix.longevity";

    /// <summary>The customer's strength level in the relationship matrix (from 1), set by a tick.</summary>
    public const string MatrixStrength = "matrix.strength";

    /// <summary>The prefix of the marks of fired occasions: <c>fired.TRIGGER</c> holds the key of the last occasion fired (for example <c>fired.anniversary</c> = <c>2027</c>).</summary>
    public const string FiredPrefix = "fired.";
}
