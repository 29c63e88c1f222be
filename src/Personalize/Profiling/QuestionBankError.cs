namespace Personalize.Profiling;

/// <summary>A problem in a question bank: where (a JSON path, with line and column when read from a file), a stable code, and what to do.</summary>
/// <param name="Path">The JSON path, for example <c>$.questions[2].options[0].value</c> (also used for banks built in C#).</param>
/// <param name="Code">One of <see cref="QuestionBankCodes"/>.</param>
/// <param name="Message">What is wrong and how to fix it.</param>
/// <param name="Line">The line in the file (1-based), or <see langword="null"/>.</param>
/// <param name="Column">The column in the line (1-based), or <see langword="null"/>.</param>
public sealed record QuestionBankError(string Path, string Code, string Message, int? Line = null, int? Column = null)
{
    /// <inheritdoc />
    public override string ToString()
        => Line is { } line ? $"{Path} ({line},{Column ?? 1}): {Code}: {Message}" : $"{Path}: {Code}: {Message}";
}

/// <summary>A question bank has problems; <see cref="Errors"/> lists every one.</summary>
public sealed class QuestionBankException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errors">The problems.</param>
    public QuestionBankException(IReadOnlyList<QuestionBankError> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    /// <summary>Creates the exception.</summary>
    public QuestionBankException()
        : this([])
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    public QuestionBankException(string message)
        : base(message)
    {
        Errors = [];
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public QuestionBankException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    /// <summary>Gets every problem found.</summary>
    public IReadOnlyList<QuestionBankError> Errors { get; }

    private static string Describe(IReadOnlyList<QuestionBankError> errors)
        => errors.Count == 0
            ? "The question bank is invalid."
            : $"The question bank has {errors.Count} problem(s):{Environment.NewLine}" + string.Join(Environment.NewLine, errors.Take(50).Select(static e => "  " + e));
}

/// <summary>The codes of <see cref="QuestionBankError"/>.</summary>
public static class QuestionBankCodes
{
    /// <summary>The file is not valid JSON, or a member has the wrong JSON type.</summary>
    public const string InvalidJson = "question.invalid_json";

    /// <summary>The file is larger than <see cref="QuestionBankJson.MaxFileBytes"/>.</summary>
    public const string TooLarge = "question.too_large";

    /// <summary>More than <see cref="QuestionBank.MaxQuestions"/> questions, or more than <see cref="QuestionBank.MaxOptions"/> options in one.</summary>
    public const string TooMany = "question.too_many";

    /// <summary>A required member is missing or empty.</summary>
    public const string Missing = "question.missing";

    /// <summary>A member the format does not know (a typo).</summary>
    public const string UnknownMember = "question.unknown_member";

    /// <summary>An id is not a name (letters, digits, <c>_</c>, <c>-</c>, <c>.</c>; lower case).</summary>
    public const string InvalidId = "question.invalid_id";

    /// <summary>Two questions with one id, or two options of a question with one value or keyword.</summary>
    public const string Duplicate = "question.duplicate";

    /// <summary>The text or a label is longer than allowed.</summary>
    public const string TooLong = "question.too_long";

    /// <summary><c>fills</c> is not <c>topic:NAME</c>, <c>preferred_channel</c>, <c>frequency</c>, <c>quiet_hours</c> or <c>attribute:NAME</c>.</summary>
    public const string InvalidFill = "question.invalid_fill";

    /// <summary>A channel is not a channel name, or the question names none.</summary>
    public const string InvalidChannel = "question.invalid_channel";

    /// <summary>A stage is not exposure, adoption or retention.</summary>
    public const string InvalidStage = "question.invalid_stage";

    /// <summary>The priority is not a positive number.</summary>
    public const string InvalidPriority = "question.invalid_priority";

    /// <summary>An option's value does not fit what the question fills (a channel, <c>weekly</c>, <c>21:00-08:00</c>, yes/no), or is not printable ASCII without spaces.</summary>
    public const string InvalidOption = "question.invalid_option";

    /// <summary><c>askAgainAfter</c> is not a duration of 1 day to 2 years.</summary>
    public const string InvalidDuration = "question.invalid_duration";

    /// <summary>A translation's key is not a language code.</summary>
    public const string InvalidLanguage = "question.invalid_language";
}
