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

        nextAllowed = null;
        if (count >= cap.Max && cap.Max > 0)
        {
            // When the (count - Max)-th counted message (0-based, oldest first) leaves the window, Max - 1 remain.
            var target = count - cap.Max;
            var seen = 0;
            for (var i = start; i < ticks.Length; i++)
            {
                if (Matches(history, i, cap, service) && seen++ == target)
                {
                    nextAllowed = history.SentAtOf(i) + window;
                    break;
                }
            }
        }

        return count;
    }

    private static bool Matches(ContactHistory history, int i, FrequencyCap cap, bool service)
        => (history.Purposes[i] == ContactPurpose.Service) == service && (cap.Channel is not { } channel || history.Channels[i] == channel);
}
