using Personalize.Catalog;
using Personalize.Channels;

namespace Personalize.Journeys;

/// <summary>One step of a journey. Steps run in order; a step's target (<c>then</c>, <c>else</c>, <c>onEvent</c>,
/// <c>onTimeout</c>) names another step's id, or <see cref="JourneyDefinition.End"/>, or nothing for the next step.</summary>
public abstract record JourneyStep
{
    /// <summary>Gets the step's id: unique in the journey, kept in each customer's instance and history.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the step's kind as the JSON names it (<c>send</c>, <c>wait</c>, <c>waitUntil</c>, <c>waitFor</c>, <c>branch</c>).</summary>
    public abstract string Kind { get; }
}

/// <summary>What a journey does when a send step's message may not go (consent, contact point, caps, service first, expiry).</summary>
public enum SuppressedStepPolicy
{
    /// <summary>Record why and go on with the next step.</summary>
    Skip = 0,

    /// <summary>Record why and try the step again after <see cref="SendStep.RetryAfter"/>, at most <see cref="SendStep.MaxAttempts"/> times; then skip it.</summary>
    Retry = 1,

    /// <summary>Record why and leave the journey.</summary>
    Exit = 2,
}

/// <summary>
/// Sends a catalog message, through the decision rules like any other send: consent, contact point, caps, quiet hours
/// (a deferral makes the journey wait for the allowed time and try again), service before promotion, the message's
/// condition and stages. Without <see cref="Channel"/> the message's channels are tried in the customer's order.
/// </summary>
public sealed record SendStep : JourneyStep
{
    /// <summary>Gets the catalog message's id.</summary>
    public required string MessageId { get; init; }

    /// <summary>Gets the channel to send on (it must be one of the message's), or <see langword="null"/> to choose as a decision does.</summary>
    public Channel? Channel { get; init; }

    /// <summary>Gets what to do when the message may not go.</summary>
    /// <value>The default value is <see cref="SuppressedStepPolicy.Skip"/>.</value>
    public SuppressedStepPolicy WhenSuppressed { get; init; }

    /// <summary>Gets how long a <see cref="SuppressedStepPolicy.Retry"/> waits before trying again.</summary>
    /// <value>The default value is 1 day.</value>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Gets how many times a <see cref="SuppressedStepPolicy.Retry"/> step is tried in all before it is skipped.</summary>
    /// <value>The default value is 3.</value>
    public int MaxAttempts { get; init; } = 3;

    /// <inheritdoc />
    public override string Kind => "send";
}

/// <summary>Waits a duration from when the step started.</summary>
public sealed record WaitStep : JourneyStep
{
    /// <summary>Gets how long to wait.</summary>
    public required TimeSpan Duration { get; init; }

    /// <inheritdoc />
    public override string Kind => "wait";
}

/// <summary>
/// Waits until a local time of day in the customer's time zone (the next one after the step started), optionally on
/// given weekdays. Across a daylight-saving change the wall-clock time is kept; a time the change skips is moved
/// forward by the gap, and a time that happens twice is the first.
/// </summary>
public sealed record WaitUntilStep : JourneyStep
{
    /// <summary>Gets the local time of day.</summary>
    public required TimeOnly TimeOfDay { get; init; }

    /// <summary>Gets the weekdays allowed (in the customer's zone), or empty for any day.</summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<DayOfWeek> Days { get; init; } = [];

    /// <inheritdoc />
    public override string Kind => "waitUntil";
}

/// <summary>Waits for an event of a type (one that happened at or after the step started), at most <see cref="Timeout"/>.</summary>
public sealed record WaitForEventStep : JourneyStep
{
    /// <summary>Gets the event type waited for.</summary>
    public required string EventType { get; init; }

    /// <summary>Gets how long to wait for it.</summary>
    public required TimeSpan Timeout { get; init; }

    /// <summary>Gets the step to go to when the event came in (<see langword="null"/>: the next step).</summary>
    public string? OnEvent { get; init; }

    /// <summary>Gets the step to go to when it timed out (<see langword="null"/>: the next step).</summary>
    public string? OnTimeout { get; init; }

    /// <inheritdoc />
    public override string Kind => "waitFor";
}

/// <summary>Goes one way or the other on a condition over the customer (the same language as catalog conditions).</summary>
public sealed record BranchStep : JourneyStep
{
    /// <summary>Gets the condition.</summary>
    public required ICondition Condition { get; init; }

    /// <summary>Gets the step to go to when it holds (<see langword="null"/>: the next step).</summary>
    public string? Then { get; init; }

    /// <summary>Gets the step to go to when it does not (<see langword="null"/>: the next step).</summary>
    public string? Else { get; init; }

    /// <inheritdoc />
    public override string Kind => "branch";
}

/// <summary>How a customer enters a journey: a trigger (an event, a stage change, an occasion) and an optional condition.</summary>
public sealed record JourneyEntry
{
    /// <summary>Gets the trigger: <c>event:TYPE</c>, <c>stage:NAME</c> or <c>occasion:NAME</c>.</summary>
    public required Trigger Trigger { get; init; }

    /// <summary>Gets the condition the customer must meet at entry (it sees <c>event.*</c> for an event's entry), or <see langword="null"/>.</summary>
    public ICondition? Condition { get; init; }
}

/// <summary>A reason to leave a journey early, checked before every step and when events come in: an event of a type, or a condition.</summary>
public sealed record JourneyExit
{
    /// <summary>Gets the exit's name (recorded as the reason).</summary>
    public required string Name { get; init; }

    /// <summary>Gets the event type that ends the journey when one happens after the customer entered, or <see langword="null"/>.</summary>
    public string? EventType { get; init; }

    /// <summary>Gets the condition that ends the journey when it holds, or <see langword="null"/>.</summary>
    public ICondition? Condition { get; init; }
}
