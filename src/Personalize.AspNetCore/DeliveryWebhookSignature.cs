using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Personalize.AspNetCore;

/// <summary>
/// The signature of a delivery webhook request: the header <c>Personalize-Signature: t=UNIX_SECONDS,k=KEY_ID,v1=HEX</c>
/// where <c>HEX</c> is the lower-case HMAC-SHA256, under the key named <c>KEY_ID</c>, of the timestamp, a full stop and
/// the raw request body (<c>t + "." + body</c>). The adapter that forwards a provider's callbacks signs with this.
/// </summary>
public static class DeliveryWebhookSignature
{
    /// <summary>The request header that carries the signature.</summary>
    public const string HeaderName = "Personalize-Signature";

    /// <summary>Makes the header value for a body.</summary>
    /// <param name="keyId">The key's id (as configured in <see cref="DeliveryWebhookOptions.SigningKeys"/>).</param>
    /// <param name="key">The key.</param>
    /// <param name="timestamp">When the request is sent.</param>
    /// <param name="body">The exact bytes of the body.</param>
    /// <returns>The header value.</returns>
    public static string Create(string keyId, string key, DateTimeOffset timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        ArgumentException.ThrowIfNullOrEmpty(key);
        var seconds = timestamp.ToUnixTimeSeconds();
        return string.Create(CultureInfo.InvariantCulture, $"t={seconds},k={keyId},v1={Convert.ToHexString(Compute(key, seconds, body)).ToLowerInvariant()}");
    }

    /// <summary>Reads the header value's parts.</summary>
    internal static bool TryParse(string? header, out long seconds, out string keyId, out byte[] mac)
    {
        seconds = 0;
        keyId = string.Empty;
        mac = [];
        if (string.IsNullOrEmpty(header) || header.Length > 512)
        {
            return false;
        }

        string? t = null, k = null, v1 = null;
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                return false;
            }

            var value = part[(equals + 1)..];
            switch (part[..equals])
            {
                case "t":
                    t = value;
                    break;
                case "k":
                    k = value;
                    break;
                case "v1":
                    v1 = value;
                    break;
            }
        }

        if (t is null || k is null || v1 is null || v1.Length != 64
            || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out seconds))
        {
            return false;
        }

        try
        {
            mac = Convert.FromHexString(v1);
        }
        catch (FormatException)
        {
            return false;
        }

        keyId = k;
        return true;
    }

    /// <summary>The MAC of a body under a key at a timestamp.</summary>
    internal static byte[] Compute(string key, long seconds, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes(seconds.ToString(CultureInfo.InvariantCulture) + ".");
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(key));
        hmac.AppendData(prefix);
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }
}
