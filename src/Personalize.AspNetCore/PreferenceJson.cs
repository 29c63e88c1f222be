using System.Globalization;
using System.Text.Json;
using Personalize.Channels;
using Personalize.Consent;
using Personalize.Customers;
using Personalize.Timing;

namespace Personalize.AspNetCore;

/// <summary>The JSON API's documents, written and read by hand (no reflection, so trimming and AOT stay safe).</summary>
internal static class PreferenceJson
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false };

    public static byte[] Write(PreferenceCenter center, CustomerProfile customer, PreferenceCenterText text)
    {
        var now = center.Now;
        var language = center.Options.LanguageOf(text);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("customerId", customer.Id);
            json.WriteString("language", language);
            json.WriteString("timeZone", customer.TimeZone.Id);
            json.WriteStartArray("channels");
            var ranked = PreferencePage.RankedChannels(center.Options.Channels, customer.Preferences.ChannelRanking);
            foreach (var channel in center.Options.Channels)
            {
                var state = center.ChannelState(customer, channel, now);
                json.WriteStartObject();
                json.WriteString("channel", channel.Name);
                json.WriteBoolean("optedIn", state.OptedIn);
                json.WriteBoolean("reachable", state.Reachable);
                json.WriteBoolean("pending", state.Pending);
                json.WriteNumber("rank", ranked.IndexOf(channel) + 1);
                if (customer.Preferences.FrequencyCaps.FirstOrDefault(c => c.Channel == channel) is { } cap)
                {
                    json.WriteStartObject("frequency");
                    json.WriteNumber("max", cap.Max);
                    json.WriteString("per", cap.Period.ToString().ToLowerInvariant());
                    json.WriteEndObject();
                }
                else
                {
                    json.WriteNull("frequency");
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("topics");
            foreach (var topic in center.Options.Topics)
            {
                var state = center.StateOf(customer, ConsentScope.ForTopic(topic.Name), now);
                json.WriteStartObject();
                json.WriteString("topic", topic.Name);
                json.WriteString("label", topic.LabelFor(language));
                json.WriteBoolean("subscribed", state.IsGranted);
                json.WriteBoolean("pending", state.Status == ConsentStatus.Pending);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteBoolean("personalization", center.StateOf(customer, ConsentScope.Personalization, now).IsGranted);
            if (customer.Preferences.QuietHours is { } quiet)
            {
                json.WriteStartObject("quietHours");
                json.WriteString("start", quiet.FormatStart());
                json.WriteString("end", quiet.End.ToString("HH:mm", CultureInfo.InvariantCulture));
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("quietHours");
            }

            json.WriteStartArray("preferredDays");
            foreach (var day in customer.Preferences.PreferredDays)
            {
                json.WriteStringValue(day.ToString().ToLowerInvariant());
            }

            json.WriteEndArray();
            if (customer.Preferences.PausedUntil is { } paused && paused > now)
            {
                json.WriteString("pausedUntil", paused.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            }
            else
            {
                json.WriteNull("pausedUntil");
            }

            json.WriteStartArray("evidence");
            var records = customer.Consents.Records;
            for (var i = records.Count - 1; i >= 0; i--)
            {
                var record = records[i];
                json.WriteStartObject();
                json.WriteString("scope", TokenScopeNames.Key(record.Scope));
                json.WriteString("action", record.Action == ConsentAction.Grant ? "grant" : "withdraw");
                json.WriteString("at", record.RecordedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
                json.WriteString("source", record.Source.ToString());
                json.WriteString("wordingVersion", record.WordingVersion);
                json.WriteString("text", PreferencePage.Evidence(center, text, language, record, customer.TimeZone));
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    public static byte[] Error(string code, string message)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("error", code);
            json.WriteString("message", message);
            json.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>
    /// Reads a change: <c>{"channels": {"email": true}, "topics": {"gardening": false}, "personalization": true,
    /// "frequency": {"email": {"max": 1, "per": "week"} | null}, "quietHours": {"start": "22:00", "end": "07:00"} | null,
    /// "preferredDays": ["monday"], "channelOrder": ["sms", "email"], "pauseWeeks": 2 | 0}</c>; every part optional.
    /// </summary>
    public static PreferenceChoices? Read(byte[] body, PreferenceCenterOptions options, ChannelRegistry registry, out string? error)
    {
        error = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException ex)
        {
            error = "The body is not JSON: " + ex.Message;
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = "$: expected an object.";
                return null;
            }

            var choices = new PreferenceChoices();
            foreach (var property in root.EnumerateObject())
            {
                var path = "$." + property.Name;
                var value = property.Value;
                switch (property.Name)
                {
                    case "channels":
                        choices.Channels = [];
                        foreach (var item in Members(value, path, ref error))
                        {
                            if (Offered(item.Name, options, registry, path, ref error) is { } channel && Bool(item.Value, path + "." + item.Name, ref error) is { } on)
                            {
                                choices.Channels[channel] = on;
                            }
                        }

                        break;
                    case "topics":
                        choices.Topics = [];
                        foreach (var item in Members(value, path, ref error))
                        {
                            if (!options.Topics.Any(t => t.Name == item.Name))
                            {
                                error ??= $"{path}.{item.Name}: not a topic of this preference center ({string.Join(", ", options.Topics.Select(t => t.Name))}).";
                            }
                            else if (Bool(item.Value, path + "." + item.Name, ref error) is { } on)
                            {
                                choices.Topics[item.Name] = on;
                            }
                        }

                        break;
                    case "personalization":
                        choices.Personalization = Bool(value, path, ref error);
                        break;
                    case "frequency":
                        choices.Frequency = [];
                        foreach (var item in Members(value, path, ref error))
                        {
                            if (Offered(item.Name, options, registry, path, ref error) is not { } channel)
                            {
                                continue;
                            }

                            if (item.Value.ValueKind == JsonValueKind.Null)
                            {
                                choices.Frequency[channel] = null;
                            }
                            else if (item.Value.ValueKind == JsonValueKind.Object
                                && item.Value.TryGetProperty("max", out var max) && max.TryGetInt32(out var m)
                                && item.Value.TryGetProperty("per", out var per) && per.ValueKind == JsonValueKind.String
                                && PreferenceForm.TryParseFrequency(m.ToString(CultureInfo.InvariantCulture) + "-" + per.GetString(), out var cap))
                            {
                                choices.Frequency[channel] = cap;
                            }
                            else
                            {
                                error ??= $"{path}.{item.Name}: expected null or {{\"max\": 1 to 100, \"per\": \"day\" | \"week\" | \"month\"}}.";
                            }
                        }

                        break;
                    case "quietHours":
                        choices.QuietHoursChosen = true;
                        if (value.ValueKind != JsonValueKind.Null)
                        {
                            if (value.ValueKind == JsonValueKind.Object
                                && value.TryGetProperty("start", out var s) && TimeWindow.TryParseTimeOfDay(s.ValueKind == JsonValueKind.String ? s.GetString() : null, out var start)
                                && value.TryGetProperty("end", out var e) && TimeWindow.TryParseTimeOfDay(e.ValueKind == JsonValueKind.String ? e.GetString() : null, out var end)
                                && start != end)
                            {
                                choices.QuietHours = new TimeWindow(start, end);
                            }
                            else
                            {
                                error ??= $"{path}: expected null or {{\"start\": \"HH:mm\", \"end\": \"HH:mm\"}} with different times.";
                            }
                        }

                        break;
                    case "preferredDays":
                        choices.PreferredDays = [];
                        foreach (var item in Items(value, path, ref error))
                        {
                            if (item.ValueKind == JsonValueKind.String && Enum.TryParse<DayOfWeek>(item.GetString(), ignoreCase: true, out var day) && !int.TryParse(item.GetString(), out _))
                            {
                                choices.PreferredDays.Add(day);
                            }
                            else
                            {
                                error ??= $"{path}: expected day names (monday … sunday).";
                            }
                        }

                        break;
                    case "channelOrder":
                        choices.ChannelOrder = [];
                        foreach (var item in Items(value, path, ref error))
                        {
                            if (item.ValueKind == JsonValueKind.String && Offered(item.GetString()!, options, registry, path, ref error) is { } channel)
                            {
                                choices.ChannelOrder.Add(channel);
                            }
                            else if (item.ValueKind != JsonValueKind.String)
                            {
                                error ??= $"{path}: expected channel names.";
                            }
                        }

                        break;
                    case "pauseWeeks":
                        if (value.TryGetInt32(out var weeks) && (weeks == 0 || options.PauseWeeks.Contains(weeks)))
                        {
                            choices.PauseWeeks = weeks;
                        }
                        else
                        {
                            error ??= $"{path}: expected 0 (no pause) or one of {string.Join(", ", options.PauseWeeks)}.";
                        }

                        break;
                    default:
                        error ??= $"{path}: unknown member (expected channels, topics, personalization, frequency, quietHours, preferredDays, channelOrder or pauseWeeks).";
                        break;
                }
            }

            return error is null ? choices : null;
        }
    }

    private static Channel? Offered(string name, PreferenceCenterOptions options, ChannelRegistry registry, string path, ref string? error)
    {
        if (registry.TryResolve(name, out var definition) && options.Channels.Contains(definition.Channel))
        {
            return definition.Channel;
        }

        error ??= $"{path}.{name}: not a channel of this preference center ({string.Join(", ", options.Channels)}).";
        return null;
    }

    private static bool? Bool(JsonElement value, string path, ref string? error)
    {
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        error ??= $"{path}: expected true or false.";
        return null;
    }

    private static IEnumerable<JsonProperty> Members(JsonElement value, string path, ref string? error)
    {
        if (value.ValueKind == JsonValueKind.Object)
        {
            return value.EnumerateObject().ToList();
        }

        error ??= $"{path}: expected an object.";
        return [];
    }

    private static IEnumerable<JsonElement> Items(JsonElement value, string path, ref string? error)
    {
        if (value.ValueKind == JsonValueKind.Array)
        {
            return value.EnumerateArray().ToList();
        }

        error ??= $"{path}: expected an array.";
        return [];
    }
}
