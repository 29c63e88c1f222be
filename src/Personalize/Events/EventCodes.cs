namespace Personalize.Events;

/// <summary>Stable codes of rejected events (<see cref="EventRejection.Code"/>).</summary>
public static class EventCodes
{
    /// <summary>The event has no id, or one longer than <see cref="EventOptions.MaxIdLength"/>.</summary>
    public const string InvalidId = "event.invalid_id";

    /// <summary>The event's type is missing or not a name (1 to 64 letters, digits, <c>_</c>, <c>-</c>, <c>.</c>).</summary>
    public const string InvalidType = "event.invalid_type";

    /// <summary>The event names no customer.</summary>
    public const string MissingCustomer = "event.missing_customer";

    /// <summary>The store has no customer with the event's customer id (import the customer first).</summary>
    public const string UnknownCustomer = "event.unknown_customer";

    /// <summary>The event's data is not a JSON object.</summary>
    public const string DataNotObject = "event.data_not_object";

    /// <summary>The event's data is larger than <see cref="EventOptions.MaxDataBytes"/>.</summary>
    public const string DataTooLarge = "event.data_too_large";

    /// <summary>The event says it happened later than the ingestion instant plus <see cref="EventOptions.MaxClockSkew"/>.</summary>
    public const string InFuture = "event.in_future";

    /// <summary>A line of an events file is not a valid event (JSON Lines reader).</summary>
    public const string InvalidJson = "event.invalid_json";

    /// <summary>A line of an events file is longer than <see cref="EventJsonLines.MaxLineBytes"/>.</summary>
    public const string LineTooLong = "event.line_too_long";

    /// <summary>A line of an events file is a JSON object, but a field is missing or of the wrong kind (<c>id</c>, <c>type</c>, <c>customerId</c>, <c>occurredAt</c>, <c>data</c>).</summary>
    public const string InvalidFields = "event.invalid_fields";

    /// <summary>
    /// A <c>preference_answered</c> event was ingested without <see cref="EventOptions.Questions"/>: set them, or record
    /// the answer with <see cref="Profiling.ProfilingAnswers.AnswerEventAsync"/>.
    /// </summary>
    public const string AnswerWithoutQuestions = "event.answer_without_questions";

    /// <summary>Applying the event failed (a host mapping threw); nothing of it was written.</summary>
    public const string MappingFailed = "event.mapping_failed";
}
