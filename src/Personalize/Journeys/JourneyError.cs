namespace Personalize.Journeys;

/// <summary>A problem in a journey definition: where (a JSON path, with line and column when read from a file), a stable code, and what to do.</summary>
/// <param name="Path">The JSON path, for example <c>$.journeys[0].steps[2].wait</c>.</param>
/// <param name="Code">One of <see cref="JourneyCodes"/>.</param>
/// <param name="Message">What is wrong and how to fix it.</param>
/// <param name="Line">The line in the file (1-based), or <see langword="null"/>.</param>
/// <param name="Column">The column in the line (1-based), or <see langword="null"/>.</param>
public sealed record JourneyError(string Path, string Code, string Message, int? Line = null, int? Column = null)
{
    /// <inheritdoc />
    public override string ToString()
        => Line is { } line ? $"{Path} ({line},{Column ?? 1}): {Code}: {Message}" : $"{Path}: {Code}: {Message}";
}

/// <summary>Journey definitions have problems; <see cref="Errors"/> lists every one.</summary>
public sealed class JourneyException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errors">The problems.</param>
    public JourneyException(IReadOnlyList<JourneyError> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    /// <summary>Creates the exception.</summary>
    public JourneyException()
        : this([])
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public JourneyException(string message)
        : base(message)
    {
        Errors = [];
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public JourneyException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    /// <summary>Gets every problem found.</summary>
    public IReadOnlyList<JourneyError> Errors { get; }

    private static string Describe(IReadOnlyList<JourneyError> errors)
        => errors.Count == 0
            ? "The journeys are invalid."
            : $"The journeys have {errors.Count} problem(s):{Environment.NewLine}" + string.Join(Environment.NewLine, errors.Take(50).Select(static e => "  " + e));
}

/// <summary>The codes of <see cref="JourneyError"/>.</summary>
public static class JourneyCodes
{
    /// <summary>The file is not valid JSON, or a member has the wrong JSON type.</summary>
    public const string InvalidJson = "journey.invalid_json";

    /// <summary>The file is larger than <see cref="JourneyJson.MaxFileBytes"/>.</summary>
    public const string TooLarge = "journey.too_large";

    /// <summary>The file has more than <see cref="JourneyJson.MaxJourneys"/> journeys.</summary>
    public const string TooManyJourneys = "journey.too_many_journeys";

    /// <summary>A required member is missing.</summary>
    public const string Missing = "journey.missing";

    /// <summary>A member the format does not know (a typo).</summary>
    public const string UnknownMember = "journey.unknown_member";

    /// <summary>An id (journey, step, exit) is empty or not a name.</summary>
    public const string InvalidId = "journey.invalid_id";

    /// <summary>Two journeys with one id and version, two steps or exits with one id.</summary>
    public const string Duplicate = "journey.duplicate";

    /// <summary>A version below 1.</summary>
    public const string InvalidVersion = "journey.invalid_version";

    /// <summary>The entry's trigger is not <c>event:TYPE</c>, <c>stage:NAME</c> or <c>occasion:NAME</c>.</summary>
    public const string InvalidTrigger = "journey.invalid_trigger";

    /// <summary>A condition does not parse.</summary>
    public const string InvalidCondition = "journey.invalid_condition";

    /// <summary>The journey has no steps.</summary>
    public const string NoSteps = "journey.no_steps";

    /// <summary>The journey has more than <see cref="JourneyDefinition.MaxSteps"/> steps.</summary>
    public const string TooManySteps = "journey.too_many_steps";

    /// <summary>More than <see cref="JourneyDefinition.MaxExits"/> exits.</summary>
    public const string TooManyExits = "journey.too_many_exits";

    /// <summary>A step is none or several of send, wait, waitUntil, waitFor, branch.</summary>
    public const string InvalidStep = "journey.invalid_step";

    /// <summary>A target names no step of the journey (nor <c>end</c>).</summary>
    public const string UnknownTarget = "journey.unknown_target";

    /// <summary>A duration is not one (<c>48h</c>, <c>2d</c>), not positive, or longer than <see cref="JourneyDefinition.MaxWait"/>.</summary>
    public const string InvalidDuration = "journey.invalid_duration";

    /// <summary>A time of day is not <c>HH:mm</c>.</summary>
    public const string InvalidTime = "journey.invalid_time";

    /// <summary>A weekday is not one (<c>monday</c> … <c>sunday</c>).</summary>
    public const string InvalidWeekday = "journey.invalid_weekday";

    /// <summary>An event type is not a name.</summary>
    public const string InvalidEventType = "journey.invalid_event_type";

    /// <summary>A send step names a message the catalog does not have.</summary>
    public const string UnknownMessage = "journey.unknown_message";

    /// <summary>A send step names a channel that is not known, or not one of its message's.</summary>
    public const string InvalidChannel = "journey.invalid_channel";

    /// <summary>A send step's <c>whenSuppressed</c> is not skip, retry or exit, or its attempts are out of range.</summary>
    public const string InvalidPolicy = "journey.invalid_policy";

    /// <summary>An exit has neither an event nor a condition.</summary>
    public const string InvalidExit = "journey.invalid_exit";
}
