using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Personalize.Catalog;
using Personalize.Channels;
using Personalize.Serialization;
using Personalize.Timing;

namespace Personalize.Journeys;

/// <summary>
/// Loads journeys from JSON: <c>{ "journeys": [ … ] }</c>. Reading validates everything and reports <b>every</b>
/// problem with its JSON path, line and column and a code (<see cref="JourneyCodes"/>); a file with any error yields
/// no journeys. The format is in <c>docs/journeys.md</c>.
/// </summary>
public static class JourneyJson
{
    /// <summary>The largest file read (1 MiB).</summary>
    public const int MaxFileBytes = 1 << 20;

    /// <summary>The most journeys (all versions) in one file.</summary>
    public const int MaxJourneys = 200;

    private static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 32 };

    /// <summary>Reads and validates journeys without throwing.</summary>
    /// <param name="utf8Json">The file's bytes.</param>
    /// <param name="catalog">The catalog the send steps name (checked), or <see langword="null"/>.</param>
    /// <param name="journeys">The journeys when there are no errors.</param>
    /// <param name="errors">Every problem, in file order.</param>
    /// <returns><see langword="true"/> when the file is valid.</returns>
    public static bool TryRead(ReadOnlySpan<byte> utf8Json, CompiledCatalog? catalog, [NotNullWhen(true)] out IReadOnlyList<JourneyDefinition>? journeys, out IReadOnlyList<JourneyError> errors)
    {
        var list = new List<JourneyError>();
        var read = ReadFile(utf8Json, catalog, list);
        errors = Positioned(utf8Json, list);
        journeys = errors.Count == 0 ? read : null;
        return journeys is not null;
    }

    /// <summary>Reads and validates journeys.</summary>
    /// <param name="utf8Json">The file's bytes.</param>
    /// <param name="catalog">The catalog the send steps name (checked), or <see langword="null"/>.</param>
    /// <returns>The journeys.</returns>
    /// <exception cref="JourneyException">The file has problems; the exception lists every one.</exception>
    public static IReadOnlyList<JourneyDefinition> Read(ReadOnlySpan<byte> utf8Json, CompiledCatalog? catalog = null)
        => TryRead(utf8Json, catalog, out var journeys, out var errors) ? journeys : throw new JourneyException(errors);

    /// <summary>Reads journeys and makes the set a runner uses.</summary>
    /// <param name="utf8Json">The file's bytes.</param>
    /// <param name="catalog">The catalog the send steps name.</param>
    /// <returns>The set.</returns>
    /// <exception cref="JourneyException">The file has problems; the exception lists every one.</exception>
    public static JourneySet Load(ReadOnlySpan<byte> utf8Json, CompiledCatalog catalog)
        => JourneySet.Create(Read(utf8Json, catalog), catalog);

    private static List<JourneyDefinition>? ReadFile(ReadOnlySpan<byte> utf8Json, CompiledCatalog? catalog, List<JourneyError> errors)
    {
        if (utf8Json.Length > MaxFileBytes)
        {
            errors.Add(new JourneyError("$", JourneyCodes.TooLarge, $"the file has {utf8Json.Length:N0} bytes; at most {MaxFileBytes:N0} are read (split it)"));
            return null;
        }

        var document = JsonPositions.TryParse(utf8Json, DocumentOptions, out var syntax, out var where);
        if (document is null)
        {
            errors.Add(new JourneyError("$", JourneyCodes.InvalidJson, syntax!, where?.Line, where?.Column));
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new JourneyError("$", JourneyCodes.InvalidJson, "expected an object { \"journeys\": [ … ] }"));
                return null;
            }

            Unknown(root, "$", ["journeys"], errors);
            if (!root.TryGetProperty("journeys", out var array) || array.ValueKind != JsonValueKind.Array)
            {
                errors.Add(new JourneyError("$.journeys", JourneyCodes.Missing, "is required: an array of journeys"));
                return null;
            }

            if (array.GetArrayLength() > MaxJourneys)
            {
                errors.Add(new JourneyError("$.journeys", JourneyCodes.TooManyJourneys, $"has {array.GetArrayLength()} journeys; at most {MaxJourneys} are allowed"));
                return null;
            }

            var journeys = new List<JourneyDefinition>();
            var seen = new HashSet<(string, int)>();
            var index = 0;
            foreach (var item in array.EnumerateArray())
            {
                var path = $"$.journeys[{index++}]";
                if (Journey(item, path, errors) is { } journey)
                {
                    JourneyValidation.Validate(journey, catalog, path, errors);
                    if (!seen.Add((journey.Id, journey.Version)))
                    {
                        errors.Add(new JourneyError(path + ".version", JourneyCodes.Duplicate, $"journey \"{journey.Id}\" version {journey.Version} is defined twice; give the newer one a higher version"));
                    }

                    journeys.Add(journey);
                }
            }

            return journeys;
        }
    }

    private static JourneyDefinition? Journey(JsonElement item, string path, List<JourneyError> errors)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new JourneyError(path, JourneyCodes.InvalidJson, "expected a journey object"));
            return null;
        }

        Unknown(item, path, ["id", "version", "description", "allowReentry", "entry", "exits", "steps"], errors);
        var id = String(item, "id", path, errors, required: true) ?? string.Empty;
        var version = item.TryGetProperty("version", out var v) ? (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) ? n : Wrong(path + ".version", "a whole number", errors, 0)) : 1;
        var reentry = item.TryGetProperty("allowReentry", out var r) && (r.ValueKind is JsonValueKind.True or JsonValueKind.False ? r.GetBoolean() : Wrong(path + ".allowReentry", "true or false", errors, false));
        JourneyEntry? entry = null;
        if (!item.TryGetProperty("entry", out var e) || e.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new JourneyError(path + ".entry", JourneyCodes.Missing, "is required: { \"trigger\": \"event:renewal_due\", \"when\": \"…\" }"));
        }
        else
        {
            Unknown(e, path + ".entry", ["trigger", "when"], errors);
            var triggerText = String(e, "trigger", path + ".entry", errors, required: true);
            var when = Condition(e, path + ".entry", errors);
            if (triggerText is not null)
            {
                if (Trigger.TryParse(triggerText, out var trigger))
                {
                    entry = new JourneyEntry { Trigger = trigger, Condition = when };
                }
                else
                {
                    errors.Add(new JourneyError(path + ".entry.trigger", JourneyCodes.InvalidTrigger, $"\"{triggerText}\" is not a trigger; use event:TYPE, stage:NAME or occasion:NAME"));
                }
            }
        }

        var exits = new List<JourneyExit>();
        foreach (var (exit, exitPath) in Items(item, "exits", path, errors))
        {
            Unknown(exit, exitPath, ["name", "event", "when"], errors);
            var eventType = String(exit, "event", exitPath, errors);
            var name = String(exit, "name", exitPath, errors) ?? eventType ?? string.Empty;
            exits.Add(new JourneyExit { Name = name, EventType = eventType, Condition = Condition(exit, exitPath, errors) });
        }

        var steps = new List<JourneyStep>();
        foreach (var (step, stepPath) in Items(item, "steps", path, errors))
        {
            // A step that could not be read keeps its place (and id), so later errors name the right index; its own errors are reported.
            steps.Add(Step(step, stepPath, errors) ?? new UnreadStep { Id = step.TryGetProperty("id", out var stepId) && stepId.ValueKind == JsonValueKind.String ? stepId.GetString()! : string.Empty });
        }

        return entry is null
            ? null
            : new JourneyDefinition
            {
                Id = id,
                Version = version,
                Description = String(item, "description", path, errors),
                AllowReentry = reentry,
                Entry = entry,
                Exits = exits,
                Steps = steps,
            };
    }

    private static readonly string[] StepKinds = ["send", "wait", "waitUntil", "waitFor", "branch"];

    private static JourneyStep? Step(JsonElement step, string path, List<JourneyError> errors)
    {
        Unknown(step, path, ["id", "send", "channel", "whenSuppressed", "retryAfter", "maxAttempts", "wait", "waitUntil", "waitFor", "branch"], errors);
        var id = String(step, "id", path, errors, required: true) ?? string.Empty;
        var kinds = StepKinds.Where(k => step.TryGetProperty(k, out _)).ToList();
        if (kinds.Count != 1)
        {
            errors.Add(new JourneyError(path, JourneyCodes.InvalidStep, kinds.Count == 0
                ? "is no step: give it one of \"send\", \"wait\", \"waitUntil\", \"waitFor\" or \"branch\""
                : $"has {string.Join(" and ", kinds.Select(static k => "\"" + k + "\""))}; a step does one thing"));
            return null;
        }

        if (kinds[0] != "send")
        {
            foreach (var sendOnly in new[] { "channel", "whenSuppressed", "retryAfter", "maxAttempts" })
            {
                if (step.TryGetProperty(sendOnly, out _))
                {
                    errors.Add(new JourneyError($"{path}.{sendOnly}", JourneyCodes.UnknownMember, $"belongs to a send step, not a {kinds[0]} step"));
                }
            }
        }

        switch (kinds[0])
        {
            case "send":
                var messageId = String(step, "send", path, errors, required: true) ?? string.Empty;
                Channel? channel = null;
                if (String(step, "channel", path, errors) is { } channelText)
                {
                    if (Channel.TryParse(channelText, out var parsed))
                    {
                        channel = parsed;
                    }
                    else
                    {
                        errors.Add(new JourneyError(path + ".channel", JourneyCodes.InvalidChannel, $"\"{channelText}\" is not a channel name"));
                    }
                }

                var policy = SuppressedStepPolicy.Skip;
                if (String(step, "whenSuppressed", path, errors) is { } policyText && !Enum.TryParse(policyText, ignoreCase: true, out policy))
                {
                    errors.Add(new JourneyError(path + ".whenSuppressed", JourneyCodes.InvalidPolicy, $"\"{policyText}\" is not a policy; use skip, retry or exit"));
                }

                var send = new SendStep { Id = id, MessageId = messageId, Channel = channel, WhenSuppressed = policy };
                if (Duration(step, "retryAfter", path, errors) is { } retryAfter)
                {
                    send = send with { RetryAfter = retryAfter };
                }

                if (step.TryGetProperty("maxAttempts", out var attempts))
                {
                    send = send with { MaxAttempts = attempts.ValueKind == JsonValueKind.Number && attempts.TryGetInt32(out var count) ? count : Wrong(path + ".maxAttempts", "a whole number", errors, 1) };
                }

                return send;
            case "wait":
                return Duration(step, "wait", path, errors) is { } duration ? new WaitStep { Id = id, Duration = duration } : null;
            case "waitUntil":
                var until = step.GetProperty("waitUntil");
                var untilPath = path + ".waitUntil";
                if (until.ValueKind != JsonValueKind.Object)
                {
                    errors.Add(new JourneyError(untilPath, JourneyCodes.InvalidJson, "expected { \"time\": \"10:00\", \"days\": [\"monday\"] }"));
                    return null;
                }

                Unknown(until, untilPath, ["time", "days"], errors);
                var timeText = String(until, "time", untilPath, errors, required: true);
                TimeOnly time = default;
                if (timeText is not null && !TimeWindow.TryParseTimeOfDay(timeText, out time))
                {
                    errors.Add(new JourneyError(untilPath + ".time", JourneyCodes.InvalidTime, $"\"{timeText}\" is not a time of day; write HH:mm, for example 10:00"));
                }

                var days = new List<DayOfWeek>();
                foreach (var (day, dayPath) in Items(until, "days", untilPath, errors, objects: false))
                {
                    if (day.ValueKind == JsonValueKind.String && Enum.TryParse<DayOfWeek>(day.GetString(), ignoreCase: true, out var weekday) && !int.TryParse(day.GetString(), out _))
                    {
                        days.Add(weekday);
                    }
                    else
                    {
                        errors.Add(new JourneyError(dayPath, JourneyCodes.InvalidWeekday, $"{day.GetRawText()} is not a weekday; write monday … sunday"));
                    }
                }

                return timeText is null ? null : new WaitUntilStep { Id = id, TimeOfDay = time, Days = days };
            case "waitFor":
                var waitFor = step.GetProperty("waitFor");
                var waitPath = path + ".waitFor";
                if (waitFor.ValueKind != JsonValueKind.Object)
                {
                    errors.Add(new JourneyError(waitPath, JourneyCodes.InvalidJson, "expected { \"event\": \"renewed\", \"timeout\": \"7d\", \"onEvent\": \"…\", \"onTimeout\": \"…\" }"));
                    return null;
                }

                Unknown(waitFor, waitPath, ["event", "timeout", "onEvent", "onTimeout"], errors);
                var eventType = String(waitFor, "event", waitPath, errors, required: true);
                var timeout = Duration(waitFor, "timeout", waitPath, errors, required: true);
                return eventType is null || timeout is null
                    ? null
                    : new WaitForEventStep { Id = id, EventType = eventType, Timeout = timeout.Value, OnEvent = String(waitFor, "onEvent", waitPath, errors), OnTimeout = String(waitFor, "onTimeout", waitPath, errors) };
            default:
                var branch = step.GetProperty("branch");
                var branchPath = path + ".branch";
                if (branch.ValueKind != JsonValueKind.Object)
                {
                    errors.Add(new JourneyError(branchPath, JourneyCodes.InvalidJson, "expected { \"when\": \"…\", \"then\": \"…\", \"else\": \"…\" }"));
                    return null;
                }

                Unknown(branch, branchPath, ["when", "then", "else"], errors);
                var condition = Condition(branch, branchPath, errors);
                if (condition is null)
                {
                    errors.Add(new JourneyError(branchPath + ".when", JourneyCodes.Missing, "is required: the condition to branch on"));
                    return null;
                }

                return new BranchStep { Id = id, Condition = condition, Then = String(branch, "then", branchPath, errors), Else = String(branch, "else", branchPath, errors) };
        }
    }

    private static IEnumerable<(JsonElement Item, string Path)> Items(JsonElement parent, string name, string path, List<JourneyError> errors, bool objects = true)
    {
        if (!parent.TryGetProperty(name, out var array))
        {
            yield break;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new JourneyError($"{path}.{name}", JourneyCodes.InvalidJson, "expected an array"));
            yield break;
        }

        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            var itemPath = $"{path}.{name}[{i++}]";
            if (objects && item.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new JourneyError(itemPath, JourneyCodes.InvalidJson, "expected an object"));
                continue;
            }

            yield return (item, itemPath);
        }
    }

    private static string? String(JsonElement parent, string name, string path, List<JourneyError> errors, bool required = false)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                errors.Add(new JourneyError($"{path}.{name}", JourneyCodes.Missing, "is required"));
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add(new JourneyError($"{path}.{name}", JourneyCodes.InvalidJson, $"expected a string, found {value.ValueKind.ToString().ToLowerInvariant()}"));
            return null;
        }

        return value.GetString();
    }

    private static TimeSpan? Duration(JsonElement parent, string name, string path, List<JourneyError> errors, bool required = false)
    {
        var text = String(parent, name, path, errors, required);
        if (text is null)
        {
            return null;
        }

        if (!CatalogJson.TryParseDuration(text, out var duration))
        {
            errors.Add(new JourneyError($"{path}.{name}", JourneyCodes.InvalidDuration, $"\"{text}\" is not a duration; write for example 48h, 2d, 30m or 1w"));
            return null;
        }

        return duration;
    }

    private static ExpressionCondition? Condition(JsonElement parent, string path, List<JourneyError> errors)
        => String(parent, "when", path, errors) is { } text ? ExpressionCondition.Parse(text) : null;

    private static T Wrong<T>(string path, string expected, List<JourneyError> errors, T fallback)
    {
        errors.Add(new JourneyError(path, JourneyCodes.InvalidJson, "expected " + expected));
        return fallback;
    }

    private static void Unknown(JsonElement element, string path, string[] known, List<JourneyError> errors)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (!known.Contains(property.Name, StringComparer.Ordinal))
            {
                var near = known.FirstOrDefault(k => string.Equals(k, property.Name, StringComparison.OrdinalIgnoreCase));
                errors.Add(new JourneyError($"{path}.{property.Name}", JourneyCodes.UnknownMember, near is not null ? $"is not a member; did you mean \"{near}\"?" : $"is not a member; expected {string.Join(", ", known)}"));
            }
        }
    }

    /// <summary>Adds line and column to each error and orders them by position.</summary>
    private static List<JourneyError> Positioned(ReadOnlySpan<byte> utf8Json, List<JourneyError> errors)
        => JsonPositions.InFileOrder(utf8Json, errors, static e => e.Path, static e => e.Line, static (e, at) => e with { Line = at.Line, Column = at.Column });

    /// <summary>The place of a step that could not be read (the file then has errors and yields no journeys).</summary>
    internal sealed record UnreadStep : JourneyStep
    {
        /// <inheritdoc />
        public override string Kind => "unread";
    }
}
