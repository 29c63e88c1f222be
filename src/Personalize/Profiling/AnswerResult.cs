using Personalize.Consent;

namespace Personalize.Profiling;

/// <summary>What became of an answer: a code (<see cref="ProfilingCodes"/>), a sentence a person can read, and the question and value when known.</summary>
/// <param name="Code">One of <see cref="ProfilingCodes"/>.</param>
/// <param name="Message">What happened, or what is wrong and how to fix it.</param>
/// <param name="Question">The question, when the bank has it.</param>
/// <param name="Value">The answer's value as recorded (or as recorded before, for <see cref="ProfilingCodes.AlreadyAnswered"/>).</param>
public sealed record AnswerResult(string Code, string Message, Question? Question = null, string? Value = null)
{
    /// <summary>Gets whether the customer's answer is on record (now or from before).</summary>
    public bool IsAnswered => Code is ProfilingCodes.Recorded or ProfilingCodes.AlreadyAnswered;
}

/// <summary>One answer to record (<see cref="ProfilingAnswers.AnswerAsync(ProfilingAnswer, CancellationToken)"/>).</summary>
public sealed record ProfilingAnswer
{
    /// <summary>Gets the customer's id.</summary>
    public required string CustomerId { get; init; }

    /// <summary>Gets the question's id.</summary>
    public required string QuestionId { get; init; }

    /// <summary>Gets the answer: an option's value or SMS keyword, or an attribute's text.</summary>
    public required string Answer { get; init; }

    /// <summary>Gets where the answer came from (recorded as the consent evidence's source).</summary>
    /// <value>The default value is the API.</value>
    public ConsentSource Source { get; init; } = new(ConsentSourceKind.Api, "progressive profiling");

    /// <summary>Gets the channel the answer came through (<c>email</c>, <c>sms</c>, …), or <see langword="null"/>.</summary>
    public string? Channel { get; init; }

    /// <summary>Gets the id of the answer's <c>preference_answered</c> event (the same id twice is recorded once), or <see langword="null"/> for <c>answer:QUESTION:CUSTOMER</c>.</summary>
    public string? EventId { get; init; }

    /// <summary>Gets when the customer answered, or <see langword="null"/> for now.</summary>
    public DateTimeOffset? At { get; init; }

    /// <summary>Gets the hash of IP address and user agent of a web answer (method evidence), or <see langword="null"/>.</summary>
    public string? MethodEvidence { get; init; }
}
