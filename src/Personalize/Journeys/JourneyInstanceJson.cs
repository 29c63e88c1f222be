using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Personalize.Journeys;

/// <summary>
/// The stored form of a journey instance: the SQL stores keep its state as one JSON value beside the columns they query,
/// and its history as rows of their own (appended, one per record, never rewritten), read back as one JSON array.
/// </summary>
internal static class JourneyInstanceJson
{
    private static readonly JsonEncodedText CustomerIdName = JsonEncodedText.Encode("customerId");
    private static readonly JsonEncodedText JourneyIdName = JsonEncodedText.Encode("journeyId");
    private static readonly JsonEncodedText InstanceIdName = JsonEncodedText.Encode("instanceId");
    private static readonly JsonEncodedText VersionName = JsonEncodedText.Encode("version");
    private static readonly JsonEncodedText RevisionName = JsonEncodedText.Encode("revision");
    private static readonly JsonEncodedText StatusName = JsonEncodedText.Encode("status");
    private static readonly JsonEncodedText StepIdName = JsonEncodedText.Encode("stepId");
    private static readonly JsonEncodedText StepSinceName = JsonEncodedText.Encode("stepSince");
    private static readonly JsonEncodedText AttemptName = JsonEncodedText.Encode("attempt");
    private static readonly JsonEncodedText WakeAtName = JsonEncodedText.Encode("wakeAt");
    private static readonly JsonEncodedText WaitingForName = JsonEncodedText.Encode("waitingFor");
    private static readonly JsonEncodedText StartedAtName = JsonEncodedText.Encode("startedAt");
    private static readonly JsonEncodedText UpdatedAtName = JsonEncodedText.Encode("updatedAt");
    private static readonly JsonEncodedText EntryEventIdName = JsonEncodedText.Encode("entryEventId");
    private static readonly JsonEncodedText ExitReasonName = JsonEncodedText.Encode("exitReason");
    private static readonly JsonEncodedText HistoryDroppedName = JsonEncodedText.Encode("historyDropped");
    private static readonly JsonEncodedText HistoryCountName = JsonEncodedText.Encode("historyCount");

    /// <summary>This thread's buffer and writer for <see cref="Write"/> (reused: only the returned array is allocated).</summary>
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_json;

    /// <summary>This thread's cache of the strings <see cref="Read"/> meets again and again (journey, step and instance ids, event types).</summary>
    [ThreadStatic]
    private static Events.Utf8StringCache? t_strings;

    /// <summary>Writes an instance's state (everything but its history records; their count instead) as UTF-8 JSON.</summary>
    public static byte[] Write(JourneyInstance instance)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(512);
        buffer.ResetWrittenCount();
        var json = t_json;
        if (json is null)
        {
            t_json = json = new Utf8JsonWriter(buffer);
        }
        else
        {
            json.Reset(buffer);
        }

        json.WriteStartObject();
        json.WriteString(CustomerIdName, instance.CustomerId);
        json.WriteString(JourneyIdName, instance.JourneyId);
        json.WriteString(InstanceIdName, instance.InstanceId);
        json.WriteNumber(VersionName, instance.Version);
        json.WriteNumber(RevisionName, instance.Revision);
        json.WriteNumber(StatusName, (int)instance.Status);
        WriteOptional(json, StepIdName, instance.StepId);
        json.WriteNumber(StepSinceName, instance.StepSince.UtcTicks);
        json.WriteNumber(AttemptName, instance.Attempt);
        if (instance.WakeAt is { } wake)
        {
            json.WriteNumber(WakeAtName, wake.UtcTicks);
        }

