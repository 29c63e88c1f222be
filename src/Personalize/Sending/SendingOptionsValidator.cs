using Microsoft.Extensions.Options;

namespace Personalize.Sending;

/// <summary>Validates <see cref="SendingOptions"/> at start, every problem in one message.</summary>
internal sealed class SendingOptionsValidator : IValidateOptions<SendingOptions>
{
    public ValidateOptionsResult Validate(string? name, SendingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        return errors.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("Invalid SendingOptions: " + string.Join(" ", errors));
    }
}
