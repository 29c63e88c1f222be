using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;
using Personalize.Channels;

namespace Personalize.Catalog;

/// <summary>
/// Loads a message catalog from JSON (System.Text.Json, source-generated). A file is
/// <c>{ "messages": [ … ] }</c>; reading validates everything and reports <b>every</b> problem with its JSON path
/// (and, for conditions, the line and column inside the condition). A file with any error yields no catalog.
/// </summary>
public static class CatalogJson
{
    /// <summary>Reads and validates a catalog without throwing.</summary>
    /// <param name="utf8Json">The file's bytes.</param>
    /// <param name="options">What to validate against; <see langword="null"/> for the built-in channels only.</param>
    /// <param name="catalog">The catalog when there are no errors.</param>
    /// <param name="errors">Every problem, in file order.</param>
    /// <returns><see langword="true"/> when the file is a valid catalog.</returns>
    public static bool TryRead(ReadOnlySpan<byte> utf8Json, CatalogValidationOptions? options, [NotNullWhen(true)] out MessageCatalog? catalog, out IReadOnlyList<CatalogError> errors)
    {
        var list = new List<CatalogError>();
        var read = ReadFile(utf8Json, list);
        if (read is not null)
        {
            list.AddRange(read.Validate(options));
        }

        errors = Sorted(list);
        catalog = errors.Count == 0 ? read : null;
        return catalog is not null;
    }

    /// <summary>Reads and validates a catalog.</summary>
    /// <param name="utf8Json">The file's bytes.</param>
    /// <param name="options">What to validate against.</param>
    /// <returns>The catalog.</returns>
    /// <exception cref="CatalogException">The file has problems; the exception lists every one.</exception>
    public static MessageCatalog Read(ReadOnlySpan<byte> utf8Json, CatalogValidationOptions? options = null)
        => TryRead(utf8Json, options, out var catalog, out var errors) ? catalog : throw new CatalogException(errors);

    /// <summary>Reads, validates and compiles a catalog.</summary>
    /// <param name="utf8Json">The file's bytes.</param>
    /// <param name="options">What to validate against.</param>
    /// <returns>The compiled catalog.</returns>
    /// <exception cref="CatalogException">The file has problems; the exception lists every one.</exception>
    public static CompiledCatalog Compile(ReadOnlySpan<byte> utf8Json, CatalogValidationOptions? options = null)
        => Read(utf8Json, options).Compile(options);

    private static MessageCatalog? ReadFile(ReadOnlySpan<byte> utf8Json, List<CatalogError> errors)
    {
        CatalogFileDto? file;
        try
        {
            file = JsonSerializer.Deserialize(utf8Json, CatalogJsonContext.Default.CatalogFileDto);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" (line {line + 1}, byte {ex.BytePositionInLine + 1})" : string.Empty;
            errors.Add(new CatalogError(ex.Path ?? "$", $"is not valid catalog JSON{where}: {FirstSentence(ex.Message)}"));
            return null;
        }

        if (file is null)
        {
            errors.Add(new CatalogError("$", "is null; expected an object { \"messages\": [ … ] }"));
            return null;
        }

        Unknown("$", file.Extra, errors);
        if (file.Messages is null)
        {
            errors.Add(new CatalogError("$.messages", "is required (an array of message objects)"));
            return null;
        }

        var messages = new List<MessageDefinition>(file.Messages.Count);
        for (var i = 0; i < file.Messages.Count; i++)
        {
            var path = $"$.messages[{i}]";
            var dto = file.Messages[i];
            if (dto is null)
            {
                errors.Add(new CatalogError(path, "is null; expected a message object"));
                messages.Add(new MessageDefinition { Id = string.Empty });
                continue;
            }

            messages.Add(Message(path, dto, errors));
        }

        return new MessageCatalog(messages);
    }

