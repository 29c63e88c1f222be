using System.Security.Cryptography;

namespace Personalize.Delivery.Security;

/// <summary>
/// HMAC-SHA256 under one service's key with a keyed hash kept per thread. The one-shot
/// <c>HMACSHA256.HashData</c> sets the key up again on every call;
/// an <see cref="IncrementalHash"/> keeps it set up and only resets its state, which roughly halves the cost of a
/// token (the run signs one or two per email). Per thread, no locks; a thread's hash is replaced when another
/// service instance (another key) signs on it, and released by its finalizer when the thread ends.
/// </summary>
internal static class TokenSigner
{
    [ThreadStatic]
    private static IncrementalHash? t_hash;

    [ThreadStatic]
    private static byte[]? t_key;

    /// <summary>Writes the 32-byte HMAC-SHA256 of <paramref name="payload"/> under <paramref name="key"/> into <paramref name="mac"/>.</summary>
    public static void Sign(byte[] key, ReadOnlySpan<byte> payload, Span<byte> mac)
    {
        var hash = t_hash;
        if (hash is null || !ReferenceEquals(t_key, key))
        {
            hash?.Dispose();
            hash = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
            t_hash = hash;
            t_key = key;
        }

        hash.AppendData(payload);
        hash.GetHashAndReset(mac);
    }
}
