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
            // Parsed where the bytes are (no copy).
            using var document = JsonDocument.Parse(utf8);
            var root = document.RootElement;
            var dropped = root.GetProperty("historyDropped").GetInt32();
            var records = history is null ? [] : History(history);
            return new JourneyInstance
            {
                CustomerId = root.GetProperty("customerId").GetString()!,
                JourneyId = root.GetProperty("journeyId").GetString()!,
                InstanceId = root.GetProperty("instanceId").GetString()!,
                Version = root.GetProperty("version").GetInt32(),
                Revision = root.GetProperty("revision").GetInt32(),
                Status = (JourneyStatus)root.GetProperty("status").GetInt32(),
                StepId = Optional(root, "stepId"),
                StepSince = Instant(root.GetProperty("stepSince").GetInt64()),
                Attempt = root.GetProperty("attempt").GetInt32(),
                WakeAt = root.TryGetProperty("wakeAt", out var wake) ? Instant(wake.GetInt64()) : null,
                WaitingFor = Optional(root, "waitingFor"),
                StartedAt = Instant(root.GetProperty("startedAt").GetInt64()),
                UpdatedAt = Instant(root.GetProperty("updatedAt").GetInt64()),
                EntryEventId = Optional(root, "entryEventId"),
                ExitReason = Optional(root, "exitReason"),
                HistoryDropped = dropped,
                HistoryOmitted = history is null ? root.GetProperty("historyCount").GetInt32() - dropped : 0,
                History = records,
            };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException("A stored journey instance is not readable: " + ex.Message, ex);
        }
    }

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

    private static string? Optional(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

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