    private static MessageDefinition Message(string path, MessageDto dto, List<CatalogError> errors)
    {
        Unknown(path, dto.Extra, errors);
        var message = new MessageDefinition { Id = dto.Id ?? string.Empty, Description = dto.Description };
        if (dto.Purpose is null)
        {
            errors.Add(new CatalogError(path + ".purpose", "is required (marketing, service or relationship)"));
        }
        else if (TryEnum<ContactPurpose>(dto.Purpose, out var purpose))
        {
            message = message with { Purpose = purpose };
        }
        else
        {
            errors.Add(new CatalogError(path + ".purpose", $"\"{dto.Purpose}\" is not a purpose (marketing, service or relationship)"));
        }

        if (dto.Kind is not null)
        {
            if (TryEnum<MessageKind>(dto.Kind, out var kind))
            {
                message = message with { Kind = kind };
            }
            else
            {
                errors.Add(new CatalogError(path + ".kind", $"\"{dto.Kind}\" is not a kind (give or ask)"));
            }
        }

        if (dto.Topics is { } topics)
        {
            message = message with { Topics = topics.Select(static t => t ?? string.Empty).ToArray() };
        }

        if (dto.Stages is { } stages)
        {
            var list = new List<LifecycleStage>(stages.Count);
            for (var s = 0; s < stages.Count; s++)
            {
                if (stages[s] is { } text && TryEnum<LifecycleStage>(text, out var stage))
                {
                    list.Add(stage);
                }
                else
                {
                    errors.Add(new CatalogError($"{path}.stages[{s}]", $"\"{stages[s]}\" is not a lifecycle stage (exposure, adoption or retention)"));
                }
            }

            message = message with { Stages = list };
        }

        var triggers = new List<Trigger>();
        if (dto.Triggers is null)
        {
            errors.Add(new CatalogError(path + ".triggers", "is required (for example [\"event:order_shipped\"] or [\"schedule\"])"));
        }
        else
        {
            for (var t = 0; t < dto.Triggers.Count; t++)
            {
                if (Trigger.TryParse(dto.Triggers[t], out var trigger))
                {
                    triggers.Add(trigger);
                }
                else
                {
                    errors.Add(new CatalogError($"{path}.triggers[{t}]", $"\"{dto.Triggers[t]}\" is not a trigger; write event:NAME, campaign:NAME, stage:NAME, tier:NAME, occasion:NAME, journey:NAME, schedule or schedule:NAME"));
                }
            }

            if (dto.Triggers.Count > 0 && triggers.Count == 0)
            {
                // Every trigger was reported; keep one placeholder so validation does not add "no trigger".
                triggers.Add(Trigger.Tick);
            }
        }

        if (dto.Triggers is not null)
        {
            message = message with { Triggers = triggers };
        }

        if (dto.Condition is { } condition)
        {
            message = message with { Condition = ExpressionCondition.Parse(condition) };
        }

        if (dto.Priority is { } priority)
        {
            message = message with { Priority = priority };
        }

        if (dto.Value is { } value)
        {
            message = message with { Value = value };
        }

        if (dto.Caps is { } caps)
        {
            var list = new List<MessageCap>(caps.Count);
            for (var c = 0; c < caps.Count; c++)
            {
                var capPath = $"{path}.caps[{c}]";
                if (caps[c] is not { } cap)
                {
                    errors.Add(new CatalogError(capPath, "is null; expected { \"max\": 1, \"per\": \"30d\" }"));
                    continue;
                }

                Unknown(capPath, cap.Extra, errors);
                TimeSpan? per = null;
                if (cap.Per is { } perText)
                {
                    if (TryParseDuration(perText, out var span))
                    {
                        per = span;
                    }
                    else
                    {
                        errors.Add(new CatalogError(capPath + ".per", $"\"{perText}\" is not a duration; write for example 30d, 12h or 90m (leave it out for ever)"));
                        continue;
                    }
                }

                if (cap.Max is null)
                {
                    errors.Add(new CatalogError(capPath + ".max", "is required (the most sends in the window)"));
                    continue;
                }

                list.Add(new MessageCap { Max = cap.Max.Value, Per = per });
            }

            message = message with { Caps = list };
        }

        if (dto.Channels is null)
        {
            errors.Add(new CatalogError(path + ".channels", "is required (for example { \"email\": { \"template\": \"welcome/email\" } })"));
        }
        else
        {
            var list = new List<MessageChannel>(dto.Channels.Count);
            foreach (var (name, channelDto) in dto.Channels)
            {
                var channelPath = $"{path}.channels.{name}";
                if (!Channel.TryParse(name, out var channel))
                {
                    errors.Add(new CatalogError(channelPath, $"\"{name}\" is not a channel name (a letter, then letters, digits or '_')"));
                    continue;
                }

                if (channelDto is null)
                {
                    errors.Add(new CatalogError(channelPath, "is null; expected { \"template\": \"NAME\" }"));
                    continue;
                }

                Unknown(channelPath, channelDto.Extra, errors);
                if (channelDto.Template is null)
                {
                    errors.Add(new CatalogError(channelPath + ".template", "is required (the name of the template that renders the message on this channel)"));
                    continue;
                }

                list.Add(new MessageChannel(channel, channelDto.Template));
            }

            message = message with { Channels = list };
            if (dto.Channels.Count > 0 && list.Count == 0)
            {
                // Every channel was reported; avoid a second "no channel" error.
                message = message with { Channels = [new MessageChannel(Channel.InApp, "-")] };
            }
        }

        if (dto.StrictTemplates is { } strict)
        {
            message = message with { StrictTemplates = strict };
        }

        if (dto.WhenBlocked is { } whenBlocked)
        {
            if (TryEnum<BlockedSendPolicy>(whenBlocked, out var policy))
            {
                message = message with { WhenBlocked = policy };
            }
            else
            {
                errors.Add(new CatalogError(path + ".whenBlocked", $"\"{whenBlocked}\" is not a policy (defer or drop)"));
            }
        }

        if (dto.ExpiresAt is { } expiresText)
        {
            if (DateTimeOffset.TryParse(expiresText, CultureInfo.InvariantCulture, DateTimeStyles.None, out var expires) && HasOffset(expiresText))
            {
                message = message with { ExpiresAt = expires.ToUniversalTime() };
            }
            else
            {
                errors.Add(new CatalogError(path + ".expiresAt", $"\"{expiresText}\" is not an ISO 8601 instant with offset (for example 2026-04-01T00:00:00Z)"));
            }
        }

        if (dto.MaxDelay is { } delayText)
        {
            if (TryParseDuration(delayText, out var delay))
            {
                message = message with { MaxDelay = delay };
            }
            else
            {
                errors.Add(new CatalogError(path + ".maxDelay", $"\"{delayText}\" is not a duration; write for example 12h, 2d or 30m"));
            }
        }

        return message;
    }

