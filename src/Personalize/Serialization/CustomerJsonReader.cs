using System.Globalization;
using System.Text.Json;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Timing;

namespace Personalize.Serialization;

/// <summary>Reads customer JSON into profiles, collecting every error with its JSON path. One instance per read.</summary>
/// <remarks>
/// A <em>trusted</em> reader (<see cref="CustomerJson.ForStore"/>) reads what a store wrote itself: it keeps the checks
/// without which no profile can be built (required fields, channel names, time zones, instants, enum values) and skips
/// the ones that judge the data (email and phone validity, language tags, postal address completeness, attribute
/// limits, unknown properties, NPS range). Those were checked when the profile was imported or saved; checking them
/// again on every read would make customers stored under older, laxer rules unreadable when a rule is tightened.
/// </remarks>
internal sealed class CustomerJsonReader
{
    private readonly ChannelRegistry _channels;
    private readonly int _maxAttributeBytes;
    private readonly int _maxAttributes;
    private readonly bool _trusted;
    private readonly List<CustomerJsonError> _errors = [];

    public CustomerJsonReader(ChannelRegistry channels, int maxAttributeBytes = CustomerJson.DefaultMaxAttributeBytes, int maxAttributes = CustomerJson.DefaultMaxAttributes, bool trusted = false)
    {
        _channels = channels;
        _maxAttributeBytes = maxAttributeBytes;
        _maxAttributes = maxAttributes;
        _trusted = trusted;
    }

    public IReadOnlyList<CustomerJsonError> Errors => _errors;

    /// <summary>The errors with the line and column of each path in <paramref name="utf8Json"/> (one pass over the text for all of them).</summary>
    public IReadOnlyList<CustomerJsonError> ErrorsAt(ReadOnlySpan<byte> utf8Json)
    {
        if (_errors.Count == 0)
        {
            return _errors;
        }

        var positions = JsonPositions.Find(utf8Json, _errors.Where(static e => e.Line is null).Select(static e => e.Path));
        var located = new CustomerJsonError[_errors.Count];
        for (var i = 0; i < located.Length; i++)
        {
            var error = _errors[i];
            located[i] = error.Line is null && positions.TryGetValue(error.Path, out var at) ? error with { Line = at.Line, Column = at.Column } : error;
        }

        return located;
    }

    public IReadOnlyList<CustomerProfile> ReadFile(ReadOnlySpan<byte> utf8Json)
    {
        CustomerFileDto? file;
        try
        {
            file = JsonSerializer.Deserialize(utf8Json, PersonalizeJsonContext.Default.CustomerFileDto);
        }
        catch (JsonException ex)
        {
            AddJsonException(ex, utf8Json);
            return [];
        }

        if (file is null)
        {
            Add("$", "is null; expected an object { \"customers\": [ … ] }");
            return [];
        }

        Unknown("$", file.Extra);
        if (file.Customers is null)
        {
            Add("$.customers", "is required (an array of customer objects)");
            return [];
        }

        var customers = new List<CustomerProfile>(file.Customers.Count);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < file.Customers.Count; i++)
        {
            var path = $"$.customers[{i}]";
            var dto = file.Customers[i];
            if (dto is null)
            {
                Add(path, "is null; expected a customer object");
                continue;
            }

            var customer = Customer(path, dto);
            if (customer is null)
            {
                continue;
            }

            if (seen.TryGetValue(customer.Id, out var first))
            {
                Add(path + ".id", $"\"{customer.Id}\" repeats the id of $.customers[{first}]");
                continue;
            }

            seen.Add(customer.Id, i);
            customers.Add(customer);
        }

