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

    /// <summary>
    /// Gets a value indicating whether the store's ingestion write takes a new lifecycle stage alone
    /// (<see cref="CustomerSends.Stage"/>, with the facts and events of a screened customer) and writes it wherever the
    /// profile keeps it; when <see langword="false"/>, a stage change reads the customer whole and writes the whole profile.
    /// </summary>
    bool WritesStage => false;
}

/// <summary>
/// One customer as ingestion and the tick screen it: a profile with only the facts, stage, pinned flag, time zone,
/// service flags and birthday attribute (no consents, history, contact points or other attributes), or <see langword="null"/> when the store could
/// not read those fields cheaply (then the tick reads the customer whole).
/// </summary>
internal readonly record struct TickRow(string Id, StoredCustomer? Screen);

/// <summary>Builds the screening profile of a <see cref="TickRow"/> from the columns a store keeps for it (SQLite) or from the profile JSON (PostgreSQL).</summary>
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

    /// <summary>
    /// The screening profile from a profile JSON (<paramref name="profileJson"/>), for stores that keep no screened
    /// columns (PostgreSQL): its <c>stage</c>, <c>stagePinned</c>, <c>timeZone</c>, <c>serviceFlags</c> and
    /// <c>attributes.birthday</c>, with <paramref name="facts"/>, wherever they stand in the object (no assumption about
    /// the order a writer puts them in); every other property is skipped unread. <see langword="null"/> when a field is not what
    /// the profile reader would accept (the tick then reads the customer whole and reports it as it always did).
    /// </summary>
    public static Customers.CustomerProfile? Profile(string id, CustomerFacts facts, ReadOnlySpan<byte> profileJson)
    {
        var profile = new Customers.CustomerProfile { Id = id, Facts = facts };
        if (profileJson.IsEmpty)
        {
            return profile;
        }

        // Most profiles have no birthday: one vectorised search spares walking their attributes.
        var birthday = profileJson.IndexOf("\"birthday\""u8) >= 0;
        var flags = profileJson.IndexOf("\"serviceFlags\""u8) >= 0;
        try
        {
            var reader = new Utf8JsonReader(profileJson);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("stage"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.Null)
                    {
                        continue;
                    }

                    if (reader.TokenType != JsonTokenType.String || Stage(ref reader) is not { } stage)
                    {
                        return null;
                    }

                    profile = profile with { Stage = stage };
                }
                else if (reader.ValueTextEquals("stagePinned"u8))
                {
                    reader.Read();
                    if (reader.TokenType is not (JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null))
                    {
                        return null;
                    }

                    profile = profile with { StagePinned = reader.TokenType == JsonTokenType.True };
                }
                else if (reader.ValueTextEquals("timeZone"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.Null)
                    {
                        continue;
                    }

                    if (reader.TokenType != JsonTokenType.String || Zone(reader.GetString()!) is not { } zone)
                    {
                        return null;
                    }

                    profile = profile with { TimeZone = zone };
                }
                else if (flags && reader.ValueTextEquals("serviceFlags"u8))
                {
                    if (ServiceFlags(ref reader) is not { } read)
                    {
                        return null;
                    }

                    profile = profile with { ServiceFlags = read };
                }
                else if (birthday && reader.ValueTextEquals("attributes"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        reader.Skip();
                        continue;
                    }

                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        var isBirthday = reader.ValueTextEquals("birthday"u8);
                        reader.Read();
                        if (isBirthday)
                        {
                            using var document = JsonDocument.ParseValue(ref reader);
                            profile = profile with { Attributes = new Dictionary<string, JsonElement>(StringComparer.Ordinal) { ["birthday"] = document.RootElement.Clone() } };
                        }
                        else
                        {
                            reader.Skip();
                        }
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }

        return profile;
    }

    private static Customers.ServiceFlags? ServiceFlags(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return Customers.ServiceFlags.None;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        bool complaint = false, payment = false;
        int? nps = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueTextEquals("openComplaint"u8) ? 1 : reader.ValueTextEquals("failedPayment"u8) ? 2 : reader.ValueTextEquals("npsScore"u8) ? 3 : 0;
            reader.Read();
            switch (name)
            {
                case 1 or 2 when reader.TokenType is JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null:
                    var set = reader.TokenType == JsonTokenType.True;
                    (complaint, payment) = name == 1 ? (set, payment) : (complaint, set);
                    break;
                case 3 when reader.TokenType == JsonTokenType.Null:
                    break;
                case 3 when reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var score):
                    nps = score;
                    break;
                default:
                    return null;
            }
        }

        return new Customers.ServiceFlags { OpenComplaint = complaint, FailedPayment = payment, NpsScore = nps };
    }

    private static LifecycleStage? Stage(ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("exposure"u8))
        {
            return LifecycleStage.Exposure;
        }

        if (reader.ValueTextEquals("adoption"u8))
        {
            return LifecycleStage.Adoption;
        }

        if (reader.ValueTextEquals("retention"u8))
        {
            return LifecycleStage.Retention;
        }

        var text = reader.GetString();
        return Enum.TryParse<LifecycleStage>(text, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !char.IsDigit(text![0]) ? parsed : null;
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
