namespace Personalize.Sending;

/// <summary>Stable codes of <see cref="SendError"/> (content problems use <c>MessageContentCodes</c>).</summary>
public static class SendErrorCodes
{
    /// <summary>A template failed while rendering (bad data for an operation, a sandbox limit, …).</summary>
    public const string TemplateError = "template.error";

    /// <summary>The winner's template reference has no compiled content.</summary>
    public const string TemplateMissing = "template.missing";

    /// <summary>The sink failed every attempt to write the message with transient failures (a dropped connection, an SMTP 4xx, an HTTP 503); a later run may succeed.</summary>
    public const string SinkFailed = "sink.failed";

    /// <summary>The sink refused the message for good (a permanent failure: an SMTP 5xx, an HTTP 400); it was not retried.</summary>
    public const string SinkRejected = "sink.rejected";

    /// <summary>Deciding for the customer failed unexpectedly.</summary>
    public const string DecisionFailed = "decision.failed";

    /// <summary>The store kept refusing the customer's sends because other writes to the customer came in between (a run with a store reads and decides again each time); run again to retry.</summary>
    public const string StoreConflict = "store.conflict";

    /// <summary>An unexpected failure while rendering or composing.</summary>
    public const string Unexpected = "unexpected";
}
