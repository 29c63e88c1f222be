namespace Personalize.Storage;

/// <summary>The outcome of one <see cref="CustomerSends"/>.</summary>
/// <param name="CustomerId">The customer's id.</param>
/// <param name="Status"><see cref="WriteStatus.Written"/>, <see cref="WriteStatus.Conflict"/> or <see cref="WriteStatus.NotFound"/>.</param>
/// <param name="Version">The customer's version after the write.</param>
/// <param name="AlreadyRecorded">Keys of deliveries and scheduled sends the store already held (not written again, not to be handed to a sink).</param>
public sealed record CustomerSendsResult(string CustomerId, WriteStatus Status, long Version, IReadOnlyList<string> AlreadyRecorded)
{
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
