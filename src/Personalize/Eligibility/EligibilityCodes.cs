namespace Personalize.Eligibility;

/// <summary>The stable machine codes of <see cref="EligibilityResult.Code"/>. They never change meaning; new ones may be added.</summary>
public static class EligibilityCodes
{
    /// <summary>Contact is allowed.</summary>
    public const string Allowed = "allowed";

    /// <summary>The channel is not registered.</summary>
    public const string UnknownChannel = "channel.unknown";

    /// <summary>The customer has no contact point for the channel (no email address for email, no phone for SMS, …).</summary>
    public const string ContactPointMissing = "contact_point.missing";

    /// <summary>
    /// The customer's contact point for the channel is on file but not valid (an email address or phone number that
    /// fails <see cref="Customers.ContactPointValidation"/>, for example one stored before a stricter rule): nothing is
    /// sent to it; the next channel in the customer's order may be tried. Correct it by importing or saving the profile.
    /// </summary>
    public const string ContactPointInvalid = "contact_point.invalid";

    /// <summary>The customer's contact point for the channel is on the suppression list (a hard bounce, or too many soft bounces in a row: see <see cref="Events.DeliveryEvents"/>).</summary>
    public const string ContactPointSuppressed = "contact_point.suppressed";

    /// <summary>The purpose needs an opt-in and there is none for the channel.</summary>
    public const string ConsentMissing = "consent.missing";

    /// <summary>The opt-in is a double opt-in not yet confirmed; pending is not consent.</summary>
    public const string ConsentPendingDoubleOptIn = "consent.pending_double_opt_in";

    /// <summary>The customer withdrew the channel (for all purposes or this one).</summary>
    public const string ConsentWithdrawn = "consent.withdrawn";

    /// <summary>The customer withdrew the purpose on every channel (for example all marketing).</summary>
    public const string PurposeWithdrawn = "consent.purpose_withdrawn";

    /// <summary>The message's topic was withdrawn.</summary>
    public const string TopicWithdrawn = "consent.topic_withdrawn";

    /// <summary>The purpose needs a topic subscription and the customer has none for the message's topic.</summary>
    public const string TopicNotSubscribed = "consent.topic_not_subscribed";

    /// <summary>The instant is in the customer's quiet hours; <see cref="EligibilityResult.NextAllowedAt"/> says when contact is allowed again.</summary>
    public const string QuietHours = "timing.quiet_hours";

    /// <summary>The instant is outside the customer's preferred days or hours; <see cref="EligibilityResult.NextAllowedAt"/> says when.</summary>
    public const string OutsidePreferredTime = "timing.outside_preferred_time";
}
