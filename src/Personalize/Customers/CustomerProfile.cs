using System.Text.Json;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Events;

namespace Personalize.Customers;

/// <summary>
/// Everything known about one customer: lifecycle stage, language, time zone, contact points, preferences,
/// consent ledger, contact history, service flags and free attributes for templates and rules.
/// Immutable; use <c>with</c> for variants.
/// </summary>
public sealed record CustomerProfile
{
    /// <summary>The host's id for the customer.</summary>
    public required string Id { get; init; }

    /// <summary>The lifecycle stage.</summary>
    /// <value>The default value is <see cref="LifecycleStage.Exposure"/>.</value>
    public LifecycleStage Stage { get; init; } = LifecycleStage.Exposure;

    /// <summary>Whether the host set <see cref="Stage"/> and the lifecycle rules (<see cref="Events.LifecycleRules"/>) must leave it as it is.</summary>
    /// <value>The default value is <see langword="false"/>: events move the stage forward as the rules say.</value>
    public bool StagePinned { get; init; }

    /// <summary>The customer's language and locale as a BCP 47 tag, for example <c>en-NZ</c>.</summary>
    /// <value>The default value is <see langword="null"/> (the host's default).</value>
    public string? Language { get; init; }

    /// <summary>The customer's time zone (IANA); quiet hours and preferred times are in this zone.</summary>
    /// <value>The default value is <see cref="TimeZoneInfo.Utc"/>.</value>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.Utc;

    /// <summary>How the customer can be reached.</summary>
    /// <value>The default value is <see cref="Customers.ContactPoints.None"/>.</value>
    public ContactPoints ContactPoints { get; init; } = ContactPoints.None;

    /// <summary>Channel ranking, frequency caps and timing the customer chose.</summary>
    /// <value>The default value is <see cref="ContactPreferences.Default"/>.</value>
    public ContactPreferences Preferences { get; init; } = ContactPreferences.Default;

    /// <summary>The consent records and the current consent per channel, purpose, topic and personalization.</summary>
    /// <value>The default value is <see cref="ConsentLedger.Empty"/>.</value>
    public ConsentLedger Consents { get; init; } = ConsentLedger.Empty;

    /// <summary>What was sent to the customer.</summary>
    /// <value>The default value is <see cref="ContactHistory.Empty"/>.</value>
    public ContactHistory History { get; init; } = ContactHistory.Empty;

    /// <summary>Open complaint, detractor score, failed payment.</summary>
    /// <value>The default value is <see cref="ServiceFlags.None"/>.</value>
    public ServiceFlags ServiceFlags { get; init; } = ServiceFlags.None;

    /// <summary>The facts events keep up to date (order count, last purchase, NPS score…), each with the event that set it.</summary>
    /// <value>The default value is <see cref="CustomerFacts.Empty"/>. Stores keep them beside the profile; <c>SaveProfileAsync</c> and imports leave them unchanged.</value>
    public CustomerFacts Facts { get; init; } = CustomerFacts.Empty;

    /// <summary>Free attributes (JSON values) for templates and rules, for example <c>firstName</c>.</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyDictionary<string, JsonElement> Attributes { get; init; } = EmptyAttributes;

    /// <summary>Whether the customer consented to the use of their data in content. Without it templates use neutral wording.</summary>
    public bool AllowsPersonalization => Consents.GetState(ConsentScope.Personalization).IsGranted;

    internal static IReadOnlyDictionary<string, JsonElement> EmptyAttributes { get; } = new Dictionary<string, JsonElement>();
}
