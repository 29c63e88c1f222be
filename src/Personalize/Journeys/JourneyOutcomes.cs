namespace Personalize.Journeys;

/// <summary>The outcomes recorded in a journey instance's history (<see cref="JourneyStepRecord.Outcome"/>).</summary>
public static class JourneyOutcomes
{
    /// <summary>The customer entered the journey (detail: the trigger, and the event id when an event caused it).</summary>
    public const string Entered = "entered";

    /// <summary>A send step's message was recorded for sending (detail: channel and idempotency key).</summary>
    public const string Sent = "sent";

    /// <summary>A send step waits for the next allowed time (quiet hours, caps); detail: the rule's code.</summary>
    public const string Deferred = "deferred";

    /// <summary>A send step's message was suppressed and the step skipped (detail: the code why).</summary>
    public const string Skipped = "skipped";

    /// <summary>A send step's message was suppressed and the step will be tried again later (detail: the code why).</summary>
    public const string Retrying = "retrying";

    /// <summary>A wait step started (detail: until when).</summary>
    public const string Waiting = "waiting";

    /// <summary>A wait step ended.</summary>
    public const string Waited = "waited";

    /// <summary>The event a step waited for came in (detail: the event id).</summary>
    public const string EventReceived = "event_received";

    /// <summary>A step waiting for an event timed out.</summary>
    public const string TimedOut = "timed_out";

    /// <summary>A branch step chose a way (detail: <c>then</c> or <c>else</c> and the target).</summary>
    public const string Branched = "branched";

    /// <summary>The instance left the journey early (detail: the exit's name or code).</summary>
    public const string Exited = "exited";

    /// <summary>The instance finished the journey.</summary>
    public const string Completed = "completed";

    /// <summary>The step failed (detail: the error code and message); the instance tries again at the next advance.</summary>
    public const string Failed = "failed";
}
