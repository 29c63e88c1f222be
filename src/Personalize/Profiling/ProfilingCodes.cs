namespace Personalize.Profiling;

/// <summary>The codes of <see cref="AnswerResult"/>: what became of an answer.</summary>
public static class ProfilingCodes
{
    /// <summary>The answer was recorded: the profile, the consent evidence and the fact <c>answer.ID</c>.</summary>
    public const string Recorded = "profiling.recorded";

    /// <summary>The question was answered before; nothing changed (an answered question is never asked again).</summary>
    public const string AlreadyAnswered = "profiling.already_answered";

    /// <summary>The question is not in the bank.</summary>
    public const string UnknownQuestion = "profiling.unknown_question";

    /// <summary>The answer is not one of the question's options (or an attribute answer is empty or too long).</summary>
    public const string InvalidAnswer = "profiling.invalid_answer";

    /// <summary>An SMS reply matches no option of a question asked by SMS and not answered.</summary>
    public const string NoQuestionAsked = "profiling.no_question_asked";

    /// <summary>The store has no such customer.</summary>
    public const string CustomerNotFound = "profiling.customer_not_found";

    /// <summary>The customer was written to by someone else on every attempt; answer again.</summary>
    public const string Conflict = "profiling.conflict";
}
