using Personalize.Channels;

namespace Personalize.Storage;

/// <summary>An entry of the suppression list: the kind of contact point, its salted hash (never the address), why and when.</summary>
/// <param name="Kind">Email, phone or device token.</param>
/// <param name="Hash">The salted hash (see <see cref="ContactPointHash"/>).</param>
/// <param name="Reason">Why (see <see cref="SuppressionReasons"/>).</param>
/// <param name="At">When it was listed (UTC).</param>
public sealed record SuppressionEntry(ContactPointKind Kind, string Hash, string Reason, DateTimeOffset At);
