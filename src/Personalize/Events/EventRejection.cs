namespace Personalize.Events;

/// <summary>An event that was not applied, and why (nothing of it was written).</summary>
/// <param name="Index">Its position in the ingested stream (0 for the first event).</param>
/// <param name="EventId">Its id, when it has one.</param>
/// <param name="Code">A stable code (see <see cref="EventCodes"/>).</param>
/// <param name="Message">What is wrong and how to fix it.</param>
public sealed record EventRejection(long Index, string? EventId, string Code, string Message);
