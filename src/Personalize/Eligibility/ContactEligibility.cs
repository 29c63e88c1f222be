using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Timing;

namespace Personalize.Eligibility;

/// <summary>
/// Answers "may we contact this customer on channel C for purpose P (and topic T) at instant I?", with a reason.
/// Checks, in order: the channel is registered; the contact point is on file; consent (purpose withdrawn,
/// channel withdrawn, pending double opt-in, missing opt-in); the topic; quiet hours and preferred times in the
/// customer's zone. Thread-safe; one instance serves all customers. Allocates nothing per check.
/// </summary>
/// <remarks>
/// Consent is judged at the instant asked, with the evidence in effect then (see <see cref="ConsentLedger"/>). For a
/// channel and purpose: the later of "this channel for this purpose" and "this channel" decides; a withdrawal of the
/// purpose on every channel blocks unless a later grant names this channel and purpose; a grant of the purpose on
/// every channel is consent on each channel with no grant or withdrawal of its own (it never undoes a channel
/// withdrawal, whichever is later). A withdrawn topic blocks every purpose; marketing and relationship also need the
/// topic subscribed.
/// </remarks>
public sealed class ContactEligibility
{
    private static readonly ConsentScope[] PurposeScopes = Array.ConvertAll(Enum.GetValues<ContactPurpose>(), ConsentScope.ForPurpose);
    private readonly ConsentRequirement[] _requirements;
    private readonly TimeProvider _timeProvider;
    private readonly long _expiryTicks;

