using Personalize.Consent;

namespace Personalize.Storage;

/// <summary>
/// A double opt-in request as the ledger holds it (<see cref="IPersonalizeStore.ReadPendingConsentsAsync"/>). The
/// ledger is append-only: the confirmation, a withdrawal or a newer request are later records, so the request itself
/// stays pending; whether it still awaits confirmation is the state of its scope in the customer's ledger
/// (<see cref="ConsentLedger.GetState(ConsentScope, DateTimeOffset, TimeSpan)"/>).
/// </summary>
/// <param name="CustomerId">The customer who asked.</param>
/// <param name="Request">The pending grant (<see cref="ConsentRecord.IsPending"/>).</param>
public sealed record PendingConsent(string CustomerId, ConsentRecord Request);
