using Personalize.Channels;
using Personalize.Customers;
using Personalize.Timing;

namespace Personalize.AspNetCore;

/// <summary>What a customer chose on the page or through the JSON API; <see langword="null"/> parts stay as they are.</summary>
internal sealed class PreferenceChoices
{
    /// <summary>Marketing opt-in per channel.</summary>
    public Dictionary<Channel, bool>? Channels { get; set; }

    /// <summary>Subscription per topic.</summary>
    public Dictionary<string, bool>? Topics { get; set; }

    public bool? Personalization { get; set; }

    /// <summary>The cap per channel; a null value removes the channel's cap.</summary>
    public Dictionary<Channel, (int Max, CapPeriod Period)?>? Frequency { get; set; }

    /// <summary>Whether <see cref="QuietHours"/> is a choice (null then means "the host's default").</summary>
    public bool QuietHoursChosen { get; set; }

    public TimeWindow? QuietHours { get; set; }

    public List<DayOfWeek>? PreferredDays { get; set; }

    /// <summary>The channels in the order preferred, best first.</summary>
    public List<Channel>? ChannelOrder { get; set; }

    /// <summary>Pause: null keeps it, 0 ends it, N pauses for N weeks from now.</summary>
    public int? PauseWeeks { get; set; }
}