        WriteOptional(json, WaitingForName, instance.WaitingFor);
        json.WriteNumber(StartedAtName, instance.StartedAt.UtcTicks);
        json.WriteNumber(UpdatedAtName, instance.UpdatedAt.UtcTicks);
        WriteOptional(json, EntryEventIdName, instance.EntryEventId);
        WriteOptional(json, ExitReasonName, instance.ExitReason);
        json.WriteNumber(HistoryDroppedName, instance.HistoryDropped);
        json.WriteNumber(HistoryCountName, instance.HistoryCount);
        json.WriteEndObject();
        json.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Reads an instance's state written by <see cref="Write"/> with its history: <paramref name="history"/> is the
    /// store's rows of it as a JSON array of <c>[at, step, outcome, detail]</c> in order, or <see langword="null"/> when
    /// the read left the history out (the instance then counts its kept records as <see cref="JourneyInstance.HistoryOmitted"/>).
    /// </summary>
    /// <exception cref="InvalidDataException">The value is not a stored journey instance.</exception>
    public static JourneyInstance Read(ReadOnlyMemory<byte> utf8, string? history)
    {
        try
        {
            // One forward read where the bytes are (no document, no copy); the names, steps and instance ids repeat from
            // instance to instance, so this thread's cache makes each of them once.
            var strings = t_strings ??= new Events.Utf8StringCache();
            var json = new Utf8JsonReader(utf8.Span);
            if (!json.Read() || json.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException("The value is not a JSON object.");
            }

            string? customerId = null, journeyId = null, instanceId = null, stepId = null, waitingFor = null, entryEventId = null, exitReason = null;
            int? version = null, revision = null, status = null, attempt = null, dropped = null, count = null;
            long? stepSince = null, wakeAt = null, startedAt = null, updatedAt = null;
            while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
            {
                // (A name the writer never escapes is compared unescaped: rare, so not fast.)
                var name = json.ValueIsEscaped ? System.Text.Encoding.UTF8.GetBytes(json.GetString()!) : json.ValueSpan;
                if (!json.Read())
                {
                    throw new JsonException("The value ends inside a property.");
                }

                switch (name.Length)
                {
                    case 6 when name.SequenceEqual("stepId"u8): stepId = Text(ref json, strings); break;
                    case 6 when name.SequenceEqual("status"u8): status = json.GetInt32(); break;
                    case 6 when name.SequenceEqual("wakeAt"u8): wakeAt = json.TokenType == JsonTokenType.Null ? null : json.GetInt64(); break;
                    case 7 when name.SequenceEqual("version"u8): version = json.GetInt32(); break;
                    case 7 when name.SequenceEqual("attempt"u8): attempt = json.GetInt32(); break;
                    case 8 when name.SequenceEqual("revision"u8): revision = json.GetInt32(); break;
                    case 9 when name.SequenceEqual("journeyId"u8): journeyId = Text(ref json, strings); break;
                    case 9 when name.SequenceEqual("stepSince"u8): stepSince = json.GetInt64(); break;
                    case 9 when name.SequenceEqual("startedAt"u8): startedAt = json.GetInt64(); break;
                    case 9 when name.SequenceEqual("updatedAt"u8): updatedAt = json.GetInt64(); break;
                    case 10 when name.SequenceEqual("customerId"u8): customerId = Text(ref json, null); break;
                    case 10 when name.SequenceEqual("instanceId"u8): instanceId = Text(ref json, strings); break;
                    case 10 when name.SequenceEqual("waitingFor"u8): waitingFor = Text(ref json, strings); break;
                    case 10 when name.SequenceEqual("exitReason"u8): exitReason = Text(ref json, strings); break;
                    case 12 when name.SequenceEqual("entryEventId"u8): entryEventId = Text(ref json, null); break;
                    case 12 when name.SequenceEqual("historyCount"u8): count = json.GetInt32(); break;
                    case 14 when name.SequenceEqual("historyDropped"u8): dropped = json.GetInt32(); break;
                    default: json.Skip(); break;
                }
            }

            if (json.TokenType != JsonTokenType.EndObject)
            {
                throw new JsonException("The value is not one JSON object of properties.");
            }

            var historyDropped = Required(dropped, "historyDropped");
            return new JourneyInstance
            {
                CustomerId = Required(customerId, "customerId"),
                JourneyId = Required(journeyId, "journeyId"),
                InstanceId = Required(instanceId, "instanceId"),
                Version = Required(version, "version"),
                Revision = Required(revision, "revision"),
                Status = (JourneyStatus)Required(status, "status"),
                StepId = stepId,
                StepSince = Instant(Required(stepSince, "stepSince")),
                Attempt = Required(attempt, "attempt"),
                WakeAt = wakeAt is { } wake ? Instant(wake) : null,
                WaitingFor = waitingFor,
                StartedAt = Instant(Required(startedAt, "startedAt")),
                UpdatedAt = Instant(Required(updatedAt, "updatedAt")),
                EntryEventId = entryEventId,
                ExitReason = exitReason,
                HistoryDropped = historyDropped,
                HistoryOmitted = history is null ? Required(count, "historyCount") - historyDropped : 0,
                History = history is null ? [] : History(history),
            };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException("A stored journey instance is not readable: " + ex.Message, ex);
        }
    }

