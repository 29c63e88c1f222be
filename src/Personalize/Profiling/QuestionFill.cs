namespace Personalize.Profiling;

/// <summary>What kind of preference or attribute a question's answer fills.</summary>
public enum QuestionFillKind
{
    /// <summary>A topic interest: <c>yes</c> records a topic subscription (consent evidence with the wording version), which raises the relevance of the topic's messages at once.</summary>
    Topic = 0,

    /// <summary>The preferred channel: the chosen channel goes first in the customer's channel ranking.</summary>
    PreferredChannel = 1,

    /// <summary>How often marketing may come: <c>daily</c>, <c>weekly</c> or <c>monthly</c> becomes a frequency cap of one per period.</summary>
    Frequency = 2,

    /// <summary>Quiet hours in the customer's zone, <c>HH:mm-HH:mm</c> (for example <c>21:00-08:00</c>).</summary>
    QuietHours = 3,

    /// <summary>An attribute the customer shares (birthday, household…): kept as the fact <c>answer.ID</c> for conditions, templates and occasions.</summary>
    Attribute = 4,
}

/// <summary>What a question's answer fills: <c>topic:NAME</c>, <c>preferred_channel</c>, <c>frequency</c>, <c>quiet_hours</c> or <c>attribute:NAME</c>.</summary>
/// <param name="Kind">The kind.</param>
/// <param name="Name">The topic or attribute name; <see langword="null"/> for the other kinds.</param>
public sealed record QuestionFill(QuestionFillKind Kind, string? Name = null)
{
    /// <summary>The preferred channel.</summary>
    public static QuestionFill PreferredChannel { get; } = new(QuestionFillKind.PreferredChannel);

    /// <summary>The marketing frequency.</summary>
    public static QuestionFill Frequency { get; } = new(QuestionFillKind.Frequency);

    /// <summary>Quiet hours.</summary>
    public static QuestionFill QuietHours { get; } = new(QuestionFillKind.QuietHours);

    /// <summary>A topic interest.</summary>
    /// <param name="topic">The topic, as the catalog's messages name it.</param>
    /// <returns>The fill.</returns>
    /// <exception cref="ArgumentException">The text is not a topic name.</exception>
    public static QuestionFill Topic(string topic) => new(QuestionFillKind.Topic, Consent.ConsentScope.ForTopic(topic).Topic);

    /// <summary>An attribute (birthday, household…).</summary>
    /// <param name="name">The attribute's name.</param>
    /// <returns>The fill.</returns>
    /// <exception cref="ArgumentException">The text is not a name.</exception>
    public static QuestionFill Attribute(string name)
        => Consent.ConsentScope.TryNormalizeTopic(name, out var normalized)
            ? new(QuestionFillKind.Attribute, normalized)
            : throw new ArgumentException($"'{name}' is not an attribute name: use letters, digits, '_', '-' or '.'.", nameof(name));

    /// <summary>Reads <c>topic:NAME</c>, <c>preferred_channel</c>, <c>frequency</c>, <c>quiet_hours</c>, <c>attribute:NAME</c> (or a bare <c>birthday</c>, <c>household</c>).</summary>
    /// <param name="text">The text.</param>
    /// <param name="fill">The fill.</param>
    /// <returns>Whether the text is a fill.</returns>
    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out QuestionFill? fill)
    {
        fill = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var head = (colon < 0 ? text : text[..colon]).Trim().ToLowerInvariant();
        var name = colon < 0 ? null : text[(colon + 1)..].Trim();
        if (name is not null && !Consent.ConsentScope.TryNormalizeTopic(name, out name))
        {
            return false;
        }

        fill = (head, name) switch
        {
            ("topic", { } topic) => new(QuestionFillKind.Topic, topic),
            ("attribute", { } attribute) => new(QuestionFillKind.Attribute, attribute),
            ("preferred_channel" or "channel", null) => PreferredChannel,
            ("frequency", null) => Frequency,
            ("quiet_hours", null) => QuietHours,
            ("birthday" or "household", null) => new(QuestionFillKind.Attribute, head),
            _ => null,
        };
        return fill is not null;
    }

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        QuestionFillKind.Topic => "topic:" + Name,
        QuestionFillKind.Attribute => "attribute:" + Name,
        QuestionFillKind.PreferredChannel => "preferred_channel",
        QuestionFillKind.Frequency => "frequency",
        _ => "quiet_hours",
    };
}
