using System.Text.Json;
using Personalize.Storage;

namespace Personalize.Events;

/// <summary>
/// A store that can read only what event ingestion and the tick screen a customer with: the facts and the profile
/// fields <see cref="Occasions"/> and <see cref="FactUpdater"/> read (stage, whether it is pinned, time zone, the
/// <c>birthday</c> attribute). The tick reads whole customers (<see cref="IPersonalizeStore.GetCustomersAsync"/>) only
/// for those the screen finds something due for, and ingestion only for those whose events change more than facts
/// (a profile field, consent evidence, a suppression); so a daily tick where little is due, or a stream of events that
/// update facts, reads a fraction of what whole customers weigh.
/// </summary>
internal interface IScreenReader
{
    /// <summary>Reads one page of screening rows in the store's id order (<see cref="CustomerQuery.Limit"/>, <see cref="CustomerQuery.ContinueAfter"/>).</summary>
    ValueTask<StorePage<TickRow>> ReadTickPageAsync(CustomerQuery query, CancellationToken cancellationToken);

    /// <summary>Reads the screening rows of some customers (ids not found are left out; order not kept).</summary>
    ValueTask<IReadOnlyList<TickRow>> ReadScreensAsync(IReadOnlyCollection<string> customerIds, CancellationToken cancellationToken);
}

/// <summary>
/// One customer as ingestion and the tick screen it: a profile with only the facts, stage, pinned flag, time zone,
/// service flags and birthday attribute (no consents, history, contact points or other attributes), or <see langword="null"/> when the store could
/// not read those fields cheaply (then the tick reads the customer whole).
/// </summary>
internal readonly record struct TickRow(string Id, StoredCustomer? Screen);

/// <summary>Builds the screening profile of a <see cref="TickRow"/> from the profile fields a store keeps in their own columns.</summary>
internal static class TickScreen
{
    /// <summary>The bit of <see cref="Customers.ServiceFlags.OpenComplaint"/> in a stored service-flags column.</summary>
    public const int OpenComplaintBit = 1;

    /// <summary>The bit of <see cref="Customers.ServiceFlags.FailedPayment"/> in a stored service-flags column.</summary>
    public const int FailedPaymentBit = 2;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, TimeZoneInfo?> Zones = new(StringComparer.Ordinal);

    /// <summary>The service flags as a store's column keeps them (<see cref="OpenComplaintBit"/>, <see cref="FailedPaymentBit"/>).</summary>
    public static int FlagBits(Customers.ServiceFlags flags)
        => (flags.OpenComplaint ? OpenComplaintBit : 0) | (flags.FailedPayment ? FailedPaymentBit : 0);

    /// <summary>
    /// The screening profile from the columns a store wrote beside the profile JSON: the stage (its
    /// <see cref="LifecycleStage"/> number), whether it is pinned, the time zone id, the service flag bits
    /// (<see cref="FlagBits"/>) with the NPS score, and the <c>birthday</c> attribute's JSON (empty when the customer has
    /// none), with <paramref name="facts"/>. <see langword="null"/> when a column holds what the profile reader would not
    /// accept (the tick then reads the customer whole and reports it as it always did).
    /// </summary>
    public static Customers.CustomerProfile? Profile(string id, CustomerFacts facts, long stage, bool stagePinned, string timeZone, long serviceFlags, long? npsScore, ReadOnlySpan<byte> birthday)
    {
        if (stage is < (long)LifecycleStage.Exposure or > (long)LifecycleStage.Retention || Zone(timeZone) is not { } zone || npsScore is < int.MinValue or > int.MaxValue)
        {
            return null;
        }

        var profile = new Customers.CustomerProfile { Id = id, Facts = facts, Stage = (LifecycleStage)stage, StagePinned = stagePinned, TimeZone = zone };
        if (serviceFlags != 0 || npsScore is not null)
        {
            profile = profile with
            {
                ServiceFlags = new Customers.ServiceFlags { OpenComplaint = (serviceFlags & OpenComplaintBit) != 0, FailedPayment = (serviceFlags & FailedPaymentBit) != 0, NpsScore = (int?)npsScore },
            };
        }

        if (!birthday.IsEmpty)
        {
            try
            {
                using var document = JsonDocument.Parse(birthday.ToArray());
                profile = profile with { Attributes = new Dictionary<string, JsonElement>(StringComparer.Ordinal) { ["birthday"] = document.RootElement.Clone() } };
            }
            catch (JsonException)
            {
                return null;
            }
        }

        return profile;
    }

    // A store holds few distinct zones; the cache stops growing at 1,024 (then each lookup asks the system).
    private static TimeZoneInfo? Zone(string id) => Zones.TryGetValue(id, out var zone) ? zone : Zones.Count < 1024 ? Zones.GetOrAdd(id, Find) : Find(id);

    private static TimeZoneInfo? Find(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            return null;
        }
    }
}
