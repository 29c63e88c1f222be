using System.Globalization;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Timing;

namespace Personalize.Serialization;

/// <summary>Maps profiles to their JSON shapes.</summary>
internal static class CustomerJsonWriter
{
    /// <summary>The profile's JSON shape; <paramref name="forStore"/>: a store's row, with the phone's verdict beside the number (ADR 0081).</summary>
    public static CustomerDto ToDto(CustomerProfile customer, bool forStore = false)
    {
        ArgumentNullException.ThrowIfNull(customer);
        var dto = new CustomerDto
        {
            Id = customer.Id,
            Stage = Name(customer.Stage),
            StagePinned = customer.StagePinned ? true : null,
            Language = customer.Language,
            TimeZone = ZoneId(customer.TimeZone),
        };

        var points = customer.ContactPoints;
        if (points.Email is not null || points.Phone is not null || points.PostalAddress is not null || points.DeviceTokens.Count > 0)
        {
            dto.ContactPoints = new ContactPointsDto
            {
                Email = points.Email,
                Phone = points.Phone,
                PhoneVerdict = forStore ? points.StoredPhoneVerdict() : null,
                DeviceTokens = points.DeviceTokens.Count > 0 ? [.. points.DeviceTokens] : null,
                PostalAddress = points.PostalAddress is { } a
                    ? new PostalAddressDto { Lines = [.. a.Lines], PostalCode = a.PostalCode, City = a.City, Region = a.Region, Country = a.Country }
                    : null,
            };
        }

        var p = customer.Preferences;
        if (p.ChannelRanking.Count > 0 || p.FrequencyCaps.Count > 0 || p.PreferredDays.Count > 0 || p.PreferredHours.Count > 0 || p.QuietHours is not null || p.PausedUntil is not null)
        {
            var preferences = new PreferencesDto();
            if (p.ChannelRanking.Count > 0)
            {
                preferences.ChannelRanking = [];
                foreach (var channel in p.ChannelRanking)
                {
                    preferences.ChannelRanking.Add(channel.ToString());
                }
            }

            if (p.FrequencyCaps.Count > 0)
            {
                preferences.FrequencyCaps = [];
                foreach (var cap in p.FrequencyCaps)
                {
                    preferences.FrequencyCaps.Add(new FrequencyCapDto { Channel = cap.Channel?.ToString(), Max = cap.Max, Per = Name(cap.Period) });
                }
            }

            if (p.PreferredDays.Count > 0)
            {
                preferences.PreferredDays = [];
                foreach (var day in p.PreferredDays)
                {
                    preferences.PreferredDays.Add(Name(day));
                }
            }

            if (p.PreferredHours.Count > 0)
            {
                preferences.PreferredHours = [];
                foreach (var window in p.PreferredHours)
                {
                    preferences.PreferredHours.Add(Window(window));
                }
            }

            preferences.QuietHours = p.QuietHours is { } quiet ? Window(quiet) : null;
            preferences.PausedUntil = p.PausedUntil is { } paused ? Instant(paused) : null;
            dto.Preferences = preferences;
        }

        if (customer.Consents.Records.Count > 0)
        {
            dto.Consents = [];
            foreach (var record in customer.Consents.Records)
            {
                dto.Consents.Add(Consent(record));
            }
        }

        if (customer.History.Count > 0)
        {
            dto.History = [];
            foreach (var record in customer.History.Records)
            {
                dto.History.Add(new ContactDto
                {
                    MessageId = record.MessageId,
                    Channel = record.Channel.ToString(),
                    Purpose = Name(record.Purpose),
                    Kind = Name(record.Kind),
                    SentAt = Instant(record.SentAt),
                });
            }
        }

        var flags = customer.ServiceFlags;
        if (flags.OpenComplaint || flags.FailedPayment || flags.NpsScore is not null)
        {
            dto.ServiceFlags = new ServiceFlagsDto
            {
                OpenComplaint = flags.OpenComplaint ? true : null,
                FailedPayment = flags.FailedPayment ? true : null,
                NpsScore = flags.NpsScore,
            };
        }

        if (customer.Attributes.Count > 0)
        {
            dto.Attributes = new Dictionary<string, System.Text.Json.JsonElement>(customer.Attributes);
        }

        return dto;
    }

    private static ConsentDto Consent(ConsentRecord record)
    {
        var dto = new ConsentDto
        {
            Action = record.Action == ConsentAction.Grant ? "grant" : "withdraw",
            At = Instant(record.RecordedAt),
            Source = new SourceDto { Kind = Name(record.Source.Kind), Detail = record.Source.Detail },
            Wording = record.Wording,
            WordingVersion = record.WordingVersion,
            OptIn = record.Action == ConsentAction.Grant ? (record.OptIn == OptInMethod.Double ? "double" : "single") : null,
            ConfirmedAt = record.ConfirmedAt is { } confirmed ? Instant(confirmed) : null,
            MethodEvidence = record.MethodEvidence,
        };
        var scope = record.Scope;
        switch (scope.Kind)
        {
            case ConsentScopeKind.Channel:
                dto.Channel = scope.Channel.ToString();
                dto.Purpose = scope.Purpose is { } p ? Name(p) : null;
                break;
            case ConsentScopeKind.Purpose:
                dto.Purpose = Name(scope.Purpose.GetValueOrDefault());
                break;
            case ConsentScopeKind.Topic:
                dto.Topic = scope.Topic;
                break;
            default:
                dto.Personalization = true;
                break;
        }

        return dto;
    }

    internal static string ZoneId(TimeZoneInfo zone)
        => zone.HasIanaId || !TimeZoneInfo.TryConvertWindowsIdToIanaId(zone.Id, out var iana) ? zone.Id : iana;

    private static WindowDto Window(TimeWindow window) => new() { Start = window.FormatStart(), End = window.FormatEnd() };

    private static string Instant(DateTimeOffset instant)
    {
        var utc = instant.UtcDateTime;
        return utc.Ticks % TimeSpan.TicksPerSecond == 0
            ? utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
    }

    internal static string Name<T>(T value)
        where T : struct, Enum
    {
        var text = value.ToString();
        var builder = new System.Text.StringBuilder(text.Length + 4);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsUpper(c))
            {
                if (i > 0)
                {
                    builder.Append('_');
                }

                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
