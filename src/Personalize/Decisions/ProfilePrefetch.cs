using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;

namespace Personalize.Decisions;

/// <summary>
/// Cache prefetch hints for deciding a batch of profiles held in memory. A decision reads about thirty cache lines of
/// its customer (profile, preferences, contact points, consent ledger, history arrays); when the profiles do not fit in
/// the CPU caches each read waits for main memory, mostly one after the other because each object is found through the
/// one before. While deciding customer <c>i</c>, the batch loop asks the CPU to start loading, one level of that chain
/// per step: the profile of <c>i + 4</c>, the objects it points to for <c>i + 3</c>, their arrays for <c>i + 2</c>,
/// and the rest of those arrays (and the first own frequency cap) for <c>i + 1</c>. Each step only reads what an earlier step loaded, so the
/// hints themselves do not wait. Objects often straddle two cache lines (a profile is about 100 bytes), so objects get
/// two lines and arrays as many as they span (up to <see cref="MaxArrayLines"/>).
/// Hints only: a prefetch never faults and never changes a result; on CPUs without the instruction it does nothing.
/// </summary>
internal static unsafe class ProfilePrefetch
{
    private const int Line = 64;
    private const int MaxArrayLines = 8;

    /// <summary>The prefetch pipeline for the customers after <paramref name="index"/> (up to <paramref name="end"/>, exclusive).</summary>
    public static void Ahead(ReadOnlySpan<CustomerProfile> customers, int index, int end)
    {
        if (!Sse.IsSupported)
        {
            return;
        }

        if (index + 4 < end)
        {
            Lines(customers[index + 4], 2);
        }

        // Null members are the decision's to report, not the hint's: skip them here.
        if (index + 3 < end && customers[index + 3] is { } third)
        {
            Lines(third.Preferences, 2);
            Lines(third.ContactPoints, 2);
            Lines(third.Consents, 2);
            Lines(third.History, 2);
            Lines(third.ServiceFlags, 1);
            Lines(third.Attributes, 1);
        }

        if (index + 2 < end && customers[index + 2] is { } second)
        {
            if (second.Preferences is { } preferences)
            {
                Lines(preferences.ChannelRanking, 1);
                Lines(preferences.FrequencyCaps, 1);
            }

            Lines(second.ContactPoints?.DeviceTokens, 1);

            Lines(second.Consents?.LookupStorage, 2);
            if (second.History is { } history)
            {
                var (ticks, channels, purposes, hashes) = history.IndexStorage;
                Lines(ticks, 2);
                Lines(channels, 2);
                Lines(purposes, 1);
                Lines(hashes, 1);
            }
        }

        if (index + 1 < end && customers[index + 1] is { } first)
        {
            if (first.Preferences?.FrequencyCaps is FrequencyCap[] { Length: > 0 } caps)
            {
                Lines(caps[0], 1);
            }

            if (first.Consents is { } consents)
            {
                Rest(consents.LookupStorage as Array, consents.LookupElementSize, 2);
            }
            if (first.History is { } history)
            {
                var (ticks, channels, _, _) = history.IndexStorage;
                Rest((Array)ticks, sizeof(long), 2);
                Rest((Array)channels, Unsafe.SizeOf<Channel>(), 2);
            }
        }
    }

    /// <summary>Hints the CPU to load the first <paramref name="count"/> cache lines of an object, from its header on
    /// (its address is read now; if the garbage collector moves it meanwhile, the hint is for a stale address, which is harmless).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Lines(object? value, int count)
    {
        if (value is not null)
        {
            var start = *(byte**)Unsafe.AsPointer(ref value);
            for (var i = 0; i < count; i++)
            {
                Sse.Prefetch0(start + (i * Line));
            }
        }
    }

    /// <summary>Hints the lines of an array after the first <paramref name="done"/> (whose length is in the cache by now).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Rest(Array? array, int elementSize, int done)
    {
        if (array is null)
        {
            return;
        }

        // Header (method table and length, 16 bytes) then the elements.
        var bytes = 16 + ((long)array.Length * elementSize);
        var lines = (int)Math.Min((bytes + Line - 1) / Line, MaxArrayLines);
        var start = *(byte**)Unsafe.AsPointer(ref array);
        for (var i = done; i < lines; i++)
        {
            Sse.Prefetch0(start + (i * Line));
        }
    }
}
