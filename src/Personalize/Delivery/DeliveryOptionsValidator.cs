using Microsoft.Extensions.Options;

namespace Personalize.Delivery;

/// <summary>Validates <see cref="DeliveryOptions"/> with one combined message.</summary>
internal sealed class DeliveryOptionsValidator : IValidateOptions<DeliveryOptions>
{
    public ValidateOptionsResult Validate(string? name, DeliveryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        return errors.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(DeliveryOptions.DescribeErrors(errors));
    }
}
