namespace Personalize.Journeys;

/// <summary>Where a page of journey instances ended: the last instance's wake-up instant (UTC ticks) and key.</summary>
internal readonly record struct JourneyCursor(long WakeTicks, string CustomerId, string JourneyId, string InstanceId);
