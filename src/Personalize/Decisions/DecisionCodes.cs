using Personalize.Eligibility;

namespace Personalize.Decisions;

/// <summary>
/// The stable machine codes of a decision's outcomes. They never change meaning; new ones may be added.
/// Consent codes are those of <see cref="EligibilityCodes"/> (<c>consent.withdrawn</c>, <c>contact_point.missing</c>, …).
/// </summary>
public static class DecisionCodes
{
    /// <summary>The message won and goes out (now or deferred).</summary>
    public const string Selected = "selected";

    /// <summary>The message does not answer the trigger.</summary>
    public const string Trigger = "eligibility.trigger";

    /// <summary>The message does not target the customer's lifecycle stage.</summary>
    public const string Stage = "eligibility.stage";

    /// <summary>The message's condition does not hold for the customer.</summary>
    public const string Condition = "eligibility.condition";

    /// <summary>The message's condition failed to evaluate (for example a runtime error); treated as not eligible.</summary>
    public const string ConditionError = "eligibility.condition_error";

    /// <summary>The message expired before the decision instant.</summary>
    public const string Expired = "eligibility.expired";

    /// <summary>The customer paused marketing (<see cref="Customers.ContactPreferences.PausedUntil"/>), for example for two weeks from the preference center.</summary>
    public const string Paused = "preferences.paused";

    /// <summary>An open complaint suppresses promotion (service before promotion).</summary>
    public const string OpenComplaint = "service.open_complaint";

    /// <summary>A failed payment suppresses promotion (service before promotion).</summary>
    public const string FailedPayment = "service.failed_payment";

    /// <summary>A detractor NPS score suppresses promotion (service before promotion).</summary>
    public const string Detractor = "service.detractor";

    /// <summary>The customer unsubscribed from one of the message's topics.</summary>
    public const string TopicUnsubscribed = "topic.unsubscribed";

    /// <summary>The promotional message's topics match none of the customer's interests.</summary>
    public const string NotRelevant = "topic.not_relevant";

    /// <summary>An ask without enough gives since the last ask (give before ask).</summary>
    public const string NotEnoughGives = "ask.not_enough_gives";

    /// <summary>Another ask already won this decision: at most one ask per contact.</summary>
    public const string OneAskPerContact = "ask.one_per_contact";

    /// <summary>The per-message cap (for example once per 30 days) is reached.</summary>
    public const string MessageCap = "frequency.message_cap";

    /// <summary>A cap on the channel is reached (deferrable).</summary>
    public const string ChannelCap = "frequency.channel_cap";

    /// <summary>A cap over all channels is reached (deferrable).</summary>
    public const string OverallCap = "frequency.overall_cap";

    /// <summary>The instant is in the customer's quiet hours (deferrable).</summary>
    public const string QuietHours = EligibilityCodes.QuietHours;

    /// <summary>The instant is outside the customer's preferred times (deferrable).</summary>
    public const string OutsidePreferredTime = EligibilityCodes.OutsidePreferredTime;

    /// <summary>No instant in the next week is allowed by the customer's times.</summary>
    public const string NoAllowedTime = "timing.no_allowed_time";

    /// <summary>The next allowed instant is after the message's expiry.</summary>
    public const string PastExpiry = "timing.past_expiry";

    /// <summary>A channel outcome: the send is deferred to a later instant.</summary>
    public const string Deferred = "timing.deferred";

    /// <summary>A channel outcome: the channel is allowed now.</summary>
    public const string Allowed = EligibilityCodes.Allowed;

    /// <summary>No channel of the message is allowed (per-channel reasons in <see cref="CandidateOutcome.Channels"/>).</summary>
    public const string NoChannelAllowed = "channel.none_allowed";

    /// <summary>The message survived every rule but lost arbitration to higher-scoring messages.</summary>
    public const string LostArbitration = "arbitration.lost";
}
