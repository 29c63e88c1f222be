using System.Diagnostics.CodeAnalysis;
using Personalize.Channels;
using Personalize.Consent;

namespace Personalize.Catalog;

/// <summary>
/// The host's message definitions, in order (the order breaks arbitration ties). Validate it with
/// <see cref="Validate"/> (every problem at once, with its location) and compile it once with
/// <see cref="Compile"/> for the decision engine. Immutable.
/// </summary>
public sealed class MessageCatalog
{
    /// <summary>Creates a catalog.</summary>
    /// <param name="messages">The messages, in order.</param>
    public MessageCatalog(IEnumerable<MessageDefinition> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        Messages = messages.ToArray();
    }

    /// <summary>The messages, in order.</summary>
    public IReadOnlyList<MessageDefinition> Messages { get; }

    /// <summary>Starts a catalog built fluently in C#.</summary>
    /// <returns>The builder.</returns>
    public static CatalogBuilder CreateBuilder() => new();

    /// <summary>
    /// Finds every problem: duplicate or blank ids, missing triggers or channels, unknown or duplicate channels,
    /// malformed or unknown topics, conditions that do not parse (with line and column inside the condition),
    /// template references that do not exist, non-positive priority, value, caps or delays.
    /// </summary>
    /// <param name="options">What to validate against; <see langword="null"/> for the built-in channels only.</param>
    /// <returns>The errors, in catalog order; empty when valid.</returns>
    public IReadOnlyList<CatalogError> Validate(CatalogValidationOptions? options = null)
    {
        options ??= new CatalogValidationOptions();
        var errors = new List<CatalogError>();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        HashSet<string>? knownTopics = null;
        if (options.KnownTopics is { } known)
        {
            knownTopics = new HashSet<string>(StringComparer.Ordinal);
            foreach (var topic in known)
            {
                if (topic is not null && ConsentScope.TryNormalizeTopic(topic, out var normalized))
                {
                    knownTopics.Add(normalized);
                }
            }
        }

        var templates = options.TemplateNames is { } names ? new HashSet<string>(names, StringComparer.Ordinal) : null;
        for (var i = 0; i < Messages.Count; i++)
        {
            var path = $"$.messages[{i}]";
            var message = Messages[i];
            if (message is null)
            {
                errors.Add(new CatalogError(path, "The message is null."));
                continue;
            }

            ValidateMessage(message, path, i, ids, knownTopics, templates, options.Channels, errors);
        }

        return errors;
    }

    /// <summary>Validates and compiles the catalog without throwing.</summary>
    /// <param name="options">What to validate against.</param>
    /// <param name="compiled">The compiled catalog when valid.</param>
    /// <param name="errors">Every problem when invalid.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    public bool TryCompile(CatalogValidationOptions? options, [NotNullWhen(true)] out CompiledCatalog? compiled, out IReadOnlyList<CatalogError> errors)
    {
        options ??= new CatalogValidationOptions();
        errors = Validate(options);
        compiled = errors.Count == 0 ? new CompiledCatalog(this, options.Channels) : null;
        return compiled is not null;
    }

    /// <summary>Validates and compiles the catalog: conditions parsed once, messages indexed by trigger and stage.</summary>
    /// <param name="options">What to validate against; <see langword="null"/> for the built-in channels only.</param>
    /// <returns>The compiled catalog, safe to share between threads.</returns>
    /// <exception cref="CatalogException">The catalog has problems; the exception lists every one.</exception>
    public CompiledCatalog Compile(CatalogValidationOptions? options = null)
        => TryCompile(options, out var compiled, out var errors) ? compiled : throw new CatalogException(errors);

