using System.Text.Json;

namespace Personalize.Events;

/// <summary>
/// Something a customer did or that happened to them — an order placed, a parcel shipped, an NPS answer, a login —
/// as the host reports it. Events update the customer's facts through <see cref="FactMappings"/> and trigger decisions
/// (<c>event:TYPE</c>); an event-triggered message sees it as <c>event.*</c> in conditions and templates.
/// </summary>
/// <remarks>
/// The id makes ingestion idempotent: an event whose id the store already holds is not applied again. Events may
/// arrive in any order; a fact is only replaced by an event that happened later than the one that set it.
/// </remarks>
public sealed record CustomerEvent
{
    private readonly DateTimeOffset _occurredAt;

    /// <summary>Gets the event's id, unique across the store (for example the host's message id).</summary>
    public required string Id { get; init; }

    /// <summary>Gets the event's type, a trigger name such as <c>order_shipped</c> (letters, digits, <c>_</c>, <c>-</c>, <c>.</c>; lower case).</summary>
    public required string Type { get; init; }

    /// <summary>Gets the id of the customer it is about.</summary>
    public required string CustomerId { get; init; }

    /// <summary>Gets when it happened (stored in UTC).</summary>
    public required DateTimeOffset OccurredAt
    {
        get => _occurredAt;
        init => _occurredAt = value.ToUniversalTime();
    }

    /// <summary>Gets the event's data: a JSON object (for example <c>{"order_number":"A-1001","tracking_url":"…"}</c>).</summary>
    /// <value>The default value is an undefined element (no data).</value>
    public JsonElement Data { get; init; }

    /// <summary>Reads a member of <see cref="Data"/> as text (a JSON string, or a number's text).</summary>
    /// <param name="name">The member's name.</param>
    /// <returns>The text, or <see langword="null"/> when the data has no such string or number.</returns>
    public string? Text(string name)
        => Data.ValueKind == JsonValueKind.Object && Data.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;

    /// <summary>Reads a member of <see cref="Data"/> as a number (a JSON number, or a string holding one).</summary>
    /// <param name="name">The member's name.</param>
    /// <returns>The number, or <see langword="null"/>.</returns>
    public decimal? Number(string name)
    {
        if (Data.ValueKind != JsonValueKind.Object || !Data.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetDecimal(out var d) => d,
            JsonValueKind.String when decimal.TryParse(value.GetString(), System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var d) => d,
            _ => null,
        };
    }
}
