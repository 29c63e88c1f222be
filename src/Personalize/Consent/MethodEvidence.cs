using System.Security.Cryptography;
using System.Text;

namespace Personalize.Consent;

/// <summary>
/// Makes <see cref="ConsentRecord.MethodEvidence"/>: HMAC-SHA256 under a key of the host's over the client's IP address
/// and user agent (joined by a line feed), as 64 lower-case hex characters. The record keeps only the hash: whoever
/// holds the key can show that a later request came from the same address and browser, nobody can read them back.
/// </summary>
public static class MethodEvidence
{
    /// <summary>The shortest key accepted, in bytes.</summary>
    public const int MinKeyBytes = 32;

    /// <summary>Computes the evidence of one request.</summary>
    /// <param name="key">The host's key (at least <see cref="MinKeyBytes"/> bytes; keep it in a secret store).</param>
    /// <param name="ipAddress">The client's IP address as text, or <see langword="null"/> when unknown.</param>
    /// <param name="userAgent">The client's user agent, or <see langword="null"/> when none was sent.</param>
    /// <returns>64 lower-case hex characters.</returns>
    /// <exception cref="ArgumentException">The key is shorter than <see cref="MinKeyBytes"/> bytes.</exception>
    public static string Compute(ReadOnlySpan<byte> key, string? ipAddress, string? userAgent)
    {
        if (key.Length < MinKeyBytes)
        {
            throw new ArgumentException($"The method-evidence key must be at least {MinKeyBytes} bytes.", nameof(key));
        }

        var text = Encoding.UTF8.GetBytes((ipAddress ?? string.Empty) + "\n" + (userAgent ?? string.Empty));
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(key, text, mac);
        return Convert.ToHexString(mac).ToLowerInvariant();
    }

    /// <summary>Whether a value has the form <see cref="Compute"/> gives (so it cannot be a raw address or agent).</summary>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> for 64 lower-case hex characters.</returns>
    public static bool IsWellFormed(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length == 64 && value.All(static c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');
    }
}
