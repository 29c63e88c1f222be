namespace Personalize.Journeys;

/// <summary>What happened at one step of a journey instance: the evidence <c>journeys --customer</c> shows.</summary>
/// <param name="At">When it happened.</param>
/// <param name="StepId">The step (or <c>entry</c>/<c>exit</c>).</param>
/// <param name="Outcome">What happened: one of <see cref="JourneyOutcomes"/>.</param>
/// <param name="Detail">Why or what: the message key sent, the suppression code, the branch taken, the exit reason; or <see langword="null"/>.</param>
public sealed record JourneyStepRecord(DateTimeOffset At, string StepId, string Outcome, string? Detail = null);
