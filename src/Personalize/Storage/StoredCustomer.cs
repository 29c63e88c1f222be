using Personalize.Customers;

namespace Personalize.Storage;

/// <summary>A customer as the store holds it: the full profile (facts, consent ledger, contact history) and its version.</summary>
/// <param name="Profile">The profile; <see cref="CustomerProfile.Consents"/> and <see cref="CustomerProfile.History"/> are the recorded ones.</param>
/// <param name="Version">
/// Grows with every write that changes what a decision reads (facts, consent, history). Pass it back as
/// <see cref="CustomerSends.ExpectedVersion"/> so a write based on stale data is refused.
/// </param>
public sealed record StoredCustomer(CustomerProfile Profile, long Version)
{
    /// <summary>The customer's id.</summary>
    public string Id => Profile.Id;
}
