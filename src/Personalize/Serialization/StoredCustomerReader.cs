using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Timing;

namespace Personalize.Serialization;

/// <summary>
/// Reads a store's own profile rows straight from UTF-8 into the model with one <see cref="Utf8JsonReader"/> pass: no
/// DTOs, no intermediate lists or strings for enums and channels (ADR 0042). It accepts exactly what the trusted
/// <see cref="CustomerJsonReader"/> accepts and builds the same profile. On anything else (a missing or bad field, a
/// token of another type, a repeated property, malformed JSON) it gives up, and the caller reads the row again through
/// <see cref="CustomerJsonReader"/>, which reports every error with its JSON path, line and column (ADR 0018): the
/// errors are that reader's, word for word.
/// </summary>
internal sealed class StoredCustomerReader
{
    private static readonly JsonReaderOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 64 };

    [ThreadStatic]
    private static AttributeScratch? t_attributeScratch;

    [ThreadStatic]
    private static AttributeValues? t_attributeValues;

    [ThreadStatic]
    private static RepeatedFields? t_repeated;

    private readonly ChannelRegistry _channels;
    private readonly (byte[] Name, Channel Channel)[] _names;

    public StoredCustomerReader(ChannelRegistry channels)
    {
        _channels = channels;
        _names = [.. channels.All.Select(static d => (System.Text.Encoding.UTF8.GetBytes(d.Channel.ToString()), d.Channel))];
    }

    /// <summary>Reads one profile; <see langword="false"/> when the row needs <see cref="CustomerJsonReader"/> (to be read leniently or to report its errors).</summary>
    public bool TryRead(ReadOnlySpan<byte> utf8Json, [NotNullWhen(true)] out CustomerProfile? profile)
        => TryRead(utf8Json, null, out profile);

    /// <summary>
    /// Reads one profile with the parts a store keeps beside its JSON (facts, consent ledger, history) in place of the
    /// JSON's own: the profile is built once, not read and then copied with them.
    /// </summary>
    public bool TryRead(ReadOnlySpan<byte> utf8Json, StoredParts? parts, [NotNullWhen(true)] out CustomerProfile? profile)
    {
        var reader = new Utf8JsonReader(utf8Json, Options);
        try
        {
            profile = Customer(ref reader, utf8Json, parts, out var whole);
            if (profile is not null && !whole && reader.Read())
            {
                profile = null; // content after the object: the general reader says what
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or ArgumentException)
        {
            profile = null;
        }

        return profile is not null;
    }

    /// <summary>Reads the profile object; <paramref name="whole"/> when the attributes were read to the document's end (<see cref="AttributesLast"/>).</summary>
    private CustomerProfile? Customer(ref Utf8JsonReader reader, ReadOnlySpan<byte> utf8Json, StoredParts? parts, out bool whole)
    {
        whole = false;
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        string? id = null, language = null;
        LifecycleStage? stage = null;
        bool? pinned = null;
        TimeZoneInfo? zone = null;
        var points = ContactPoints.None;
        var preferences = ContactPreferences.Default;
        var consents = ConsentLedger.Empty;
        var history = ContactHistory.Empty;
        var flags = ServiceFlags.None;
        var attributes = CustomerProfile.EmptyAttributes;
        var seen = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = Field(ref reader, ref seen, "id"u8, "stage"u8, "stagePinned"u8, "language"u8, "timeZone"u8, "contactPoints"u8, "preferences"u8, "consents"u8, "history"u8, "serviceFlags"u8, "attributes"u8);
            reader.Read();
            if (field == 10 && reader.TokenType == JsonTokenType.StartObject && AttributesLast(utf8Json, (int)reader.TokenStartIndex, out attributes))
            {
                whole = true;
                break;
            }

            var ok = field switch
            {
                0 => Id(ref reader, parts?.Id, out id) && !string.IsNullOrWhiteSpace(id),
                1 => EnumValue(ref reader, out stage),
                2 => Bool(ref reader, out pinned),
                3 => Repeated(ref reader, out language),
                4 => Zone(ref reader, out zone),
                5 => reader.TokenType == JsonTokenType.Null || ReadContactPoints(ref reader, out points),
                6 => reader.TokenType == JsonTokenType.Null || RepeatedPreferences(ref reader, utf8Json, out preferences),
                7 => reader.TokenType == JsonTokenType.Null || Consents(ref reader, out consents),
                8 => reader.TokenType == JsonTokenType.Null || History(ref reader, out history),
                9 => reader.TokenType == JsonTokenType.Null || Flags(ref reader, out flags),
                10 => reader.TokenType == JsonTokenType.Null || Attributes(ref reader, utf8Json, out attributes),
                -1 => Skip(ref reader),
                _ => false,
            };
            if (!ok)
            {
                return null;
            }
        }

        if ((!whole && reader.TokenType != JsonTokenType.EndObject) || id is null || stage is null || zone is null)
        {
            return null;
        }

        return new CustomerProfile
        {
            Id = id,
            Stage = stage.Value,
            StagePinned = pinned ?? false,
            Language = language,
            TimeZone = zone,
            ContactPoints = points,
            Preferences = preferences,
            Consents = parts?.Consents ?? consents,
            History = parts?.History ?? history,
            ServiceFlags = flags,
            Facts = parts?.Facts ?? Events.CustomerFacts.Empty,
            Attributes = attributes,
        };
    }

    /// <summary>
    /// The index of the current property name among the eleven names (-1 when unknown), or -2 when it was seen before in
    /// this object (a repeated property: the general reader keeps the last, this one gives up).
    /// </summary>
    private static int Field(ref Utf8JsonReader reader, ref int seen, ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c, ReadOnlySpan<byte> d, ReadOnlySpan<byte> e, ReadOnlySpan<byte> f, ReadOnlySpan<byte> g, ReadOnlySpan<byte> h, ReadOnlySpan<byte> i, ReadOnlySpan<byte> j, ReadOnlySpan<byte> k)
    {
        var index = reader.ValueTextEquals(a) ? 0 : reader.ValueTextEquals(b) ? 1 : reader.ValueTextEquals(c) ? 2 : reader.ValueTextEquals(d) ? 3
            : reader.ValueTextEquals(e) ? 4 : reader.ValueTextEquals(f) ? 5 : reader.ValueTextEquals(g) ? 6 : reader.ValueTextEquals(h) ? 7
            : reader.ValueTextEquals(i) ? 8 : reader.ValueTextEquals(j) ? 9 : reader.ValueTextEquals(k) ? 10 : -1;
        return Seen(index, ref seen);
    }

    private static int Seen(int index, ref int seen)
    {
        if (index < 0)
        {
            return index;
        }

        var bit = 1 << index;
        if ((seen & bit) != 0)
        {
            return -2;
        }

        seen |= bit;
        return index;
    }

    private static bool Skip(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return true;
    }

    private static bool String(ref Utf8JsonReader reader, out string? value)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        value = reader.GetString();
        return true;
    }

    /// <summary>The profile's id: the store's own string for it when the JSON holds the same text (read once per row, not twice).</summary>
    private static bool Id(ref Utf8JsonReader reader, string? known, out string? value)
    {
        if (known is not null && reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(known))
        {
            value = known;
            return true;
        }

        return String(ref reader, out value);
    }

    /// <summary>A string field whose values repeat from profile to profile (the language): the string this thread read last when the text is the same.</summary>
    private static bool Repeated(ref Utf8JsonReader reader, out string? value)
    {
        if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            var repeated = t_repeated ??= new RepeatedFields();
            if (repeated.Language is { } last && reader.ValueSpan.SequenceEqual(repeated.LanguageBytes))
            {
                value = last;
                return true;
            }

            value = reader.GetString();
            repeated.Language = value;
            repeated.LanguageBytes = reader.ValueSpan.ToArray();
            return true;
        }

        return String(ref reader, out value);
    }

    /// <summary>
    /// The preferences object: the <see cref="ContactPreferences"/> this thread read before from the same JSON text by this
    /// reader (preferences repeat from customer to customer: most rank the same channels, or have none), else read
    /// (<see cref="Preferences"/>) and kept for the next profiles. A record is immutable, so profiles can share one.
    /// </summary>
    private bool RepeatedPreferences(ref Utf8JsonReader reader, ReadOnlySpan<byte> utf8Json, out ContactPreferences preferences)
    {
        if (reader.TokenType != JsonTokenType.StartObject || reader.HasValueSequence)
        {
            return Preferences(ref reader, out preferences);
        }

        var start = (int)reader.TokenStartIndex;
        var ahead = reader;
        ahead.Skip();
        var text = utf8Json[start..(int)ahead.BytesConsumed];
        if (text.Length > RepeatedFields.MaxPreferencesBytes)
        {
            return Preferences(ref reader, out preferences);
        }

        var repeated = t_repeated ??= new RepeatedFields();
        var hash = HashOf(text);
        ref var slot = ref repeated.Preferences[hash & (RepeatedFields.PreferenceSlots - 1)];
        if (slot.Value is not null && slot.Hash == hash && ReferenceEquals(slot.Reader, this) && text.SequenceEqual(slot.Text))
        {
            reader = ahead;
            preferences = slot.Value;
            return true;
        }

        if (!Preferences(ref reader, out preferences))
        {
            return false;
        }

        slot = new RepeatedFields.PreferencesSlot(hash, text.ToArray(), this, preferences);
        return true;
    }

    private static int HashOf(ReadOnlySpan<byte> text)
    {
        var hash = default(HashCode);
        hash.AddBytes(text);
        return hash.ToHashCode();
    }

    private static bool Bool(ref Utf8JsonReader reader, out bool? value)
    {
        value = reader.TokenType switch
        {
            JsonTokenType.True => true,
            JsonTokenType.False => false,
            _ => null,
        };
        return value is not null || reader.TokenType == JsonTokenType.Null;
    }

    private static bool Int(ref Utf8JsonReader reader, out int? value)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var number))
        {
            return false;
        }

        value = number;
        return true;
    }

    /// <summary>A required enum value: the writer's own name matched without a string, any other spelling as the general reader takes it.</summary>
    private static bool EnumValue<T>(ref Utf8JsonReader reader, [NotNullWhen(true)] out T? value)
        where T : struct, Enum
    {
        value = null;
        if (reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        foreach (var (name, known) in EnumNames<T>.Utf8)
        {
            if (reader.ValueTextEquals(name))
            {
                value = known;
                return true;
            }
        }

        if (CustomerJsonReader.TryEnum(reader.GetString()!, out T parsed))
        {
            value = parsed;
            return true;
        }

        return false;
    }

    /// <summary>An optional enum value (<see langword="null"/> stays null).</summary>
    private static bool OptionalEnumValue<T>(ref Utf8JsonReader reader, out T? value)
        where T : struct, Enum
    {
        value = null;
        return reader.TokenType == JsonTokenType.Null || EnumValue(ref reader, out value);
    }

    private bool ChannelValue(ref Utf8JsonReader reader, [NotNullWhen(true)] out Channel? channel)
    {
        channel = null;
        if (reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        foreach (var (name, known) in _names)
        {
            if (reader.ValueTextEquals(name))
            {
                channel = known;
                return true;
            }
        }

        if (_channels.TryResolve(reader.GetString(), out var definition))
        {
            channel = definition.Channel;
            return true;
        }

        return false;
    }

    private static bool Zone(ref Utf8JsonReader reader, out TimeZoneInfo? zone)
    {
        zone = null;
        if (reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        // The zones repeat from profile to profile: the last few this thread found, by their ids' bytes, are found again
        // without a string for the id (the runtime gives the same instance for an id).
        var repeated = t_repeated ??= new RepeatedFields();
        var plain = !reader.ValueIsEscaped && !reader.HasValueSequence;
        if (plain)
        {
            foreach (var (id, known) in repeated.Zones)
            {
                if (known is not null && reader.ValueSpan.SequenceEqual(id))
                {
                    zone = known;
                    return true;
                }
            }
        }

        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(reader.GetString()!);
            if (plain && zone.HasIanaId)
            {
                repeated.Zones[repeated.NextZone] = (reader.ValueSpan.ToArray(), zone);
                repeated.NextZone = (repeated.NextZone + 1) % repeated.Zones.Length;
            }
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return false;
        }

        return zone.HasIanaId;
    }

    /// <summary>An instant: the writer's own form (<c>yyyy-MM-ddTHH:mm:ss[.fffffff]Z</c>) read from the bytes, any other as the general reader takes it.</summary>
    private static bool Instant(ref Utf8JsonReader reader, bool required, out DateTimeOffset? value)
    {
        value = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return !required;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        if (!reader.ValueIsEscaped && !reader.HasValueSequence && Utc(reader.ValueSpan) is { } utc)
        {
            value = utc;
            return true;
        }

        value = CustomerJsonReader.ParseInstant(reader.GetString()!);
        return value is not null;
    }

    private static DateTimeOffset? Utc(ReadOnlySpan<byte> text)
    {
        if (text.Length is not (20 or 28) || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':' || text[^1] != 'Z'
            || (text.Length == 28 && text[19] != '.'))
        {
            return null;
        }

        if (!Digits(text, 0, 4, out var year) || !Digits(text, 5, 2, out var month) || !Digits(text, 8, 2, out var day)
            || !Digits(text, 11, 2, out var hour) || !Digits(text, 14, 2, out var minute) || !Digits(text, 17, 2, out var second))
        {
            return null;
        }

        var fraction = 0;
        if (text.Length == 28 && !Digits(text, 20, 7, out fraction))
        {
            return null;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return null;
        }

        return new DateTimeOffset(new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).AddTicks(fraction), TimeSpan.Zero);
    }

    private static bool Digits(ReadOnlySpan<byte> text, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            var digit = text[i] - '0';
            if (digit is < 0 or > 9)
            {
                return false;
            }

            value = (value * 10) + digit;
        }

        return true;
    }

    private static bool Time(ref Utf8JsonReader reader, bool allowEndOfDay, out TimeOnly time)
    {
        time = default;
        return reader.TokenType == JsonTokenType.String && TimeWindow.TryParseTimeOfDay(reader.GetString(), out time, allowEndOfDay);
    }

    /// <summary>
    /// The start every optional array shares: <see langword="false"/> when the value is neither null nor an array (the row
    /// goes to the general reader); otherwise <paramref name="elements"/> says whether elements follow (null has none).
    /// </summary>
    private static bool ArrayOrNull(ref Utf8JsonReader reader, out bool elements)
    {
        elements = reader.TokenType == JsonTokenType.StartArray;
        return elements || reader.TokenType == JsonTokenType.Null;
    }

    /// <summary>Moves to the next element of what <see cref="ArrayOrNull"/> opened: <see langword="false"/> at the array's end, and at once for null.</summary>
    private static bool NextElement(ref Utf8JsonReader reader, bool elements)
        => elements && reader.Read() && reader.TokenType != JsonTokenType.EndArray;

    private static bool StringList(ref Utf8JsonReader reader, out List<string>? values)
    {
        values = null;
        if (!ArrayOrNull(ref reader, out var elements))
        {
            return false;
        }

        List<string>? read = null;
        while (NextElement(ref reader, elements))
        {
            if (!String(ref reader, out var value))
            {
                return false;
            }

            if (value is not null)
            {
                (read ??= []).Add(value); // a stored null line or token is left out, as the general reader does for its own rows
            }
        }

        values = elements ? read ?? [] : null;
        return true;
    }

    private static bool ReadContactPoints(ref Utf8JsonReader reader, out ContactPoints points)
    {
        points = ContactPoints.None;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        string? email = null, phone = null;
        PostalAddress? address = null;
        List<string>? tokens = null;
        ReadOnlySpan<byte> verdict = default;
        var seen = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = Seen(reader.ValueTextEquals("email"u8) ? 0 : reader.ValueTextEquals("phone"u8) ? 1 : reader.ValueTextEquals("postalAddress"u8) ? 2 : reader.ValueTextEquals("deviceTokens"u8) ? 3 : reader.ValueTextEquals("phoneVerdict"u8) ? 4 : -1, ref seen);
            reader.Read();
            var ok = field switch
            {
                0 => String(ref reader, out email),
                1 => String(ref reader, out phone),
                2 => reader.TokenType == JsonTokenType.Null || Address(ref reader, out address),
                3 => StringList(ref reader, out tokens),
                4 => Verdict(ref reader, ref verdict),
                -1 => Skip(ref reader),
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        points = new ContactPoints { Email = email, Phone = phone, PostalAddress = address, DeviceTokens = tokens ?? [] };
        if (!verdict.IsEmpty)
        {
            // The phone's verdict the store kept beside it (ADR 0081): the number is not parsed again when it is this number's.
            points.TakeStoredPhoneVerdict(verdict);
        }

        return true;
    }

    /// <summary>The phone's stored verdict as the row's bytes (no string); an escaped or null one is left out (the number is judged).</summary>
    private static bool Verdict(ref Utf8JsonReader reader, ref ReadOnlySpan<byte> verdict)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return true;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            return false;
        }

        verdict = reader.ValueIsEscaped || reader.HasValueSequence ? default : reader.ValueSpan;
        return true;
    }

    private static bool Address(ref Utf8JsonReader reader, out PostalAddress? address)
    {
        address = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        List<string>? lines = null;
        string? postalCode = null, city = null, region = null, country = null;
        var seen = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = Seen(reader.ValueTextEquals("lines"u8) ? 0 : reader.ValueTextEquals("postalCode"u8) ? 1 : reader.ValueTextEquals("city"u8) ? 2 : reader.ValueTextEquals("region"u8) ? 3 : reader.ValueTextEquals("country"u8) ? 4 : -1, ref seen);
            reader.Read();
            var ok = field switch
            {
                0 => StringList(ref reader, out lines),
                1 => String(ref reader, out postalCode),
                2 => String(ref reader, out city),
                3 => String(ref reader, out region),
                4 => String(ref reader, out country),
                -1 => Skip(ref reader),
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        address = new PostalAddress { Lines = lines ?? [], PostalCode = postalCode, City = city ?? string.Empty, Region = region, Country = country ?? string.Empty };
        return true;
    }

    private bool Preferences(ref Utf8JsonReader reader, out ContactPreferences preferences)
    {
        preferences = ContactPreferences.Default;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        // A list only for what the row has (most profiles rank channels and nothing else): an empty one is the shared empty array.
        List<Channel>? ranking = null;
        List<FrequencyCap>? caps = null;
        List<DayOfWeek>? days = null;
        List<TimeWindow>? hours = null;
        TimeWindow? quiet = null;
        DateTimeOffset? paused = null;
        var seen = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = Seen(
                reader.ValueTextEquals("channelRanking"u8) ? 0 : reader.ValueTextEquals("frequencyCaps"u8) ? 1 : reader.ValueTextEquals("preferredDays"u8) ? 2
                : reader.ValueTextEquals("preferredHours"u8) ? 3 : reader.ValueTextEquals("quietHours"u8) ? 4 : reader.ValueTextEquals("pausedUntil"u8) ? 5 : -1,
                ref seen);
            reader.Read();
            var ok = field switch
            {
                0 => Ranking(ref reader, ref ranking),
                1 => Caps(ref reader, ref caps),
                2 => Days(ref reader, ref days),
                3 => Windows(ref reader, ref hours),
                4 => reader.TokenType == JsonTokenType.Null || (Window(ref reader, mayCrossMidnight: true, out var window) && (quiet = window) is not null),
                5 => Instant(ref reader, required: false, out paused),
                -1 => Skip(ref reader),
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        preferences = new ContactPreferences
        {
            ChannelRanking = (IReadOnlyList<Channel>?)ranking ?? [],
            FrequencyCaps = (IReadOnlyList<FrequencyCap>?)caps ?? [],
            PreferredDays = (IReadOnlyList<DayOfWeek>?)days ?? [],
            PreferredHours = (IReadOnlyList<TimeWindow>?)hours ?? [],
            QuietHours = quiet,
            PausedUntil = paused,
        };
        return true;
    }

    private bool Ranking(ref Utf8JsonReader reader, ref List<Channel>? ranking)
    {
        if (!ArrayOrNull(ref reader, out var elements))
        {
            return false;
        }

        while (NextElement(ref reader, elements))
        {
            if (!ChannelValue(ref reader, out var channel) || (ranking?.Contains(channel.Value) ?? false))
            {
                return false;
            }

            (ranking ??= []).Add(channel.Value);
        }

        return true;
    }

    private bool Caps(ref Utf8JsonReader reader, ref List<FrequencyCap>? caps)
    {
        if (!ArrayOrNull(ref reader, out var elements))
        {
            return false;
        }

        while (NextElement(ref reader, elements))
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            Channel? channel = null;
            int? max = null;
            CapPeriod? per = null;
            var seen = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var field = Seen(reader.ValueTextEquals("channel"u8) ? 0 : reader.ValueTextEquals("max"u8) ? 1 : reader.ValueTextEquals("per"u8) ? 2 : -1, ref seen);
                reader.Read();
                var ok = field switch
                {
                    0 => reader.TokenType == JsonTokenType.Null || ChannelValue(ref reader, out channel),
                    1 => Int(ref reader, out max),
                    2 => EnumValue(ref reader, out per),
                    -1 => Skip(ref reader),
                    _ => false,
                };
                if (!ok)
                {
                    return false;
                }
            }

            if (max is not >= 0 || per is null)
            {
                return false;
            }

            (caps ??= []).Add(new FrequencyCap { Channel = channel, Max = max.Value, Period = per.Value });
        }

        return true;
    }

    private static bool Days(ref Utf8JsonReader reader, ref List<DayOfWeek>? days)
    {
        if (!ArrayOrNull(ref reader, out var elements))
        {
            return false;
        }

        while (NextElement(ref reader, elements))
        {
            if (!EnumValue(ref reader, out DayOfWeek? day) || (days?.Contains(day.Value) ?? false))
            {
                return false;
            }

            (days ??= []).Add(day.Value);
        }

        return true;
    }

    private static bool Windows(ref Utf8JsonReader reader, ref List<TimeWindow>? windows)
    {
        if (!ArrayOrNull(ref reader, out var elements))
        {
            return false;
        }

        while (NextElement(ref reader, elements))
        {
            if (!Window(ref reader, mayCrossMidnight: false, out var window))
            {
                return false;
            }

            (windows ??= []).Add(window);
        }

        return true;
    }

    private static bool Window(ref Utf8JsonReader reader, bool mayCrossMidnight, out TimeWindow window)
    {
        window = default;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        TimeOnly? start = null, end = null;
        var seen = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = Seen(reader.ValueTextEquals("start"u8) ? 0 : reader.ValueTextEquals("end"u8) ? 1 : -1, ref seen);
            reader.Read();
            TimeOnly time = default;
            var ok = field switch
            {
                0 => Time(ref reader, allowEndOfDay: false, out time),
                1 => Time(ref reader, allowEndOfDay: true, out time),
                -1 => Skip(ref reader),
                _ => false,
            };
            if (!ok)
            {
                return false;
            }

            (start, end) = field == 0 ? (time, end) : field == 1 ? (start, time) : (start, end);
        }

        if (start is null || end is null || start == end)
        {
            return false;
        }

        window = new TimeWindow(start.Value, end.Value);
        return mayCrossMidnight || !window.CrossesMidnight;
    }

    private bool Consents(ref Utf8JsonReader reader, out ConsentLedger ledger)
    {
        ledger = ConsentLedger.Empty;
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        List<ConsentRecord>? records = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (Consent(ref reader) is not { } record)
            {
                return false;
            }

            (records ??= []).Add(record);
        }

        ledger = records is null ? ConsentLedger.Empty : new ConsentLedger(records);
        return true;
    }

    private ConsentRecord? Consent(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        Channel? channel = null;
        ContactPurpose? purpose = null;
        ConsentAction? action = null;
        ConsentSource? source = null;
        OptInMethod? optIn = null;
        DateTimeOffset? at = null, confirmed = null;
        string? topic = null, wording = null, wordingVersion = null, evidence = null;
        bool? personalization = null;
        var hasChannel = false;
        var seen = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = Field(ref reader, ref seen, "channel"u8, "purpose"u8, "topic"u8, "personalization"u8, "action"u8, "at"u8, "source"u8, "wording"u8, "wordingVersion"u8, "optIn"u8, "confirmedAt"u8);
            if (field == -1 && reader.ValueTextEquals("methodEvidence"u8))
            {
                field = Seen(11, ref seen);
            }

            reader.Read();
            var ok = field switch
            {
                0 => reader.TokenType == JsonTokenType.Null || (hasChannel = ChannelValue(ref reader, out channel)),
                1 => OptionalEnumValue(ref reader, out purpose),
                2 => String(ref reader, out topic),
                3 => Bool(ref reader, out personalization),
                4 => OptionalEnumValue(ref reader, out action),
                5 => Instant(ref reader, required: false, out at),
                6 => reader.TokenType == JsonTokenType.Null || Source(ref reader, out source),
                7 => String(ref reader, out wording),
                8 => String(ref reader, out wordingVersion),
                9 => OptionalEnumValue(ref reader, out optIn),
                10 => Instant(ref reader, required: false, out confirmed),
                11 => String(ref reader, out evidence),
                -1 => Skip(ref reader),
                _ => false,
            };
            if (!ok)
            {
                return null;
            }
        }

        // The general reader's rules for a record, each failure handed back to it for its error.
        if (personalization == false || action is null || at is null || source is null)
        {
            return null;
        }

        var isPersonalization = personalization == true;
        var subjects = (hasChannel ? 1 : 0) + (topic is null ? 0 : 1) + (isPersonalization ? 1 : 0);
        if (subjects > 1 || (subjects == 1 && !hasChannel && purpose is not null))
        {
            return null;
        }

        ConsentScope scope;
        if (hasChannel)
        {
            scope = purpose is { } p ? ConsentScope.ForChannel(channel!.Value, p) : ConsentScope.ForChannel(channel!.Value);
        }
        else if (topic is not null)
        {
            if (!ConsentScope.TryNormalizeTopic(topic, out var normalized))
            {
                return null;
            }

            scope = ConsentScope.ForTopic(normalized);
        }
        else if (isPersonalization)
        {
            scope = ConsentScope.Personalization;
        }
        else if (purpose is { } p)
        {
            scope = ConsentScope.ForPurpose(p);
        }
        else
        {
            return null;
        }

        var method = optIn ?? OptInMethod.Single;
        if (ConsentRecordRules.Check(action, optIn is not null, method, wording, wordingVersion, at, confirmed, evidence) != ConsentRecordProblems.None)
        {
            return null;
        }

        return new ConsentRecord
        {
            Scope = scope,
            Action = action.Value,
            RecordedAt = at.Value,
            Source = source,
            Wording = wording,
            WordingVersion = wordingVersion,
            OptIn = method,
            ConfirmedAt = confirmed,
            MethodEvidence = evidence,
        };
    }

    private static bool Source(ref Utf8JsonReader reader, out ConsentSource? source)
    {
        source = null;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        ConsentSourceKind? kind = null;
        string? detail = null;
        var seen = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = Seen(reader.ValueTextEquals("kind"u8) ? 0 : reader.ValueTextEquals("detail"u8) ? 1 : -1, ref seen);
            reader.Read();
            var ok = field switch
            {
                0 => OptionalEnumValue(ref reader, out kind),
                1 => String(ref reader, out detail),
                -1 => Skip(ref reader),
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        if (kind is null)
        {
            return false;
        }

        source = new ConsentSource(kind.Value, detail);
        return true;
    }

    private bool History(ref Utf8JsonReader reader, out ContactHistory history)
    {
        history = ContactHistory.Empty;
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return false;
        }

        List<ContactRecord>? records = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            string? messageId = null;
            Channel? channel = null;
            ContactPurpose? purpose = null;
            MessageKind? kind = null;
            DateTimeOffset? sentAt = null;
            var seen = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var field = Seen(
                    reader.ValueTextEquals("messageId"u8) ? 0 : reader.ValueTextEquals("channel"u8) ? 1 : reader.ValueTextEquals("purpose"u8) ? 2
                    : reader.ValueTextEquals("kind"u8) ? 3 : reader.ValueTextEquals("sentAt"u8) ? 4 : -1,
                    ref seen);
                reader.Read();
                var ok = field switch
                {
                    0 => String(ref reader, out messageId),
                    1 => ChannelValue(ref reader, out channel),
                    2 => EnumValue(ref reader, out purpose),
                    3 => EnumValue(ref reader, out kind),
                    4 => Instant(ref reader, required: true, out sentAt),
                    -1 => Skip(ref reader),
                    _ => false,
                };
                if (!ok)
                {
                    return false;
                }
            }

            if (string.IsNullOrWhiteSpace(messageId) || channel is null || purpose is null || kind is null || sentAt is null)
            {
                return false;
            }

            (records ??= []).Add(new ContactRecord { MessageId = messageId, Channel = channel.Value, Purpose = purpose.Value, Kind = kind.Value, SentAt = sentAt.Value });
        }

        history = records is null ? ContactHistory.Empty : new ContactHistory(records);
        return true;
    }

    private static bool Flags(ref Utf8JsonReader reader, out ServiceFlags flags)
    {
        flags = ServiceFlags.None;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        bool? complaint = null, payment = null;
        int? nps = null;
        var seen = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = Seen(reader.ValueTextEquals("openComplaint"u8) ? 0 : reader.ValueTextEquals("failedPayment"u8) ? 1 : reader.ValueTextEquals("npsScore"u8) ? 2 : -1, ref seen);
            reader.Read();
            var ok = field switch
            {
                0 => Bool(ref reader, out complaint),
                1 => Bool(ref reader, out payment),
                2 => Int(ref reader, out nps),
                -1 => Skip(ref reader),
                _ => false,
            };
            if (!ok)
            {
                return false;
            }
        }

        flags = new ServiceFlags { OpenComplaint = complaint == true, FailedPayment = payment == true, NpsScore = nps };
        return true;
    }

    /// <summary>
    /// The attributes object (the reader on its start) as <see cref="StoredAttributes"/> (ADR 0056): the names in a shape
    /// shared with the other profiles of the same names and order, and the values, each from this thread's
    /// <see cref="AttributeValues"/> when it holds the same JSON, the others parsed together in one document.
    /// </summary>
    private static bool Attributes(ref Utf8JsonReader reader, ReadOnlySpan<byte> utf8Json, out IReadOnlyDictionary<string, JsonElement> attributes)
    {
        attributes = CustomerProfile.EmptyAttributes;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        var objectStart = (int)reader.TokenStartIndex;
        var scratch = t_attributeScratch ??= new AttributeScratch();
        var count = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            scratch.Ensure(count + 1);

            // The names of one store's profiles are mostly the same, in the same order: a name equal to the one this thread
            // read last at its position is that string again, not a new one (same keys, same order, same values).
            var names = scratch.Names;
            if (names[count] is not { } last || !reader.ValueTextEquals(last))
            {
                names[count] = reader.GetString()!;
                scratch.NameBytes[count] = null;
            }

            reader.Read();
            var start = (int)reader.TokenStartIndex;
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                reader.Skip();
            }

            scratch.Values[count] = (start, (int)reader.BytesConsumed - start);
            count++;
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            return false;
        }

        if (count == 0)
        {
            return true;
        }

        if (scratch.ShapeOf(count) is not { } shape)
        {
            // A name repeats: a dictionary of the last value of each name, as the general reader builds.
            attributes = Dictionary(utf8Json[objectStart..(int)reader.BytesConsumed]);
            return true;
        }

        attributes = new StoredAttributes(shape, (t_attributeValues ??= new AttributeValues()).Values(utf8Json, scratch.Values.AsSpan(0, count)));
        return true;
    }

    /// <summary>The bytes that end a scan inside a container value: strings, brackets, and a comment's start (which gives up).</summary>
    private static readonly System.Buffers.SearchValues<byte> ContainerStops = System.Buffers.SearchValues.Create("\"[]{}/"u8);

    /// <summary>The bytes that end a scan inside a string: its closing quote or an escape.</summary>
    private static readonly System.Buffers.SearchValues<byte> StringStops = System.Buffers.SearchValues.Create("\"\\"u8);

    /// <summary>The bytes that end a number or literal.</summary>
    private static readonly System.Buffers.SearchValues<byte> ScalarStops = System.Buffers.SearchValues.Create(",}] \t\r\n/"u8);

    /// <summary>How deep a value's containers may nest for <see cref="AttributesLast"/> (deeper ones take the reader's path, which applies the depth limit).</summary>
    private const int MaxScannedDepth = 32;

    /// <summary>
    /// The attributes object starting at <paramref name="objectStart"/> when it is the profile's last property (as the
    /// store's writer puts it) in plain form, read without tokenizing its values: each value's extent is found by a
    /// scan for quotes and brackets, and its JSON text is then found in this thread's <see cref="AttributeValues"/> (the
    /// same bytes as a value parsed before, so valid) or parsed there (which validates it: a scan that split malformed
    /// JSON makes that parse throw, and the row goes to the general reader). <see langword="false"/> — nothing read,
    /// the reader's path follows — for anything else: a property after the attributes, an escape in a name, a comment,
    /// a trailing comma, deep nesting, or anything but JSON whitespace between the tokens.
    /// </summary>
    private static bool AttributesLast(ReadOnlySpan<byte> utf8Json, int objectStart, out IReadOnlyDictionary<string, JsonElement> attributes)
    {
        attributes = CustomerProfile.EmptyAttributes;
        var scratch = t_attributeScratch ??= new AttributeScratch();
        var count = 0;
        var at = SkipSpace(utf8Json, objectStart + 1);
        if (at < utf8Json.Length && utf8Json[at] == (byte)'}')
        {
            at++;
        }
        else
        {
            while (true)
            {
                // A name: plain text (no escape, no control character), valid UTF-8.
                if (at >= utf8Json.Length || utf8Json[at] != (byte)'"')
                {
                    return false;
                }

                var nameLength = utf8Json[(at + 1)..].IndexOfAny(StringStops);
                if (nameLength < 0 || utf8Json[at + 1 + nameLength] != (byte)'"')
                {
                    return false;
                }

                var name = utf8Json.Slice(at + 1, nameLength);
                scratch.Ensure(count + 1);
                if (scratch.Names[count] is null || scratch.NameBytes[count] is not { } known || !name.SequenceEqual(known))
                {
                    if (name.IndexOfAnyInRange((byte)0, (byte)0x1F) >= 0 || !System.Text.Unicode.Utf8.IsValid(name))
                    {
                        return false;
                    }

                    scratch.Names[count] = System.Text.Encoding.UTF8.GetString(name);
                    scratch.NameBytes[count] = name.ToArray();
                }

                at = SkipSpace(utf8Json, at + nameLength + 2);
                if (at >= utf8Json.Length || utf8Json[at] != (byte)':')
                {
                    return false;
                }

                var start = SkipSpace(utf8Json, at + 1);
                var end = scratch.SameAsLast(utf8Json, start, count, out scratch.Found[count]);
                if (end < 0)
                {
                    end = ValueEnd(utf8Json, start);
                    if (end < 0)
                    {
                        return false;
                    }
                }

                scratch.Values[count] = (start, end - start);
                count++;
                at = SkipSpace(utf8Json, end);
                if (at >= utf8Json.Length)
                {
                    return false;
                }

                if (utf8Json[at] == (byte)'}')
                {
                    at++;
                    break;
                }

                if (utf8Json[at] != (byte)',')
                {
                    return false;
                }

                at = SkipSpace(utf8Json, at + 1);
            }
        }

        // The profile's object ends right after the attributes, and the document with it.
        at = SkipSpace(utf8Json, at);
        if (at >= utf8Json.Length || utf8Json[at] != (byte)'}' || SkipSpace(utf8Json, at + 1) != utf8Json.Length)
        {
            return false;
        }

        if (count == 0)
        {
            return true;
        }

        if (scratch.ShapeOf(count) is not { } shape)
        {
            // A name repeats: the reader's path builds the dictionary the general reader builds.
            return false;
        }

        var values = (t_attributeValues ??= new AttributeValues()).Values(utf8Json, scratch.Values.AsSpan(0, count), scratch.Found.AsSpan(0, count));
        scratch.Remember(values);
        attributes = new StoredAttributes(shape, values);
        return true;
    }

    /// <summary>The index of the first byte at or after <paramref name="at"/> that is not JSON whitespace.</summary>
    private static int SkipSpace(ReadOnlySpan<byte> utf8Json, int at)
    {
        while (at < utf8Json.Length && utf8Json[at] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
        {
            at++;
        }

        return at;
    }

    /// <summary>The index just past the JSON value starting at <paramref name="start"/> as far as quotes and brackets tell, or -1 to give up.</summary>
    private static int ValueEnd(ReadOnlySpan<byte> utf8Json, int start)
    {
        if (start >= utf8Json.Length)
        {
            return -1;
        }

        var first = utf8Json[start];
        if (first == (byte)'"')
        {
            return StringEnd(utf8Json, start + 1);
        }

        if (first is not ((byte)'{' or (byte)'['))
        {
            var length = utf8Json[start..].IndexOfAny(ScalarStops);
            return length <= 0 ? -1 : start + length;
        }

        var depth = 0;
        var at = start;
        while (true)
        {
            var next = utf8Json[at..].IndexOfAny(ContainerStops);
            if (next < 0)
            {
                return -1;
            }

            at += next;
            switch (utf8Json[at])
            {
                case (byte)'"':
                    at = StringEnd(utf8Json, at + 1);
                    if (at < 0)
                    {
                        return -1;
                    }

                    continue;
                case (byte)'{' or (byte)'[':
                    if (++depth > MaxScannedDepth)
                    {
                        return -1;
                    }

                    break;
                case (byte)'}' or (byte)']':
                    if (--depth == 0)
                    {
                        return at + 1;
                    }

                    break;
                default:
                    return -1; // a comment
            }

            at++;
        }
    }

    /// <summary>The index just past the closing quote of the string whose text starts at <paramref name="at"/>, or -1.</summary>
    private static int StringEnd(ReadOnlySpan<byte> utf8Json, int at)
    {
        while (true)
        {
            var next = utf8Json[at..].IndexOfAny(StringStops);
            if (next < 0)
            {
                return -1;
            }

            at += next;
            if (utf8Json[at] == (byte)'"')
            {
                return at + 1;
            }

            at += 2; // an escape and the byte it escapes
            if (at > utf8Json.Length)
            {
                return -1;
            }
        }
    }

    /// <summary>The attributes object in <paramref name="utf8Json"/> as a dictionary over one document (a later value of a repeated name wins).</summary>
    private static Dictionary<string, JsonElement> Dictionary(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json, Options);
        reader.Read();
        var root = JsonElement.ParseValue(ref reader);
        var read = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            read[property.Name] = property.Value;
        }

        return read;
    }

    /// <summary>This thread's working arrays for reading attributes: names by position (kept between profiles), value ranges, recent shapes.</summary>
    private sealed class AttributeScratch
    {
        private readonly AttributeShape?[] _shapes = new AttributeShape?[4];
        private int _nextShape;

        public string?[] Names { get; private set; } = new string?[16];

        /// <summary>The UTF-8 of <see cref="Names"/>' entries where the scan of <see cref="AttributesLast"/> read them (null where the reader did).</summary>
        public byte[]?[] NameBytes { get; private set; } = new byte[]?[16];

        public (int Start, int Length)[] Values { get; private set; } = new (int, int)[16];

        /// <summary>
        /// Per position, the value <see cref="AttributesLast"/> found there in this thread's last profile it read (at most
        /// <see cref="AttributeValues.MaxHeldBytes"/> of JSON; <see langword="default"/> for none).
        /// </summary>
        public JsonElement[] Last { get; private set; } = new JsonElement[16];

#if NET9_0_OR_GREATER
        // How many places of Last the last profile filled.
        private int _remembered;
#endif

        /// <summary>Per position of the profile being read, the value of <see cref="Last"/> it holds again (<see langword="default"/> for none).</summary>
        public JsonElement[] Found { get; private set; } = new JsonElement[16];

        public void Ensure(int count)
        {
            if (count > Names.Length)
            {
                var names = Names;
                var bytes = NameBytes;
                var values = Values;
                var last = Last;
                var found = Found;
                Array.Resize(ref names, names.Length * 2);
                Array.Resize(ref bytes, bytes.Length * 2);
                Array.Resize(ref values, values.Length * 2);
                Array.Resize(ref last, last.Length * 2);
                Array.Resize(ref found, found.Length * 2);
                Names = names;
                NameBytes = bytes;
                Values = values;
                Last = last;
                Found = found;
            }
        }

        /// <summary>
        /// When the JSON at <paramref name="start"/> is byte for byte the text of the value read at <paramref name="position"/>
        /// in the last profile (a text <see cref="ValueEnd"/> took whole and a parse accepted, so the same value), the index
        /// just past it — where <see cref="ValueEnd"/> would end it: a string or container ends with its own bytes, a number or
        /// literal must be followed by a byte that ends it — with that <paramref name="value"/>; otherwise -1. Profiles
        /// repeat values (ADR 0056), so a repeated list is compared once instead of scanned quote by quote and then hashed
        /// and compared again.
        /// </summary>
        public int SameAsLast(ReadOnlySpan<byte> utf8Json, int start, int position, out JsonElement value)
        {
#if NET9_0_OR_GREATER
            var last = Last[position];
            if (last.ValueKind != JsonValueKind.Undefined)
            {
                var text = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(last);
                var end = start + text.Length;
                if (end < utf8Json.Length
                    && utf8Json.Slice(start).StartsWith(text)
                    && (text[0] is (byte)'"' or (byte)'{' or (byte)'[' || ScalarStops.Contains(utf8Json[end])))
                {
                    value = last;
                    return end;
                }
            }
#else
            _ = utf8Json;
            _ = start;
            _ = position;
#endif
            value = default;
            return -1;
        }

        /// <summary>
        /// Keeps the profile's <paramref name="values"/> (those of at most <see cref="AttributeValues.MaxHeldBytes"/>) for
        /// <see cref="SameAsLast"/>: what this keeps alive is one profile's values per thread, until its next profile.
        /// </summary>
        public void Remember(JsonElement[] values)
        {
#if NET9_0_OR_GREATER
            for (var i = 0; i < values.Length; i++)
            {
                Last[i] = Values[i].Length <= AttributeValues.MaxHeldBytes ? values[i] : default;
            }

            Array.Clear(Last, values.Length, Math.Max(0, _remembered - values.Length));
            _remembered = values.Length;
#else
            _ = values;
#endif
        }

        /// <summary>The shape of the first <paramref name="count"/> names: one this thread used recently, or a new one; <see langword="null"/> when a name repeats.</summary>
        public AttributeShape? ShapeOf(int count)
        {
            var names = Names.AsSpan(0, count);
            foreach (var known in _shapes)
            {
                if (known is not null && known.Is(names))
                {
                    return known;
                }
            }

            var copy = new string[count];
            for (var i = 0; i < count; i++)
            {
                copy[i] = names[i]!;
            }

            if (AttributeShape.TryCreate(copy) is not { } shape)
            {
                return null;
            }

            _shapes[_nextShape] = shape;
            _nextShape = (_nextShape + 1) % _shapes.Length;
            return shape;
        }
    }

    /// <summary>This thread's recent values of the profile fields that repeat from customer to customer: the language, the time zones, the preferences.</summary>
    private sealed class RepeatedFields
    {
        /// <summary>How many preference objects a thread keeps (a direct-mapped table by the JSON text's hash).</summary>
        public const int PreferenceSlots = 64;

        /// <summary>The longest preferences JSON kept (longer ones are read every time).</summary>
        public const int MaxPreferencesBytes = 512;

        public string? Language;

        public byte[] LanguageBytes = [];

        public readonly (byte[] Id, TimeZoneInfo? Zone)[] Zones = new (byte[], TimeZoneInfo?)[8];

        public int NextZone;

        public readonly PreferencesSlot[] Preferences = new PreferencesSlot[PreferenceSlots];

        /// <summary>A preferences object read from <see cref="Text"/> by <see cref="Reader"/>.</summary>
        public readonly record struct PreferencesSlot(int Hash, byte[] Text, StoredCustomerReader Reader, ContactPreferences Value);
    }

    /// <summary>The names the writer gives the values of <typeparamref name="T"/> (<see cref="CustomerJsonWriter.Name{T}"/>), as UTF-8.</summary>
    private static class EnumNames<T>
        where T : struct, Enum
    {
        public static readonly (byte[] Name, T Value)[] Utf8 = [.. System.Enum.GetValues<T>().Select(static v => (System.Text.Encoding.UTF8.GetBytes(CustomerJsonWriter.Name(v)), v))];
    }
}

/// <summary>What a store keeps of a customer beside the profile JSON, set on the profile read (<see cref="StoredCustomerReader.TryRead(ReadOnlySpan{byte}, StoredParts?, out CustomerProfile?)"/>).</summary>
/// <param name="Facts">The event facts.</param>
/// <param name="Consents">The consent ledger read from the store's rows.</param>
/// <param name="History">The contact history read from the store's rows.</param>
/// <param name="Id">The customer's id as the store read it from its own column (the profile then holds that string when its JSON has the same id).</param>
internal readonly record struct StoredParts(Events.CustomerFacts Facts, ConsentLedger Consents, ContactHistory History, string? Id = null);
