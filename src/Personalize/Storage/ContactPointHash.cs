using System.Security.Cryptography;
using System.Text;
using Personalize.Channels;

namespace Personalize.Storage;

/// <summary>
/// The salted hash the suppression list keeps instead of an address: HMAC-SHA256 keyed by the store's own random
/// salt over the kind and the normalized contact point, as lower-case hex. Without the salt the hash cannot be
/// matched against a list of addresses; with it, the same address always gives the same hash, so a later import of an
/// erased address is recognised.
/// </summary>
public static class ContactPointHash
{
    /// <summary>The size of a salt made by <see cref="CreateSalt"/>, in bytes.</summary>
    public const int SaltLength = 32;

    /// <summary>Makes a new random salt (a store makes one when it is created and keeps it).</summary>
    /// <returns>The salt.</returns>
    public static byte[] CreateSalt() => RandomNumberGenerator.GetBytes(SaltLength);

    /// <summary>Whether a kind of contact point can be suppressed: email, phone and device token.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns><see langword="true"/> when it can.</returns>
    public static bool IsSupported(ContactPointKind kind) => kind is ContactPointKind.Email or ContactPointKind.Phone or ContactPointKind.DeviceToken;

    /// <summary>
    /// The normal form hashed: an email trimmed and in lower case; a phone number with only <c>+</c> and digits (spaces,
    /// dashes, dots and brackets dropped); a device token trimmed.
    /// </summary>
    /// <param name="kind">Email, phone or device token.</param>
    /// <param name="value">The contact point.</param>
    /// <returns>The normal form.</returns>
    /// <exception cref="ArgumentException">The kind cannot be suppressed, or the value is empty.</exception>
    public static string Normalize(ContactPointKind kind, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var trimmed = value.Trim();
        if (trimmed.Length == 0)
        {
            throw new ArgumentException("The contact point is empty.", nameof(value));
        }

        switch (kind)
        {
            case ContactPointKind.Email:
                return trimmed.ToLowerInvariant();
            case ContactPointKind.Phone:
                var builder = new StringBuilder(trimmed.Length);
                foreach (var c in trimmed)
                {
                    if (char.IsAsciiDigit(c) || (c == '+' && builder.Length == 0))
                    {
                        builder.Append(c);
                    }
                    else if (c is not (' ' or '-' or '.' or '(' or ')'))
                    {
                        builder.Append(c);
                    }
                }

                return builder.ToString();
            case ContactPointKind.DeviceToken:
                return trimmed;
            default:
                throw new ArgumentException($"{kind} contact points cannot be suppressed; use Email, Phone or DeviceToken.", nameof(kind));
        }
    }

    /// <summary>Computes the hash of a contact point.</summary>
    /// <param name="salt">The store's salt.</param>
    /// <param name="kind">Email, phone or device token.</param>
    /// <param name="value">The contact point (normalized here).</param>
    /// <returns>64 lower-case hex characters.</returns>
    /// <exception cref="ArgumentException">The salt is shorter than 16 bytes, the kind cannot be suppressed, or the value is empty.</exception>
    public static string Compute(ReadOnlySpan<byte> salt, ContactPointKind kind, string value)
    {
        if (salt.Length < 16)
        {
            throw new ArgumentException("The salt must be at least 16 bytes; make one with ContactPointHash.CreateSalt().", nameof(salt));
        }

        var text = (int)kind + ":" + Normalize(kind, value);
        Span<byte> hash = stackalloc byte[32];
        HMACSHA256.HashData(salt, Encoding.UTF8.GetBytes(text), hash);
        return Convert.ToHexString(hash).ToLowerInvariant();
    }
}
