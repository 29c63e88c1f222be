namespace Personalize.Customers;

/// <summary>A postal address for direct mail.</summary>
public sealed record PostalAddress
{
    /// <summary>Street lines, first to last (at least one).</summary>
    public required IReadOnlyList<string> Lines { get; init; }

    /// <summary>The postal code, where the country uses one.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? PostalCode { get; init; }

    /// <summary>The city or locality.</summary>
    public required string City { get; init; }

    /// <summary>The region, state or province, where used.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Region { get; init; }

    /// <summary>The ISO 3166-1 alpha-2 country code, upper case (for example <c>NZ</c>).</summary>
    public required string Country { get; init; }
}
