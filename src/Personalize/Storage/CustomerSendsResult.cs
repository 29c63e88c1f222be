namespace Personalize.Storage;

/// <summary>The outcome of one <see cref="CustomerSends"/>.</summary>
/// <param name="CustomerId">The customer's id.</param>
/// <param name="Status"><see cref="WriteStatus.Written"/>, <see cref="WriteStatus.Conflict"/>, <see cref="WriteStatus.NotFound"/>, or <see cref="WriteStatus.Refused"/> (an entry with <see cref="CustomerSends.RefuseWhenSuppressed"/> whose delivery the suppression list refused).</param>
/// <param name="Version">The customer's version after the write.</param>
/// <param name="AlreadyRecorded">Keys of deliveries and scheduled sends the store already held (not written again, not to be handed to a sink).</param>
public sealed record CustomerSendsResult(string CustomerId, WriteStatus Status, long Version, IReadOnlyList<string> AlreadyRecorded)
{
    /// <summary>
    /// Gets the keys of deliveries the store did not record because every contact point given for them in
    /// <see cref="CustomerSends.ContactPoints"/> is on the suppression list (not to be handed to a sink).
    /// </summary>
    /// <value>The default value is empty.</value>
    public IReadOnlyList<string> Suppressed { get; init; } = [];

    /// <summary>Whether the store refused <paramref name="idempotencyKey"/> because its contact point is suppressed.</summary>
    /// <param name="idempotencyKey">The key.</param>
    /// <returns><see langword="true"/> when it did.</returns>
    public bool WasSuppressed(string idempotencyKey) => Suppressed.Count > 0 && Suppressed.Contains(idempotencyKey, StringComparer.Ordinal);

    /// <summary>Whether <paramref name="idempotencyKey"/> was already held by the store.</summary>
    /// <param name="idempotencyKey">The key.</param>
    /// <returns><see langword="true"/> when it was.</returns>
    public bool WasAlreadyRecorded(string idempotencyKey)
    {
        foreach (var key in AlreadyRecorded)
        {
            if (string.Equals(key, idempotencyKey, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