    /// <summary>A string property's value (from <paramref name="strings"/> when given and the value is unescaped), or <see langword="null"/> for any other kind.</summary>
    private static string? Text(ref Utf8JsonReader json, Events.Utf8StringCache? strings)
    {
        if (json.TokenType != JsonTokenType.String)
        {
            if (json.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                json.Skip();
            }

            return null;
        }

        return json.ValueIsEscaped || strings is null ? json.GetString() : strings.Get(json.ValueSpan);
    }

    private static T Required<T>(T? value, string name)
        where T : struct
        => value ?? throw new KeyNotFoundException($"The property \"{name}\" is missing.");

    private static string Required(string? value, string name)
        => value ?? throw new KeyNotFoundException($"The property \"{name}\" is missing.");

    private static List<JourneyStepRecord> History(string json)
    {
        using var document = JsonDocument.Parse(json);
        var records = new List<JourneyStepRecord>(document.RootElement.GetArrayLength());
        foreach (var record in document.RootElement.EnumerateArray())
        {
            records.Add(new JourneyStepRecord(
                Instant(record[0].GetInt64()),
                record[1].GetString()!,
                record[2].GetString()!,
                record[3].ValueKind == JsonValueKind.String ? record[3].GetString() : null));
        }

        return records;
    }

    /// <summary>An instance known only by its key and wake-up instant (a <see cref="JourneyQuery.KeysOnly"/> read): every other property is its default.</summary>
    public static JourneyInstance KeyOnly(string customerId, string journeyId, string instanceId, long? wakeTicks) => new()
    {
        CustomerId = customerId,
        JourneyId = journeyId,
        InstanceId = instanceId,
        Version = 0,
        WakeAt = wakeTicks is { } ticks ? Instant(ticks) : null,
    };

    /// <summary>
    /// The cursor of an instance: its wake-up instant (the order of due reads; the epoch when it has none) and its key
    /// (customer, journey, instance id; the order of every other read).
    /// </summary>
    public static string Cursor(JourneyInstance instance) => Storage.StoreCursor.Format(instance.WakeAt ?? DateTimeOffset.UnixEpoch, instance.Key);

    /// <summary>Splits a cursor into the wake-up instant and the key.</summary>
    /// <exception cref="ArgumentException">The token is not a journey cursor.</exception>
    public static JourneyCursor? ParseCursor(string? token)
    {
        if (Storage.StoreCursor.Parse(token) is not { } cursor)
        {
            return null;
        }

        var parts = cursor.Key.Split('\u001f');
        if (parts.Length != 3)
        {
            throw new ArgumentException($"'{token}' is not a continuation token of journey instances; pass the ContinueAfter of the previous page.", "query");
        }

        return new JourneyCursor(cursor.Ticks, parts[0], parts[1], parts[2]);
    }

    /// <summary>Whether an instance comes after a cursor: by wake-up instant, then key, when <paramref name="byWake"/> (due reads); else by key.</summary>
    public static bool IsAfter(JourneyInstance instance, JourneyCursor? cursor, bool byWake)
    {
        if (cursor is not { } c)
        {
            return true;
        }

        var order = byWake ? (instance.WakeAt ?? DateTimeOffset.UnixEpoch).UtcTicks.CompareTo(c.WakeTicks) : 0;
        if (order == 0)
        {
            order = string.CompareOrdinal(instance.CustomerId, c.CustomerId);
        }

        if (order == 0)
        {
            order = string.CompareOrdinal(instance.JourneyId, c.JourneyId);
        }

        if (order == 0)
        {
            order = string.CompareOrdinal(instance.InstanceId, c.InstanceId);
        }

        return order > 0;
    }

    private static DateTimeOffset Instant(long ticks) => new(ticks, TimeSpan.Zero);

    private static void WriteOptional(Utf8JsonWriter json, JsonEncodedText name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    /// <summary>Formats an instant for history details.</summary>
    public static string Format(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
