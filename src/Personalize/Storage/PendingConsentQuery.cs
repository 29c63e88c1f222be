namespace Personalize.Storage;

/// <summary>
/// A page of double opt-in requests to read (<see cref="IPersonalizeStore.ReadPendingConsentsAsync"/>): grants recorded
/// with <see cref="Consent.OptInMethod.Double"/> and no confirmation (<see cref="Consent.ConsentRecord.IsPending"/>),
/// ordered by the instant they were recorded, then customer, then their place in the customer's ledger.
/// </summary>
public sealed record PendingConsentQuery
{
    /// <summary>Gets the earliest instant a request was recorded at (inclusive); older requests are left out.</summary>
    /// <value>The default value is <see cref="DateTimeOffset.MinValue"/>: every request.</value>
    public DateTimeOffset Since { get; init; } = DateTimeOffset.MinValue;

    /// <summary>Gets how many requests the page holds at most.</summary>
    /// <value>The default value is 500.</value>
    public int Limit { get; init; } = 500;

    /// <summary>Gets the token of the previous page, or <see langword="null"/> for the first.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? ContinueAfter { get; init; }
}
