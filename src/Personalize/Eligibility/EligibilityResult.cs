using System.Globalization;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Timing;

namespace Personalize.Eligibility;

/// <summary>
/// The answer to "may we contact this customer on this channel for this purpose at this instant?":
/// <see cref="Allowed"/>, a stable <see cref="Code"/> (see <see cref="EligibilityCodes"/>) and a
/// <see cref="Reason"/> a person can read. The reason is formatted only when asked for.
/// </summary>
public readonly struct EligibilityResult
{
    private readonly ChannelDefinition? _definition;
    private readonly ContactWindow _window;

    internal EligibilityResult(
        string code,
        Channel channel,
        ContactPurpose purpose,
        DateTimeOffset at,
        ChannelDefinition? definition,
        ContactWindow window,
        ConsentRecord? evidence = null,
        string? topic = null,
        DateTimeOffset? nextAllowedAt = null)
    {
        Code = code;
        Channel = channel;
        Purpose = purpose;
        At = at;
        _definition = definition;
        _window = window;
        Evidence = evidence;
        Topic = topic;
        NextAllowedAt = nextAllowedAt;
    }

    /// <summary>Whether contact is allowed.</summary>
    public bool Allowed => string.Equals(Code, EligibilityCodes.Allowed, StringComparison.Ordinal);

    /// <summary>The stable machine code, one of <see cref="EligibilityCodes"/>.</summary>
    public string Code { get; }

    /// <summary>The channel asked about.</summary>
    public Channel Channel { get; }

    /// <summary>The purpose asked about.</summary>
    public ContactPurpose Purpose { get; }

    /// <summary>The instant asked about.</summary>
    public DateTimeOffset At { get; }

    /// <summary>The topic asked about, if any.</summary>
    public string? Topic { get; }

    /// <summary>The consent record behind the answer (the grant that allows, or the withdrawal or pending grant that blocks), if any.</summary>
    public ConsentRecord? Evidence { get; }

    /// <summary>For timing codes, the next instant contact is allowed (<see langword="null"/> when none within a week); otherwise <see langword="null"/>.</summary>
    public DateTimeOffset? NextAllowedAt { get; }

    /// <summary>A sentence a person can read, for example <c>Email withdrawn on 3 March 2026 via preference center.</c></summary>
    public string Reason => FormatReason();

    /// <summary>The code and the reason.</summary>
    /// <returns>For example <c>consent.withdrawn: Email withdrawn on 3 March 2026 via preference center.</c></returns>
    public override string ToString() => Code is null ? string.Empty : Code + ": " + Reason;

    private string Display => _definition?.DisplayName ?? Channel.ToString();

    private string PurposeWord => Purpose switch
    {
        ContactPurpose.Marketing => "marketing",
        ContactPurpose.Service => "service",
        _ => "relationship",
    };

    private string FormatReason()
    {
        var c = CultureInfo.InvariantCulture;
        switch (Code)
        {
            case null:
                return string.Empty;
            case EligibilityCodes.Allowed when Evidence is { } grant:
                return grant.OptIn == OptInMethod.Double && grant.ConfirmedAt is { } confirmed
                    ? $"{Display} for {PurposeWord}: opted in on {Date(grant.RecordedAt)} via {grant.Source}, double opt-in confirmed {Date(confirmed)}."
                    : $"{Display} for {PurposeWord}: opted in on {Date(grant.RecordedAt)} via {grant.Source}.";
            case EligibilityCodes.Allowed:
                return $"{Display} for {PurposeWord}: allowed, no withdrawal on record.";
            case EligibilityCodes.UnknownChannel:
                return $"'{Channel}' is not a registered channel.";
            case EligibilityCodes.ContactPointMissing:
                return $"No {ContactPointWord(_definition?.ContactPoint ?? ContactPointKind.None)} on file for {Display}.";
            case EligibilityCodes.ContactPointInvalid:
                return $"The {ContactPointWord(_definition?.ContactPoint ?? ContactPointKind.None)} on file for {Display} is not valid; correct it by importing or saving the profile.";
            case EligibilityCodes.ContactPointSuppressed:
                return $"The {ContactPointWord(_definition?.ContactPoint ?? ContactPointKind.None)} on file for {Display} is on the suppression list (it bounced); nothing goes to it until it changes.";
            case EligibilityCodes.ConsentMissing:
                return $"No opt-in on record for {Display} {PurposeWord}.";
            case EligibilityCodes.ConsentPendingDoubleOptIn when Evidence is { } pending:
                return pending.Scope.Kind == ConsentScopeKind.Topic
                    ? $"Subscription to '{pending.Scope.Topic}' of {Date(pending.RecordedAt)} via {pending.Source} awaits double opt-in confirmation."
                    : $"{Display} opt-in of {Date(pending.RecordedAt)} via {pending.Source} awaits double opt-in confirmation.";
            case EligibilityCodes.ConsentWithdrawn when Evidence is { } withdrawn:
                return withdrawn.Scope.Purpose is { }
                    ? $"{Display} for {PurposeWord} withdrawn on {Date(withdrawn.RecordedAt)} via {withdrawn.Source}."
                    : $"{Display} withdrawn on {Date(withdrawn.RecordedAt)} via {withdrawn.Source}.";
            case EligibilityCodes.PurposeWithdrawn when Evidence is { } withdrawn:
                return $"All {PurposeWord} withdrawn on {Date(withdrawn.RecordedAt)} via {withdrawn.Source}.";
            case EligibilityCodes.TopicWithdrawn when Evidence is { } withdrawn:
                return $"Topic '{Topic}' withdrawn on {Date(withdrawn.RecordedAt)} via {withdrawn.Source}.";
            case EligibilityCodes.TopicNotSubscribed:
                return $"Not subscribed to topic '{Topic}'.";
            case EligibilityCodes.QuietHours:
                return $"Quiet hours {_window.QuietHours} in {_window.Zone.Id} (local time {_window.ToLocal(At).ToString("ddd HH:mm", c)}); {Next()}.";
            case EligibilityCodes.OutsidePreferredTime:
                return $"Outside preferred times ({_window.DescribePreferredTimes()}) in {_window.Zone.Id} (local time {_window.ToLocal(At).ToString("ddd HH:mm", c)}); {Next()}.";
            default:
                return Code;
        }
    }

    private string Next() => NextAllowedAt is { } next
        ? "next allowed " + _window.ToLocal(next).ToString("ddd d MMMM yyyy HH:mm", CultureInfo.InvariantCulture)
        : "no allowed time in the next week";

    private string Date(DateTimeOffset instant)
        => _window.ToLocal(instant).ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    private static string ContactPointWord(ContactPointKind kind) => kind switch
    {
        ContactPointKind.Email => "email address",
        ContactPointKind.Phone => "phone number",
        ContactPointKind.MobilePhone => "mobile phone number",
        ContactPointKind.PostalAddress => "postal address",
        ContactPointKind.DeviceToken => "push device token",
        _ => "contact point",
    };
}
