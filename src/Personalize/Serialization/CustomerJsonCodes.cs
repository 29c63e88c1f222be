namespace Personalize.Serialization;

/// <summary>Stable codes of customer JSON errors raised by a limit (<see cref="CustomerJsonError.Code"/>).</summary>
public static class CustomerJsonCodes
{
    /// <summary>An attribute value is larger than <see cref="CustomerJson.MaxAttributeBytes"/>.</summary>
    public const string AttributeTooLarge = "customer.attribute_too_large";

    /// <summary>A customer has more attributes than <see cref="CustomerJson.MaxAttributes"/>.</summary>
    public const string TooManyAttributes = "customer.too_many_attributes";
}
