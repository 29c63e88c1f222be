using Microsoft.Extensions.Options;

namespace Personalize;

/// <summary>Validates <see cref="PersonalizeOptions"/> with one combined message.</summary>
internal sealed class PersonalizeOptionsValidator : IValidateOptions<PersonalizeOptions>
{
    public ValidateOptionsResult Validate(string? name, PersonalizeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        return errors.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(PersonalizeOptions.DescribeErrors(errors));
    }
}
