using Personalize.Channels;

namespace Personalize.Storage;

/// <summary>A contact point to put on the suppression list.</summary>
/// <param name="Kind">Email, phone or device token.</param>
/// <param name="Value">The address, number or token (only its salted hash is stored).</param>
/// <param name="Reason">Why (see <see cref="SuppressionReasons"/>).</param>
/// <param name="At">When.</param>
public sealed record SuppressionRequest(ContactPointKind Kind, string Value, string Reason, DateTimeOffset At);
