using System.Text.Json;
using Personalize.Storage;

namespace Personalize.Events;

/// <summary>
/// A store that can read, a page at a time, only what the tick screens every customer with: the facts and the profile
/// fields <see cref="Occasions"/> reads (stage, whether it is pinned, time zone, the <c>birthday</c> attribute). The
/// tick reads whole customers (<see cref="IPersonalizeStore.GetCustomersAsync"/>) only for those the screen finds
/// something for, so a daily tick where little is due reads a fraction of the store.
/// </summary>
internal interface ITickReader
{
    /// <summary>Reads one page of screening rows in the store's id order (<see cref="CustomerQuery.Limit"/>, <see cref="CustomerQuery.ContinueAfter"/>).</summary>
    ValueTask<StorePage<TickRow>> ReadTickPageAsync(CustomerQuery query, CancellationToken cancellationToken);
}

/// <summary>
/// One customer as the tick screens it: a profile with only the facts, stage, pinned flag, time zone and birthday
/// attribute (no consents, history, contact points or other attributes), or <see langword="null"/> when the store could
/// not read those fields cheaply (then the tick reads the customer whole).
/// </summary>
internal readonly record struct TickRow(string Id, StoredCustomer? Screen);

/// <summary>Builds the screening profile of a <see cref="TickRow"/> from the fields a store extracted from the profile JSON.</summary>
internal static class TickScreen
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, TimeZoneInfo?> Zones = new(StringComparer.Ordinal);

    /// <summary>
    /// The screening profile from the stored profile JSON (<paramref name="profileJson"/>, as the store's customer
    /// writer wrote it): its <c>stage</c>, <c>stagePinned</c>, <c>timeZone</c> and <c>attributes.birthday</c>, with
    /// <paramref name="facts"/>; every other property is skipped unread. <see langword="null"/> when a field is not what
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
                    if (!birthday)
                    {
                        // The store's writer puts stage and stagePinned before timeZone (CustomerDto's order): nothing
                        // after it is screened unless the profile has a birthday.
                        break;
                    }
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