    /// <summary>Parses <c>30d</c>, <c>12h</c>, <c>90m</c>, <c>45s</c>, <c>2w</c> or a .NET time span (<c>1.12:00:00</c>).</summary>
    internal static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        var span = text.AsSpan().Trim();
        if (span.Length >= 2 && char.IsAsciiLetter(span[^1]) && long.TryParse(span[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var amount) && amount <= 100_000)
        {
            switch (char.ToLowerInvariant(span[^1]))
            {
                case 'w':
                    duration = TimeSpan.FromDays(7 * amount);
                    return true;
                case 'd':
                    duration = TimeSpan.FromDays(amount);
                    return true;
                case 'h':
                    duration = TimeSpan.FromHours(amount);
                    return true;
                case 'm':
                    duration = TimeSpan.FromMinutes(amount);
                    return true;
                case 's':
                    duration = TimeSpan.FromSeconds(amount);
                    return true;
            }

            return false;
        }

        return TimeSpan.TryParse(span, CultureInfo.InvariantCulture, out duration);
    }

    private static bool HasOffset(string text)
        => text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');

    private static bool TryEnum<T>(string text, out T value)
        where T : struct, Enum
        => Enum.TryParse(text.Replace("_", string.Empty, StringComparison.Ordinal), ignoreCase: true, out value)
           && Enum.IsDefined(value)
           && !char.IsAsciiDigit(text.TrimStart()[0]);

    private static void Unknown(string path, Dictionary<string, JsonElement>? extra, List<CatalogError> errors)
    {
        if (extra is null)
        {
            return;
        }

        foreach (var name in extra.Keys)
        {
            errors.Add(new CatalogError($"{path}.{name}", "is not a known property (check the spelling; the catalog format is in docs/decision-engine.md)"));
        }
    }

    private static string FirstSentence(string message)
    {
        var dot = message.IndexOf(". ", StringComparison.Ordinal);
        return dot > 0 ? message[..(dot + 1)] : message;
    }

    /// <summary>Orders errors by message index (stable), so reading and validation errors of one message stay together.</summary>
    private static List<CatalogError> Sorted(List<CatalogError> errors)
    {
        return errors.Select(static (e, i) => (Error: e, Order: i))
            .OrderBy(static x => MessageIndex(x.Error.Path))
            .ThenBy(static x => x.Order)
            .Select(static x => x.Error)
            .ToList();
    }

    private static int MessageIndex(string path)
    {
        const string Prefix = "$.messages[";
        if (!path.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return -1;
        }

        var end = path.IndexOf(']', Prefix.Length);
        return end > 0 && int.TryParse(path.AsSpan(Prefix.Length, end - Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : -1;
    }
}
