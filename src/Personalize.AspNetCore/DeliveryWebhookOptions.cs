namespace Personalize.AspNetCore;

/// <summary>
/// Options of the inbound delivery webhook (<c>app.MapPersonalizeDeliveryWebhooks()</c>): the keys requests are signed
/// with, how old a signature may be, and the limits of a request.
/// </summary>
public sealed class DeliveryWebhookOptions
{
    /// <summary>The shortest signing key accepted, in characters.</summary>
    public const int MinKeyLength = 32;

    /// <summary>
    /// Gets the signing keys by key id. A request names the key it was signed with (<c>k=</c> in
    /// <see cref="DeliveryWebhookSignature.HeaderName"/>); every key listed here verifies, so a key is rotated by adding
    /// the new one, switching the provider to it, and removing the old one. Keep them in a secret store.
    /// </summary>
    /// <value>The default value is empty; at least one key of <see cref="MinKeyLength"/> characters is required.</value>
    public IDictionary<string, string> SigningKeys { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Gets or sets how far a request's signed timestamp may be from the server's clock (either way); older or later ones get <see cref="DeliveryWebhookCodes.TimestampOutOfRange"/>.</summary>
    /// <value>The default value is 5 minutes.</value>
    public TimeSpan TimestampTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets the largest request body accepted, in bytes; a larger one gets <see cref="DeliveryWebhookCodes.BodyTooLarge"/>.</summary>
    /// <value>The default value is 256 KiB.</value>
    public int MaxBodyBytes { get; set; } = 256 * 1024;

    /// <summary>Gets or sets the most events one request may carry; more get <see cref="DeliveryWebhookCodes.BatchTooLarge"/>.</summary>
    /// <value>The default value is 500.</value>
    public int MaxEventsPerRequest { get; set; } = 500;

    /// <summary>Gets or sets the most requests one client (by remote IP address) may make per minute; more get <see cref="DeliveryWebhookCodes.RateLimited"/>.</summary>
    /// <value>The default value is 600.</value>
    public int RequestsPerMinute { get; set; } = 600;

    /// <summary>Lists what is wrong with the options (empty when they are usable).</summary>
    /// <returns>One sentence per problem.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (SigningKeys.Count == 0)
        {
            errors.Add("SigningKeys is empty: add at least one key (SigningKeys[\"2026-03\"] = a random secret of 32 or more characters).");
        }

        foreach (var (id, key) in SigningKeys)
        {
            if (string.IsNullOrWhiteSpace(id) || id.Length > 64 || id.Any(c => c is ',' or '=' || char.IsWhiteSpace(c)))
            {
                errors.Add($"SigningKeys has the key id '{id}'; use 1 to 64 characters without spaces, commas or '='.");
            }

            if (key is null || key.Length < MinKeyLength)
            {
                errors.Add($"SigningKeys[\"{id}\"] is shorter than {MinKeyLength} characters; use a random secret.");
            }
        }

        if (TimestampTolerance <= TimeSpan.Zero || TimestampTolerance > TimeSpan.FromHours(1))
        {
            errors.Add($"TimestampTolerance is {TimestampTolerance}; use more than 0 and at most 1 hour.");
        }

        if (MaxBodyBytes is < 1024 or > 16 * 1024 * 1024)
        {
            errors.Add($"MaxBodyBytes is {MaxBodyBytes}; use 1024 to 16777216.");
        }

        if (MaxEventsPerRequest is < 1 or > 10_000)
        {
            errors.Add($"MaxEventsPerRequest is {MaxEventsPerRequest}; use 1 to 10000.");
        }

        if (RequestsPerMinute is < 1 or > 1_000_000)
        {
            errors.Add($"RequestsPerMinute is {RequestsPerMinute}; use 1 to 1000000.");
        }

        return errors;
    }
}
