using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using Personalize.Customers;

namespace Personalize.Decisions;

/// <summary>
/// Cache prefetch hints for deciding a batch of profiles held in memory. A decision reads about twenty objects of its
/// customer (profile, preferences, contact points, consent ledger, history arrays); when the profiles do not fit in
/// the CPU caches each read waits for main memory, one after the other. While deciding customer <c>i</c>, the batch
/// loop asks the CPU to start loading the profile object of <c>i + 3</c>, the objects it points to for <c>i + 2</c>
/// and their arrays for <c>i + 1</c>, so those reads are in flight while the current decision runs. Hints only: a
/// prefetch never faults and never changes a result; on CPUs without the instruction it does nothing.
/// </summary>
internal static unsafe class ProfilePrefetch
{
    /// <summary>The prefetch pipeline for the customers after <paramref name="index"/> (up to <paramref name="end"/>, exclusive).</summary>
    public static void Ahead(IReadOnlyList<CustomerProfile> customers, int index, int end)
    {
        if (!Sse.IsSupported)
        {
            return;
        }

        if (index + 3 < end)
        {
            Object(customers[index + 3]);
        }

        if (index + 2 < end && customers[index + 2] is { } next)
        {
            Object(next.Preferences);
            Object(next.ContactPoints);
            Object(next.Consents);
            Object(next.History);
            Object(next.ServiceFlags);
        }

        // Null members are the decision's to report, not the hint's: skip them here.
        if (index + 1 < end && customers[index + 1] is { } following)
        {
            Object(following.Preferences?.ChannelRanking);
            Object(following.Consents?.LookupStorage);
            if (following.ContactPoints is { } points)
            {
                Object(points.Email);
                Object(points.Phone);
                Object(points.DeviceTokens);
            }

            if (following.History is { } history)
            {
                var (ticks, channels, purposes) = history.IndexStorage;
                Object(ticks);
                Object(channels);
                Object(purposes);
            }
        }
    }

    /// <summary>Hints the CPU to load the first cache line of an object (its address is read now; if the garbage
    /// collector moves it meanwhile, the hint is for a stale address, which is harmless).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Object(object? value)
    {
        if (value is not null)
        {
            Sse.Prefetch0(*(void**)Unsafe.AsPointer(ref value));
        }
    }
}