    /// <summary>Creates the service.</summary>
    /// <param name="options">The options; they are read once, here.</param>
    /// <param name="timeProvider">The clock, used by the overloads without an instant.</param>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public ContactEligibility(PersonalizeOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        Channels = options.CreateChannelRegistry();
        _timeProvider = timeProvider;
        DefaultQuietHours = options.DefaultQuietHours;
        PreferredTimesApplyToService = options.PreferredTimesApplyToService;
        PendingOptInExpiry = options.PendingOptInExpiry;
        _expiryTicks = ConsentLedger.ExpiryTicks(PendingOptInExpiry);
        var purposes = Enum.GetValues<ContactPurpose>();
        _requirements = new ConsentRequirement[purposes.Length];
        foreach (var purpose in purposes)
        {
            _requirements[(int)purpose] = options.RequirementFor(purpose);
        }
    }

    /// <summary>The registered channels.</summary>
    public ChannelRegistry Channels { get; }

    /// <summary>The quiet hours for customers who set none.</summary>
    public TimeWindow? DefaultQuietHours { get; }

    /// <summary>Whether preferred times restrict service messages too.</summary>
    public bool PreferredTimesApplyToService { get; }

    /// <summary>How long a double opt-in request waits for its confirmation (<see cref="PersonalizeOptions.PendingOptInExpiry"/>).</summary>
    public TimeSpan PendingOptInExpiry { get; }

    /// <summary><see cref="PendingOptInExpiry"/> as ticks for <see cref="ConsentLedger.StateAt"/>.</summary>
    internal long PendingExpiryTicks => _expiryTicks;

    /// <summary>The consent a purpose needs.</summary>
    /// <param name="purpose">The purpose.</param>
    /// <returns>The requirement.</returns>
    public ConsentRequirement RequirementFor(ContactPurpose purpose) => _requirements[(int)purpose];

    /// <summary>The customer's contact window: their quiet hours (or the default) and preferred times in their zone.</summary>
    /// <param name="customer">The customer.</param>
    /// <returns>The window; use <see cref="ContactWindow.NextAllowed"/> to defer.</returns>
    public ContactWindow GetContactWindow(CustomerProfile customer)
    {
        ArgumentNullException.ThrowIfNull(customer);
        var preferences = customer.Preferences;
        return new ContactWindow(customer.TimeZone, preferences.QuietHours ?? DefaultQuietHours, preferences.PreferredDays, preferences.PreferredHours);
    }

    /// <summary>Whether preferred days and hours apply to a purpose (quiet hours always apply).</summary>
    /// <param name="purpose">The purpose.</param>
    /// <returns><see langword="true"/> when they apply.</returns>
    public bool PreferredTimesApplyTo(ContactPurpose purpose) => purpose != ContactPurpose.Service || PreferredTimesApplyToService;

    /// <summary>Checks contact now, by the injected <see cref="TimeProvider"/>.</summary>
    /// <param name="customer">The customer.</param>
    /// <param name="channel">The channel.</param>
    /// <param name="purpose">The purpose.</param>
    /// <param name="topic">The message's topic, if any.</param>
    /// <returns>The answer with its reason.</returns>
    public EligibilityResult Check(CustomerProfile customer, Channel channel, ContactPurpose purpose, string? topic = null)
        => Check(customer, channel, purpose, _timeProvider.GetUtcNow(), topic);

    /// <summary>Checks contact at an instant.</summary>
    /// <param name="customer">The customer.</param>
    /// <param name="channel">The channel.</param>
    /// <param name="purpose">The purpose.</param>
    /// <param name="at">The instant.</param>
    /// <param name="topic">The message's topic, if any (normalized like <see cref="ConsentScope.ForTopic"/>).</param>
    /// <returns>The answer with its reason.</returns>
    public EligibilityResult Check(CustomerProfile customer, Channel channel, ContactPurpose purpose, DateTimeOffset at, string? topic = null)
    {
        var consent = CheckConsent(customer, channel, purpose, at, topic);
        if (!consent.Allowed)
        {
            return consent;
        }

        if (!Channels.TryGet(channel, out var definition) || !definition.RespectsTiming)
        {
            return consent;
        }

        var window = GetContactWindow(customer);
        var includePreferred = PreferredTimesApplyTo(purpose);
        if (window.IsQuiet(at))
        {
            return new EligibilityResult(EligibilityCodes.QuietHours, channel, purpose, at, definition, window, consent.Evidence, consent.Topic, window.NextAllowed(at, includePreferred));
        }

        if (includePreferred && !window.IsPreferred(at))
        {
            return new EligibilityResult(EligibilityCodes.OutsidePreferredTime, channel, purpose, at, definition, window, consent.Evidence, consent.Topic, window.NextAllowed(at, includePreferred));
        }

        return consent;
    }

    /// <summary>
    /// Checks everything but timing: channel, contact point, consent and topic. Use it to decide eligibility first
    /// and defer to <see cref="ContactWindow.NextAllowed"/> afterwards.
    /// </summary>
    /// <param name="customer">The customer.</param>
    /// <param name="channel">The channel.</param>
    /// <param name="purpose">The purpose.</param>
    /// <param name="at">The instant the answer is for (used in the result and its reason).</param>
    /// <param name="topic">The message's topic, if any.</param>
    /// <returns>The answer with its reason.</returns>
    public EligibilityResult CheckConsent(CustomerProfile customer, Channel channel, ContactPurpose purpose, DateTimeOffset at, string? topic = null)
    {
        ArgumentNullException.ThrowIfNull(customer);
        var window = new ContactWindow(customer.TimeZone, null, null, null);
        if (!Channels.TryGet(channel, out var definition))
        {
            return new EligibilityResult(EligibilityCodes.UnknownChannel, channel, purpose, at, null, window, topic: topic);
        }

        var code = ConsentCode(customer, definition, purpose, ConsentScope.ForChannel(channel, purpose), ConsentScope.ForChannel(channel), at.UtcTicks, out var evidence);
        if (code != EligibilityCodes.Allowed)
        {
            return new EligibilityResult(code, channel, purpose, at, definition, window, evidence, topic);
        }

        var ledger = customer.Consents;
        var requirement = _requirements[(int)purpose];
        if (topic is not null)
        {
            var valid = ConsentScope.TryNormalizeTopic(topic, out var normalized);
            var topicState = valid ? ledger.StateAt(ConsentScope.ForTopic(normalized), at.UtcTicks, _expiryTicks) : default;
            normalized = valid ? normalized : topic;
            switch (topicState.Status)
            {
                case ConsentStatus.Withdrawn:
                    return new EligibilityResult(EligibilityCodes.TopicWithdrawn, channel, purpose, at, definition, window, topicState.Record, normalized);
                case ConsentStatus.Pending when requirement == ConsentRequirement.OptIn:
                    return new EligibilityResult(EligibilityCodes.ConsentPendingDoubleOptIn, channel, purpose, at, definition, window, topicState.Record, normalized);
                case ConsentStatus.None when requirement == ConsentRequirement.OptIn:
                    return new EligibilityResult(EligibilityCodes.TopicNotSubscribed, channel, purpose, at, definition, window, null, normalized);
            }

            topic = normalized;
        }

        return new EligibilityResult(EligibilityCodes.Allowed, channel, purpose, at, definition, window, evidence, topic);
    }

    /// <summary>Whether a delivery event put the customer's current contact point of this kind on the suppression list (the facts <c>suppressed.KIND</c>).</summary>
    private static bool IsSuppressed(CustomerProfile customer, ContactPointKind kind)
    {
        var points = customer.ContactPoints;
        switch (kind)
        {
            case ContactPointKind.Email:
                return Matches(customer, "suppressed.email", ContactPointKind.Email, points.Email);
            case ContactPointKind.Phone or ContactPointKind.MobilePhone:
                return Matches(customer, "suppressed.phone", ContactPointKind.Phone, points.Phone);
            case ContactPointKind.DeviceToken:
                foreach (var token in points.DeviceTokens)
                {
                    if (!Matches(customer, "suppressed.device_token", ContactPointKind.DeviceToken, token))
                    {
                        return false;
                    }
                }

                return points.DeviceTokens.Count > 0;
            default:
                return false;
        }

        static bool Matches(CustomerProfile customer, string fact, ContactPointKind kind, string? value)
            => value is not null && customer.Facts.TryGetValue(fact, out var suppressed) && suppressed.Value is string held
               && !string.IsNullOrWhiteSpace(value) && string.Equals(held, Storage.ContactPointHash.Normalize(kind, value), StringComparison.Ordinal);
    }

    /// <summary>
    /// The first check of <see cref="ConsentCode"/>: <see cref="EligibilityCodes.ContactPointInvalid"/> or
    /// <see cref="EligibilityCodes.ContactPointMissing"/> when the customer has no usable contact point of
    /// <paramref name="kind"/>, else <see langword="null"/>.
    /// </summary>
    internal static string? MissingContactPoint(Customers.ContactPoints points, ContactPointKind kind)
        => points.Has(kind) ? null : points.IsInvalid(kind) ? EligibilityCodes.ContactPointInvalid : EligibilityCodes.ContactPointMissing;

    /// <summary>
    /// The channel part of <see cref="CheckConsent"/> (contact point, purpose and channel consent; no topic) for a
    /// registered channel, with its scopes made by the caller (the decision engine makes them once per catalog), at an
    /// instant in UTC ticks.
    /// </summary>
    /// <returns><see cref="EligibilityCodes.Allowed"/> or the blocking code.</returns>
    internal string ConsentCode(CustomerProfile customer, ChannelDefinition definition, ContactPurpose purpose, ConsentScope channelForPurpose, ConsentScope channelScope, long atTicks, out ConsentRecord? evidence)
    {
        evidence = null;
        if (MissingContactPoint(customer.ContactPoints, definition.ContactPoint) is { } missing)
        {
            return missing;
        }

        if (customer.Facts.Count > 0 && IsSuppressed(customer, definition.ContactPoint))
        {
            return EligibilityCodes.ContactPointSuppressed;
        }

        var ledger = customer.Consents;
        var requirement = _requirements[(int)purpose];

        // Channel dimension: the later decisive record of "channel for this purpose" and "channel"; a tie goes to the withdrawal.
        var chosen = Combine(ledger.StateAt(channelForPurpose, atTicks, _expiryTicks), ledger.StateAt(channelScope, atTicks, _expiryTicks));

        // Purpose dimension: "all marketing withdrawn" blocks every channel unless a later opt-in names this channel and purpose.
        var purposeState = ledger.StateAt(PurposeScopes[(int)purpose], atTicks, _expiryTicks);
        if (purposeState.Status == ConsentStatus.Withdrawn
            && !(chosen.IsGranted && chosen.Record!.Scope.Purpose is not null && ConsentLedger.Wins(chosen.Record, purposeState.Record!)))
        {
            evidence = purposeState.Record;
            return EligibilityCodes.PurposeWithdrawn;
        }

        switch (chosen.Status)
        {
            case ConsentStatus.Withdrawn:
                evidence = chosen.Record;
                return EligibilityCodes.ConsentWithdrawn;
            case ConsentStatus.Granted:
                evidence = chosen.Record;
                return EligibilityCodes.Allowed;
        }

        // No grant or withdrawal of the channel: "this purpose on every channel" granted is consent here.
        if (purposeState.IsGranted)
        {
            evidence = purposeState.Record;
            return EligibilityCodes.Allowed;
        }

        if (requirement != ConsentRequirement.OptIn)
        {
            return EligibilityCodes.Allowed;
        }

        if (chosen.Status == ConsentStatus.Pending || purposeState.Status == ConsentStatus.Pending)
        {
            evidence = chosen.Status == ConsentStatus.Pending ? chosen.Record : purposeState.Record;
            return EligibilityCodes.ConsentPendingDoubleOptIn;
        }

        return EligibilityCodes.ConsentMissing;
    }

    /// <summary>The later decisive state of two scopes (a tie goes to the withdrawal); pending only when neither is decisive.</summary>
    private static ConsentState Combine(ConsentState specific, ConsentState wide)
    {
        var specificDecisive = specific.Status is ConsentStatus.Granted or ConsentStatus.Withdrawn;
        var wideDecisive = wide.Status is ConsentStatus.Granted or ConsentStatus.Withdrawn;
        if (specificDecisive && wideDecisive)
        {
            return ConsentLedger.Wins(specific.Record!, wide.Record!) ? specific : wide;
        }

        if (specificDecisive || wideDecisive)
        {
            return specificDecisive ? specific : wide; // a pending request never undoes a grant or a withdrawal
        }

        return specific.Status != ConsentStatus.None ? specific : wide;
    }
}
