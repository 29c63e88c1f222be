using Microsoft.Extensions.Options;

namespace Personalize.Decisions;

/// <summary>Validates <see cref="DecisionOptions"/> with one combined message.</summary>
internal sealed class DecisionOptionsValidator : IValidateOptions<DecisionOptions>
{
    public ValidateOptionsResult Validate(string? name, DecisionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(DecisionOptions.DescribeErrors(errors));
    }
}
