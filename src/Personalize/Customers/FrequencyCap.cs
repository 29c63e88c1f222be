using Personalize.Channels;

namespace Personalize.Customers;

/// <summary>
/// At most <see cref="Max"/> messages per rolling <see cref="Period"/>, on one channel or overall. The window at
/// instant <c>t</c> is <c>(t - Window, t]</c>: a message sent exactly one window ago no longer counts.
/// </summary>
public sealed record FrequencyCap
{
    /// <summary>The channel the cap applies to, or <see langword="null"/> for all channels together.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public Channel? Channel { get; init; }

    /// <summary>The most messages allowed in the window (0 means none).</summary>
    public required int Max { get; init; }

    /// <summary>The rolling window.</summary>
    public required CapPeriod Period { get; init; }

    /// <summary>The length of the rolling window: 1, 7 or 30 days.</summary>
    public TimeSpan Window => Period switch
    {
        CapPeriod.Day => TimeSpan.FromDays(1),
        CapPeriod.Week => TimeSpan.FromDays(7),
        _ => TimeSpan.FromDays(30),
    };

    /// <summary>Counts the messages this cap counts in the rolling window <c>(at - Window, at]</c>.</summary>
    /// <param name="history">The customer's contact history.</param>
    /// <param name="at">The end of the window (inclusive).</param>
    /// <param name="purpose">Only messages of this purpose, or <see langword="null"/> for all (which purposes count is the caller's policy).</param>
    /// <returns>The count.</returns>
    public int CountIn(ContactHistory history, DateTimeOffset at, ContactPurpose? purpose = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        return history.CountBetween(WindowStart(at), WindowEnd(at), Channel, purpose);
    }

    /// <summary>Whether one more message at <paramref name="at"/> would exceed the cap.</summary>
    /// <param name="history">The customer's contact history.</param>
    /// <param name="at">The instant of the next message.</param>
    /// <param name="purpose">Only messages of this purpose count, or <see langword="null"/> for all.</param>
    /// <returns><see langword="true"/> when the cap is reached.</returns>
    public bool IsReached(ContactHistory history, DateTimeOffset at, ContactPurpose? purpose = null) => CountIn(history, at, purpose) >= Max;

    /// <summary>
    /// The first instant at or after <paramref name="at"/> when one more message fits under the cap: <paramref name="at"/>
    /// itself when the cap is not reached, otherwise when enough counted messages have left the rolling window.
    /// Use it to defer a capped message instead of dropping it. Assumes nothing else is sent meanwhile.
    /// </summary>
    /// <param name="history">The customer's contact history.</param>
    /// <param name="at">The earliest acceptable instant.</param>
    /// <param name="purpose">Only messages of this purpose count, or <see langword="null"/> for all.</param>
    /// <returns>The instant, or <see langword="null"/> when <see cref="Max"/> is 0 (never).</returns>
    public DateTimeOffset? NextAllowed(ContactHistory history, DateTimeOffset at, ContactPurpose? purpose = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (Max <= 0)
        {
            return null;
        }

        var count = CountIn(history, at, purpose);
        if (count < Max)
        {
            return at;
        }

        // When the (count - Max)-th counted message (0-based, oldest first) leaves the window, Max - 1 remain.
        var oldest = history.NthSentAt(WindowStart(at), WindowEnd(at), count - Max, Channel, purpose);
        return oldest + Window;
    }

    private DateTimeOffset WindowStart(DateTimeOffset at) => at - Window + TimeSpan.FromTicks(1);

    private static DateTimeOffset WindowEnd(DateTimeOffset at) => at + TimeSpan.FromTicks(1);
}