        return customers;
    }

    public CustomerProfile? ReadSingle(ReadOnlySpan<byte> utf8Json)
    {
        CustomerDto? dto;
        try
        {
            dto = JsonSerializer.Deserialize(utf8Json, PersonalizeJsonContext.Default.CustomerDto);
        }
        catch (JsonException ex)
        {
            AddJsonException(ex, utf8Json);
            return null;
        }

        if (dto is null)
        {
            Add("$", "is null; expected a customer object");
            return null;
        }

        return Customer("$", dto);
    }

    private CustomerProfile? Customer(string path, CustomerDto dto)
    {
        var before = _errors.Count;
        Unknown(path, dto.Extra);

        if (string.IsNullOrWhiteSpace(dto.Id))
        {
            Add(path + ".id", dto.Id is null ? "is required (the customer's id)" : "is empty; expected the customer's id");
        }

        var stage = LifecycleStage.Exposure;
        if (dto.Stage is null)
        {
            Add(path + ".stage", "is required (exposure, adoption or retention)");
        }
        else if (!TryEnum(dto.Stage, out stage))
        {
            Add(path + ".stage", $"\"{dto.Stage}\" is not a lifecycle stage (expected exposure, adoption or retention)");
        }

        if (!_trusted && dto.Language is not null && !IsLanguageTag(dto.Language))
        {
            Add(path + ".language", $"\"{dto.Language}\" is not a BCP 47 language tag (for example en-NZ)");
        }

        var zone = Zone(path + ".timeZone", dto.TimeZone);
        var contactPoints = dto.ContactPoints is null ? ContactPoints.None : ReadContactPoints(path + ".contactPoints", dto.ContactPoints);
        var preferences = dto.Preferences is null ? ContactPreferences.Default : Preferences(path + ".preferences", dto.Preferences);
        var consents = dto.Consents is null ? ConsentLedger.Empty : Consents(path + ".consents", dto.Consents);
        var history = dto.History is null ? ContactHistory.Empty : History(path + ".history", dto.History);
        var flags = dto.ServiceFlags is null ? ServiceFlags.None : Flags(path + ".serviceFlags", dto.ServiceFlags);
        if (!_trusted && dto.Attributes is not null)
        {
            Attributes(path + ".attributes", dto.Attributes);
        }

        if (_errors.Count > before || zone is null)
        {
            return null;
        }

        return new CustomerProfile
        {
            Id = dto.Id!,
            Stage = stage,
            StagePinned = dto.StagePinned ?? false,
            Language = dto.Language,
            TimeZone = zone,
            ContactPoints = contactPoints,
            Preferences = preferences,
            Consents = consents,
            History = history,
            ServiceFlags = flags,
            Attributes = dto.Attributes is { Count: > 0 } attributes ? attributes : CustomerProfile.EmptyAttributes,
        };
    }

    private void Attributes(string path, Dictionary<string, JsonElement> attributes)
    {
        if (attributes.Count > _maxAttributes)
        {
            _errors.Add(new CustomerJsonError(path, $"has {attributes.Count.ToString("N0", CultureInfo.InvariantCulture)} attributes; a customer may have at most {_maxAttributes.ToString("N0", CultureInfo.InvariantCulture)} (CustomerJson.MaxAttributes, {CustomerJsonCodes.TooManyAttributes})") { Code = CustomerJsonCodes.TooManyAttributes });
        }

        foreach (var (key, value) in attributes)
        {
            if (string.IsNullOrWhiteSpace(key))
            {
                Add(path, "has an empty attribute name");
                continue;
            }

            var size = RawSize(value);
            if (size > _maxAttributeBytes)
            {
                _errors.Add(new CustomerJsonError(path + "." + key, $"is {size.ToString("N0", CultureInfo.InvariantCulture)} bytes of JSON; an attribute value may have at most {_maxAttributeBytes.ToString("N0", CultureInfo.InvariantCulture)} (CustomerJson.MaxAttributeBytes, {CustomerJsonCodes.AttributeTooLarge}). Keep large data (catalogs, documents) outside the profile and store a reference.") { Code = CustomerJsonCodes.AttributeTooLarge });
            }
        }
    }

    /// <summary>The size of an attribute value as JSON text, in UTF-8 bytes.</summary>
    internal static long RawSize(JsonElement value)
    {
#if NET9_0_OR_GREATER
        return System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(value).Length;
#else
        return System.Text.Encoding.UTF8.GetByteCount(value.GetRawText());
#endif
    }

    private TimeZoneInfo? Zone(string path, string? id)
    {
        if (id is null)
        {
            Add(path, "is required (an IANA time zone such as Europe/Berlin)");
            return null;
        }

        TimeZoneInfo zone;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            Add(path, $"\"{id}\" is not an IANA time zone (for example Europe/Berlin or Pacific/Auckland)");
            return null;
        }

        if (!zone.HasIanaId)
        {
            Add(path, TimeZoneInfo.TryConvertWindowsIdToIanaId(id, out var iana)
                ? $"\"{id}\" is a Windows time zone id; use the IANA id \"{iana}\""
                : $"\"{id}\" is not an IANA time zone (for example Europe/Berlin)");
            return null;
        }

        return zone;
    }

    private ContactPoints ReadContactPoints(string path, ContactPointsDto dto)
    {
        Unknown(path, dto.Extra);
        if (!_trusted && dto.PhoneVerdict is not null)
        {
            // Only a store's rows carry it (ADR 0081): in anyone else's JSON it is a property the format does not have.
            Add(path + ".phoneVerdict", "is not a known property (check the spelling; names are camelCase)");
        }
        if (!_trusted && dto.Email is not null && !ContactPointValidation.TryValidateEmail(dto.Email, out var emailProblem))
        {
            Add(path + ".email", $"\"{dto.Email}\" is not an email address a message can be sent to: it {emailProblem}");
        }

        if (!_trusted && dto.Phone is not null && !ContactPointValidation.TryValidatePhone(dto.Phone, dto.PostalAddress?.Country, out var phoneProblem))
        {
            Add(path + ".phone", $"\"{dto.Phone}\" {phoneProblem}");
        }

        PostalAddress? address = null;
        if (_trusted && dto.PostalAddress is { } stored)
        {
            address = new PostalAddress { Lines = stored.Lines is null ? [] : [.. stored.Lines.OfType<string>()], PostalCode = stored.PostalCode, City = stored.City ?? string.Empty, Region = stored.Region, Country = stored.Country ?? string.Empty };
        }
        else if (dto.PostalAddress is { } a)
        {
            var p = path + ".postalAddress";
            Unknown(p, a.Extra);
            var lines = new List<string>();
            if (a.Lines is null || a.Lines.Count == 0)
            {
                Add(p + ".lines", "is required (at least one street line)");
            }
            else
            {
                for (var i = 0; i < a.Lines.Count; i++)
                {
                    if (string.IsNullOrWhiteSpace(a.Lines[i]))
                    {
                        Add($"{p}.lines[{i}]", "is empty");
                    }
                    else
                    {
                        lines.Add(a.Lines[i]!);
                    }
                }
            }

            if (string.IsNullOrWhiteSpace(a.City))
            {
                Add(p + ".city", "is required");
            }

            if (a.Country is null)
            {
                Add(p + ".country", "is required (an ISO 3166-1 alpha-2 code such as NZ)");
            }
            else if (a.Country.Length != 2 || !char.IsAsciiLetterUpper(a.Country[0]) || !char.IsAsciiLetterUpper(a.Country[1]))
            {
                Add(p + ".country", $"\"{a.Country}\" is not an ISO 3166-1 alpha-2 country code (two capital letters, for example NZ)");
            }

            address = new PostalAddress { Lines = lines, PostalCode = a.PostalCode, City = a.City ?? string.Empty, Region = a.Region, Country = a.Country ?? string.Empty };
        }

        var tokens = new List<string>();
        if (dto.DeviceTokens is not null)
        {
            for (var i = 0; i < dto.DeviceTokens.Count; i++)
            {
                if (string.IsNullOrWhiteSpace(dto.DeviceTokens[i]) && !_trusted)
                {
                    Add($"{path}.deviceTokens[{i}]", "is empty");
                }
                else if (dto.DeviceTokens[i] is { } token)
                {
                    tokens.Add(token);
                }
            }
        }

        var points = new ContactPoints { Email = dto.Email, Phone = dto.Phone, PostalAddress = address, DeviceTokens = tokens };
        if (_trusted && dto.PhoneVerdict is { } verdict)
        {
            points.TakeStoredPhoneVerdict(System.Text.Encoding.UTF8.GetBytes(verdict));
        }

        return points;
    }

    private ContactPreferences Preferences(string path, PreferencesDto dto)
    {
        Unknown(path, dto.Extra);
        var ranking = new List<Channel>();
        if (dto.ChannelRanking is not null)
        {
            for (var i = 0; i < dto.ChannelRanking.Count; i++)
            {
                var p = $"{path}.channelRanking[{i}]";
                if (ChannelValue(p, dto.ChannelRanking[i]) is { } channel)
                {
                    if (ranking.Contains(channel))
                    {
                        Add(p, $"\"{channel}\" is ranked twice");
                    }
                    else
                    {
                        ranking.Add(channel);
                    }
                }
            }
        }

        var caps = new List<FrequencyCap>();
        if (dto.FrequencyCaps is not null)
        {
            for (var i = 0; i < dto.FrequencyCaps.Count; i++)
            {
                var p = $"{path}.frequencyCaps[{i}]";
                var cap = dto.FrequencyCaps[i];
                if (cap is null)
                {
                    Add(p, "is null; expected { \"channel\": …, \"max\": …, \"per\": \"day|week|month\" }");
                    continue;
                }

                Unknown(p, cap.Extra);
                Channel? channel = cap.Channel is null ? null : ChannelValue(p + ".channel", cap.Channel);
                var ok = cap.Channel is null || channel is not null;
                if (cap.Max is null)
                {
                    Add(p + ".max", "is required (the most messages in the period)");
                    ok = false;
                }
                else if (cap.Max < 0)
                {
                    Add(p + ".max", $"{cap.Max} is negative; expected 0 or more");
                    ok = false;
                }

                var period = CapPeriod.Day;
                if (cap.Per is null)
                {
                    Add(p + ".per", "is required (day, week or month)");
                    ok = false;
                }
                else if (!TryEnum(cap.Per, out period))
                {
                    Add(p + ".per", $"\"{cap.Per}\" is not a period (expected day, week or month)");
                    ok = false;
                }

                if (ok)
                {
                    caps.Add(new FrequencyCap { Channel = channel, Max = cap.Max!.Value, Period = period });
                }
            }
        }

        var days = new List<DayOfWeek>();
        if (dto.PreferredDays is not null)
        {
            for (var i = 0; i < dto.PreferredDays.Count; i++)
            {
                var p = $"{path}.preferredDays[{i}]";
                var text = dto.PreferredDays[i];
                if (text is null || !TryEnum(text, out DayOfWeek day))
                {
                    Add(p, $"{Quote(text)} is not a day of the week (expected monday … sunday)");
                }
                else if (days.Contains(day))
                {
                    Add(p, $"\"{text}\" is listed twice");
                }
                else
                {
                    days.Add(day);
                }
            }
        }

        var hours = new List<TimeWindow>();
        if (dto.PreferredHours is not null)
        {
            for (var i = 0; i < dto.PreferredHours.Count; i++)
            {
                if (Window($"{path}.preferredHours[{i}]", dto.PreferredHours[i], mayCrossMidnight: false) is { } window)
                {
                    hours.Add(window);
                }
            }
        }

        var quiet = dto.QuietHours is null ? (TimeWindow?)null : Window(path + ".quietHours", dto.QuietHours, mayCrossMidnight: true);
        return new ContactPreferences { ChannelRanking = ranking, FrequencyCaps = caps, PreferredDays = days, PreferredHours = hours, QuietHours = quiet, PausedUntil = Instant(path + ".pausedUntil", dto.PausedUntil, required: false) };
    }

    private TimeWindow? Window(string path, WindowDto? dto, bool mayCrossMidnight)
    {
        if (dto is null)
        {
            Add(path, "is null; expected { \"start\": \"HH:mm\", \"end\": \"HH:mm\" }");
            return null;
        }

        Unknown(path, dto.Extra);
        var start = Time(path + ".start", dto.Start, allowEndOfDay: false);
        var end = Time(path + ".end", dto.End, allowEndOfDay: true);
        if (start is null || end is null)
        {
            return null;
        }

        if (start == end)
        {
            Add(path + ".end", $"\"{dto.End}\" equals start; a window needs a start and a different end");
            return null;
        }

        var window = new TimeWindow(start.Value, end.Value);
        if (!mayCrossMidnight && window.CrossesMidnight)
        {
            Add(path + ".end", $"\"{dto.End}\" is before start \"{dto.Start}\"; a preferred window cannot cross midnight (split it into two windows)");
            return null;
        }

        return window;
    }

    private TimeOnly? Time(string path, string? text, bool allowEndOfDay)
    {
        if (text is null)
        {
            Add(path, "is required (a time of day, HH:mm)");
            return null;
        }

        if (!TimeWindow.TryParseTimeOfDay(text, out var time, allowEndOfDay))
        {
            Add(path, $"\"{text}\" is not a time of day (expected HH:mm)");
            return null;
        }

        return time;
    }

    private ConsentLedger Consents(string path, List<ConsentDto?> list)
    {
        var records = new List<ConsentRecord>(list.Count);
        for (var i = 0; i < list.Count; i++)
        {
            var p = $"{path}[{i}]";
            var dto = list[i];
            if (dto is null)
            {
                Add(p, "is null; expected a consent record");
                continue;
            }

            if (Consent(p, dto) is { } record)
            {
                records.Add(record);
            }
        }

        return records.Count == 0 ? ConsentLedger.Empty : new ConsentLedger(records);
    }

    private ConsentRecord? Consent(string path, ConsentDto dto)
    {
        var before = _errors.Count;
        Unknown(path, dto.Extra);
        ConsentScope scope = default;
        ContactPurpose? purpose = null;
        if (dto.Purpose is not null)
        {
            if (TryEnum(dto.Purpose, out ContactPurpose parsed))
            {
                purpose = parsed;
            }
            else
            {
                Add(path + ".purpose", $"\"{dto.Purpose}\" is not a purpose (expected marketing, service or relationship)");
            }
        }

        var personalization = dto.Personalization == true;
        if (dto.Personalization == false)
        {
            Add(path + ".personalization", "is false; omit it, or record a withdrawal of personalization with \"personalization\": true and \"action\": \"withdraw\"");
        }

        var subjects = (dto.Channel is null ? 0 : 1) + (dto.Topic is null ? 0 : 1) + (personalization ? 1 : 0);
        if (subjects > 1 || (subjects == 1 && dto.Channel is null && dto.Purpose is not null))
        {
            Add(path, "names more than one subject; a record is about a channel (optionally with a purpose), a purpose, a topic, or personalization");
        }
        else if (dto.Channel is not null)
        {
            if (ChannelValue(path + ".channel", dto.Channel) is { } channel)
            {
                scope = purpose is { } p ? ConsentScope.ForChannel(channel, p) : ConsentScope.ForChannel(channel);
            }
        }
        else if (dto.Topic is not null)
        {
            if (ConsentScope.TryNormalizeTopic(dto.Topic, out var topic))
            {
                scope = ConsentScope.ForTopic(topic);
            }
            else
            {
                Add(path + ".topic", $"\"{dto.Topic}\" is not a topic name (1 to {ConsentScope.MaxTopicLength} letters, digits, '_', '-' or '.')");
            }
        }
        else if (personalization)
        {
            scope = ConsentScope.Personalization;
        }
        else if (purpose is { } p)
        {
            scope = ConsentScope.ForPurpose(p);
        }
        else if (dto.Purpose is null)
        {
            Add(path, "names no subject; set \"channel\" (optionally with \"purpose\"), \"purpose\", \"topic\" or \"personalization\": true");
        }

        var action = ConsentAction.Grant;
        ConsentAction? known = null;
        if (dto.Action is null)
        {
            Add(path + ".action", "is required (grant or withdraw)");
        }
        else if (TryEnum(dto.Action, out action))
        {
            known = action;
        }
        else
        {
            Add(path + ".action", $"\"{dto.Action}\" is not an action (expected grant or withdraw)");
        }

        var at = Instant(path + ".at", dto.At, required: true);
        ConsentSource? source = null;
        if (dto.Source is null)
        {
            Add(path + ".source", "is required ({ \"kind\": \"form|channel|agent|import|api\", \"detail\": \"…\" })");
        }
        else
        {
            Unknown(path + ".source", dto.Source.Extra);
            if (dto.Source.Kind is null)
            {
                Add(path + ".source.kind", "is required (form, channel, agent, import or api)");
            }
            else if (TryEnum(dto.Source.Kind, out ConsentSourceKind kind))
            {
                source = new ConsentSource(kind, dto.Source.Detail);
            }
            else
            {
                Add(path + ".source.kind", $"\"{dto.Source.Kind}\" is not a source (expected form, channel, agent, import or api)");
            }
        }

        var optIn = OptInMethod.Single;
        if (dto.OptIn is not null && known != ConsentAction.Withdraw && !TryEnum(dto.OptIn, out optIn))
        {
            Add(path + ".optIn", $"\"{dto.OptIn}\" is not an opt-in method (expected single or double)");
        }

        // The rules of a well-formed record are shared with the store's fast reader (ConsentRecordRules).
        var confirmed = Instant(path + ".confirmedAt", dto.ConfirmedAt, required: false);
        var problems = ConsentRecordRules.Check(known, dto.OptIn is not null, optIn, dto.Wording, dto.WordingVersion, at, confirmed, dto.MethodEvidence);
        if (problems.HasFlag(ConsentRecordProblems.OptInOnWithdrawal))
        {
            Add(path + ".optIn", "applies to grants only; remove it from the withdrawal");
        }

        if (problems.HasFlag(ConsentRecordProblems.GrantWithoutWording))
        {
            Add(path, "a grant needs \"wording\" or \"wordingVersion\" (the evidence of what the customer agreed to)");
        }

        if (problems.HasFlag(ConsentRecordProblems.ConfirmationNotDouble))
        {
            Add(path + ".confirmedAt", "applies to double opt-in grants only; set \"optIn\": \"double\" or remove it");
        }

        if (problems.HasFlag(ConsentRecordProblems.ConfirmationBeforeRecord))
        {
            Add(path + ".confirmedAt", $"\"{dto.ConfirmedAt}\" is before \"at\" ({dto.At}); a confirmation cannot precede the grant");
        }

        if (problems.HasFlag(ConsentRecordProblems.MethodEvidenceMalformed))
        {
            Add(path + ".methodEvidence", "is not a keyed hash (64 lower-case hex characters); store the hash of IP address and user agent, never the values");
        }

        if (_errors.Count > before || at is null || source is null)
        {
            return null;
        }

        return new ConsentRecord
        {
            Scope = scope,
            Action = action,
            RecordedAt = at.Value,
            Source = source,
            Wording = dto.Wording,
            WordingVersion = dto.WordingVersion,
            OptIn = optIn,
            ConfirmedAt = confirmed,
            MethodEvidence = dto.MethodEvidence,
        };
    }

    private ContactHistory History(string path, List<ContactDto?> list)
    {
        var records = new List<ContactRecord>(list.Count);
        for (var i = 0; i < list.Count; i++)
        {
            var p = $"{path}[{i}]";
            var dto = list[i];
            if (dto is null)
            {
                Add(p, "is null; expected a contact record");
                continue;
            }

            var before = _errors.Count;
            Unknown(p, dto.Extra);
            if (string.IsNullOrWhiteSpace(dto.MessageId))
            {
                Add(p + ".messageId", "is required");
            }

            var channel = dto.Channel is null ? null : ChannelValue(p + ".channel", dto.Channel);
            if (dto.Channel is null)
            {
                Add(p + ".channel", "is required");
            }

            var purpose = ContactPurpose.Marketing;
            if (dto.Purpose is null || !TryEnum(dto.Purpose, out purpose))
            {
                Add(p + ".purpose", $"{Quote(dto.Purpose)} is not a purpose (expected marketing, service or relationship)");
            }

            var kind = MessageKind.Give;
            if (dto.Kind is null || !TryEnum(dto.Kind, out kind))
            {
                Add(p + ".kind", $"{Quote(dto.Kind)} is not a message kind (expected give or ask)");
            }

            var sentAt = Instant(p + ".sentAt", dto.SentAt, required: true);
            if (_errors.Count == before && channel is not null && sentAt is not null)
            {
                records.Add(new ContactRecord { MessageId = dto.MessageId!, Channel = channel.Value, Purpose = purpose, Kind = kind, SentAt = sentAt.Value });
            }
        }

        return records.Count == 0 ? ContactHistory.Empty : new ContactHistory(records);
    }

    private ServiceFlags Flags(string path, ServiceFlagsDto dto)
    {
        Unknown(path, dto.Extra);
        if (!_trusted && dto.NpsScore is { } score && score is < 0 or > 10)
        {
            Add(path + ".npsScore", $"{score} is not an NPS answer (expected 0 to 10)");
        }

        return new ServiceFlags { OpenComplaint = dto.OpenComplaint == true, FailedPayment = dto.FailedPayment == true, NpsScore = dto.NpsScore };
    }

    private Channel? ChannelValue(string path, string? text)
    {
        if (text is null)
        {
            Add(path, "is null; expected a channel name");
            return null;
        }

        if (_channels.TryResolve(text, out var definition))
        {
            return definition.Channel;
        }

        Add(path, $"\"{text}\" is not a registered channel (expected one of {_channels.DescribeNames()})");
        return null;
    }

    private DateTimeOffset? Instant(string path, string? text, bool required)
    {
        if (text is null)
        {
            if (required)
            {
                Add(path, "is required (an ISO 8601 date and time with offset, for example 2026-03-03T09:30:00Z)");
            }

            return null;
        }

        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed)
            || text.Length < 16 || text[4] != '-' || text[10] != 'T')
        {
            Add(path, $"\"{text}\" is not an ISO 8601 date and time (for example 2026-03-03T09:30:00Z)");
            return null;
        }

        if (parsed.Kind == DateTimeKind.Unspecified)
        {
            Add(path, $"\"{text}\" has no UTC offset; add Z or an offset such as +13:00");
            return null;
        }

        return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind).ToUniversalTime();
    }

    /// <summary>The instant of an ISO 8601 date and time with an offset, as <see cref="Instant"/> reads it; <see langword="null"/> where it reports an error.</summary>
    internal static DateTimeOffset? ParseInstant(string text)
        => DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed) && text.Length >= 16 && text[4] == '-' && text[10] == 'T' && parsed.Kind != DateTimeKind.Unspecified
            ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind).ToUniversalTime()
            : null;

    private void Unknown(string path, Dictionary<string, JsonElement>? extra)
    {
        if (extra is null || _trusted)
        {
            return;
        }

        foreach (var name in extra.Keys)
        {
            Add(path + "." + name, "is not a known property (check the spelling; names are camelCase)");
        }
    }

    private void AddJsonException(JsonException ex, ReadOnlySpan<byte> utf8Json)
    {
        var message = ex.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut > 0)
        {
            message = message[..cut];
        }

        var at = ex.LineNumber is { } line ? JsonPositions.FromBytePosition(utf8Json, line, ex.BytePositionInLine ?? 0) : (JsonPosition?)null;
        if (message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
        {
            message = "has the wrong JSON type for this field";
        }
        else if (message.Contains("maximum configured depth", StringComparison.Ordinal))
        {
            message = "is nested too deeply (more than 64 levels)";
        }
        else
        {
            message = "is not valid JSON: " + message.TrimEnd('.');
        }

        _errors.Add(new CustomerJsonError(ex.Path ?? "$", message) { Line = at?.Line, Column = at?.Column });
    }

    private void Add(string path, string message) => _errors.Add(new CustomerJsonError(path, message));

    private static string Quote(string? text) => text is null ? "null" : "\"" + text + "\"";

    internal static bool TryEnum<T>(string text, out T value)
        where T : struct, Enum
    {
        // Accept snake_case and any letter case (direct_mail, DirectMail); reject numbers.
        value = default;
        if (text.Length == 0 || char.IsAsciiDigit(text[0]) || text[0] == '-')
        {
            return false;
        }

        return Enum.TryParse(text.Replace("_", string.Empty, StringComparison.Ordinal), ignoreCase: true, out value) && Enum.IsDefined(value);
    }

    private static bool IsLanguageTag(string text)
    {
        var parts = text.Split('-');
        if (parts[0].Length is < 2 or > 3)
        {
            return false;
        }

        foreach (var part in parts)
        {
            if (part.Length is 0 or > 8)
            {
                return false;
            }

            foreach (var c in part)
            {
                if (!char.IsAsciiLetterOrDigit(c))
                {
                    return false;
                }
            }
        }

        foreach (var c in parts[0])
        {
            if (!char.IsAsciiLetter(c))
            {
                return false;
            }
        }

        return true;
    }
}
