using Personalize.Channels;
using Personalize.Timing;

namespace Personalize.Customers;

/// <summary>
/// How, how often and when the customer chose to be contacted. Which channels and topics they opted into,
/// and personalization consent, live in the <see cref="Consent.ConsentLedger"/> with their evidence.
/// </summary>
public sealed record ContactPreferences
{
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
