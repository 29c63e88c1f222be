using Personalize.Channels;
using Personalize.Timing;

namespace Personalize.Customers;

/// <summary>
/// How, how often and when the customer chose to be contacted. Which channels and topics they opted into,
/// and personalization consent, live in the <see cref="Consent.ConsentLedger"/> with their evidence.
/// </summary>
public sealed record ContactPreferences
{
    private readonly DateTimeOffset? _pausedUntil;

    /// <summary>No preferences: any channel order, no caps, any time.</summary>
    public static ContactPreferences Default { get; } = new();

    /// <summary>The customer's media mix: channels in the order they prefer them, best first.</summary>
    /// <value>The default value is empty (no preference).</value>
    public IReadOnlyList<Channel> ChannelRanking { get; init; } = [];

    /// <summary>Caps per channel and overall.</summary>
    /// <value>The default value is empty (no caps of the customer's own).</value>
    public IReadOnlyList<FrequencyCap> FrequencyCaps { get; init; } = [];

    /// <summary>Days of the week the customer prefers, in their time zone.</summary>
    /// <value>The default value is empty (every day).</value>
    public IReadOnlyList<DayOfWeek> PreferredDays { get; init; } = [];

    /// <summary>Hours the customer prefers, in their time zone. Windows do not cross midnight.</summary>
    /// <value>The default value is empty (any hour).</value>
    public IReadOnlyList<TimeWindow> PreferredHours { get; init; } = [];

    /// <summary>Hours the customer must not be disturbed, in their time zone; may cross midnight.</summary>
    /// <value>The default value is <see langword="null"/> (the host's <see cref="PersonalizeOptions.DefaultQuietHours"/> apply).</value>
    public TimeWindow? QuietHours { get; init; }

    /// <summary>
    /// Until when the customer paused all marketing (do-not-disturb, for example "pause for two weeks" in the preference
    /// center); stored in UTC. While paused, marketing messages are suppressed (<c>preferences.paused</c>); service and
    /// relationship messages still go. A pause is not a withdrawal: it ends by itself.
    /// </summary>
    /// <value>The default value is <see langword="null"/> (not paused).</value>
    public DateTimeOffset? PausedUntil
    {
        get => _pausedUntil;
        init => _pausedUntil = value?.ToUniversalTime();
    }

    /// <summary>Whether marketing is paused at an instant (<see cref="PausedUntil"/> is after it).</summary>
    /// <param name="at">The instant.</param>
    /// <returns><see langword="true"/> while paused.</returns>
    public bool IsPausedAt(DateTimeOffset at) => _pausedUntil is { } until && at < until;

    /// <summary>The rank of a channel in <see cref="ChannelRanking"/> (0 is best), or <see langword="null"/> when not ranked.</summary>
    /// <param name="channel">The channel.</param>
    /// <returns>The rank.</returns>
    public int? RankOf(Channel channel)
    {
        for (var i = 0; i < ChannelRanking.Count; i++)
        {
            if (ChannelRanking[i] == channel)
            {
                return i;
            }
        }

        return null;
    }
}
