namespace Personalize.Sending;

/// <summary>The brand templates see as <c>brand.*</c> (<c>brand.name</c>, <c>brand.url</c>, …).</summary>
public sealed record BrandInfo
{
    /// <summary>Gets the brand name.</summary>
    /// <value>The default value is <c>"Our team"</c>.</value>
    public string Name { get; init; } = "Our team";

    /// <summary>Gets the web site.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Url { get; init; }

    /// <summary>Gets the support email address.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? SupportEmail { get; init; }

    /// <summary>Gets the support phone number.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? SupportPhone { get; init; }

    /// <summary>Gets the postal address printed in footers (one line).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? PostalAddress { get; init; }

    /// <summary>Gets the logo URL.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? LogoUrl { get; init; }
}