    private static void ValidateMessage(
        MessageDefinition message,
        string path,
        int index,
        Dictionary<string, int> ids,
        HashSet<string>? knownTopics,
        HashSet<string>? templates,
        ChannelRegistry channels,
        List<CatalogError> errors)
    {
        if (string.IsNullOrWhiteSpace(message.Id))
        {
            errors.Add(new CatalogError(path + ".id", "The message id is blank; give every message a unique id."));
        }
        else if (!ids.TryAdd(message.Id, index))
        {
            errors.Add(new CatalogError(path + ".id", $"Duplicate message id '{message.Id}' (first used by $.messages[{ids[message.Id]}]); ids must be unique."));
        }

        if (!Enum.IsDefined(message.Purpose))
        {
            errors.Add(new CatalogError(path + ".purpose", $"{(int)message.Purpose} is not a purpose; use marketing, service or relationship."));
        }

        if (!Enum.IsDefined(message.Kind))
        {
            errors.Add(new CatalogError(path + ".kind", $"{(int)message.Kind} is not a kind; use give or ask."));
        }

        for (var t = 0; t < message.Topics.Count; t++)
        {
            var topic = message.Topics[t];
            if (topic is null || !ConsentScope.TryNormalizeTopic(topic, out var normalized))
            {
                errors.Add(new CatalogError($"{path}.topics[{t}]", $"'{topic}' is not a topic name: use 1 to {ConsentScope.MaxTopicLength} letters, digits, '_', '-' or '.'."));
            }
            else if (knownTopics is not null && !knownTopics.Contains(normalized))
            {
                errors.Add(new CatalogError($"{path}.topics[{t}]", $"Unknown topic '{normalized}'; known topics: {string.Join(", ", knownTopics.Order(StringComparer.Ordinal))}."));
            }
        }

        for (var s = 0; s < message.Stages.Count; s++)
        {
            if (!Enum.IsDefined(message.Stages[s]))
            {
                errors.Add(new CatalogError($"{path}.stages[{s}]", $"{(int)message.Stages[s]} is not a lifecycle stage; use exposure, adoption or retention."));
            }
        }

        if (message.Triggers.Count == 0)
        {
            errors.Add(new CatalogError(path + ".triggers", "The message has no trigger; add event:NAME, campaign:NAME or schedule."));
        }

        if (message.Condition is ExpressionCondition expression)
        {
            foreach (var diagnostic in expression.Diagnostics)
            {
                if (diagnostic.Severity == Templates.TemplateDiagnosticSeverity.Error)
                {
                    errors.Add(new CatalogError(path + ".condition", $"{diagnostic.Message} (in \"{expression.Source}\")", diagnostic.Line, diagnostic.Column));
                }
            }
        }

        if (!(message.Priority > 0) || double.IsInfinity(message.Priority))
        {
            errors.Add(new CatalogError(path + ".priority", $"The priority must be a positive number; it is {message.Priority}."));
        }

        if (!(message.Value > 0) || double.IsInfinity(message.Value))
        {
            errors.Add(new CatalogError(path + ".value", $"The value must be a positive number; it is {message.Value}."));
        }

        for (var c = 0; c < message.Caps.Count; c++)
        {
            var cap = message.Caps[c];
            if (cap is null || cap.Max < 1)
            {
                errors.Add(new CatalogError($"{path}.caps[{c}].max", "A message cap allows at least 1 send; remove the cap or set max to 1 or more."));
            }
            else if (cap.Per is { } per && per <= TimeSpan.Zero)
            {
                errors.Add(new CatalogError($"{path}.caps[{c}].per", "A message cap's window must be positive, for example 30d; leave it out for \"ever\"."));
            }
        }

        if (message.MaxDelay is { } delay && delay <= TimeSpan.Zero)
        {
            errors.Add(new CatalogError(path + ".maxDelay", "The maximum delay must be positive, for example 12h."));
        }

        if (!Enum.IsDefined(message.WhenBlocked))
        {
            errors.Add(new CatalogError(path + ".whenBlocked", "Use defer or drop."));
        }

        if (message.Channels.Count == 0)
        {
            errors.Add(new CatalogError(path + ".channels", "The message has no channel; add at least one channel with its template."));
        }

        var seen = new HashSet<Channel>();
        foreach (var content in message.Channels)
        {
            if (content is null)
            {
                errors.Add(new CatalogError(path + ".channels", "A channel entry is null."));
                continue;
            }

            var channelPath = $"{path}.channels.{content.Channel}";
            if (!seen.Add(content.Channel))
            {
                errors.Add(new CatalogError(channelPath, $"The channel '{content.Channel}' is listed twice."));
            }

            if (!channels.Contains(content.Channel))
            {
                errors.Add(new CatalogError(channelPath, $"Unknown channel '{content.Channel}'; registered channels: {channels.DescribeNames()} (add host channels with PersonalizeOptions.AddChannel)."));
            }

            if (string.IsNullOrWhiteSpace(content.Template))
            {
                errors.Add(new CatalogError(channelPath + ".template", "The template reference is blank."));
            }
            else if (templates is not null && !templates.Contains(content.Template))
            {
                errors.Add(new CatalogError(channelPath + ".template", $"The template '{content.Template}' does not exist."));
            }
        }
    }
}
