using Personalize.Customers;

namespace Personalize.Decisions;

/// <summary>Counts frequency-cap windows over a purpose group (service or promotional) without allocating.</summary>
internal static class CapMath
{
    /// <summary>Counts the messages a cap counts in <c>(at - window, at]</c> within a purpose group; when reached, the instant one more fits.</summary>
    public static int Count(ContactHistory history, FrequencyCap cap, DateTimeOffset at, bool service, out DateTimeOffset? nextAllowed)
    {
        var ticks = history.SentTicks;
        var window = cap.Window;
        var start = history.FirstAfter(at - window);
        var until = at.UtcTicks;
        var count = 0;
        for (var i = start; i < ticks.Length && ticks[i] <= until; i++)
        {
            if (Matches(history, i, cap, service))
            {
                count++;
            }
        }

        nextAllowed = NextAllowed(history, cap, start, service, count);
        return count;
    }

    /// <summary>
    /// For a cap that counts <paramref name="count"/> messages in <c>(at - window, at]</c> (counted already, for example by
    /// the frequency rule's counts of the decision), the instant one more fits: <see langword="null"/> when the cap is not
    /// reached or is 0 (it never frees).
    /// </summary>
    public static DateTimeOffset? NextAllowed(ContactHistory history, FrequencyCap cap, DateTimeOffset at, bool service, int count)
        => count >= cap.Max && cap.Max > 0 ? NextAllowed(history, cap, history.FirstAfter(at - cap.Window), service, count) : null;

    private static DateTimeOffset? NextAllowed(ContactHistory history, FrequencyCap cap, int start, bool service, int count)
    {
        if (count < cap.Max || cap.Max <= 0)
        {
            return null;
        }

        // When the (count - Max)-th counted message (0-based, oldest first) leaves the window, Max - 1 remain.
        var ticks = history.SentTicks;
        var target = count - cap.Max;
        var seen = 0;
        for (var i = start; i < ticks.Length; i++)
        {
            if (Matches(history, i, cap, service) && seen++ == target)
            {
                return history.SentAtOf(i) + cap.Window;
            }
        }

        return null;
    }

    private static bool Matches(ContactHistory history, int i, FrequencyCap cap, bool service)
        => (history.Purposes[i] == ContactPurpose.Service) == service && (cap.Channel is not { } channel || history.Channels[i] == channel);
}
