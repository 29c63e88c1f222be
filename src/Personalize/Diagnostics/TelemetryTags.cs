namespace Personalize.Diagnostics;

/// <summary>The tag names and fixed tag values of Personalize's metrics and traces (docs/operations.md lists them per instrument).</summary>
public static class TelemetryTags
{
    /// <summary>The channel of a message (<c>email</c>, <c>sms</c>, …).</summary>
    public const string Channel = "personalize.channel";

    /// <summary>A reason code: why a customer got no message, or why a due send was dropped.</summary>
    public const string Reason = "personalize.reason";

    /// <summary>The outcome of a decision: <c>message</c> (at least one winner), <c>none</c> (no winner) or <c>error</c>.</summary>
    public const string Outcome = "personalize.outcome";

    /// <summary>An error code (<see cref="Sending.SendErrorCodes"/>).</summary>
    public const string ErrorCode = "personalize.error.code";

    /// <summary>The kind of a sink failure: <c>permanent</c> or <c>transient</c>.</summary>
    public const string FailureKind = "personalize.failure.kind";

    /// <summary>The kind of a run: <c>campaign</c>, <c>due</c>, <c>tick</c>, <c>events</c> or <c>worker</c>.</summary>
    public const string RunKind = "personalize.run.kind";

    /// <summary>The trigger of a run (<c>schedule:tick</c>, <c>campaign:spring_sale</c>, …), on spans.</summary>
    public const string Trigger = "personalize.trigger";

    /// <summary>The run id in the store, on spans.</summary>
    public const string RunId = "personalize.run.id";
}
