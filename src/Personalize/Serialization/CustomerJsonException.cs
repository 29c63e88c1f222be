namespace Personalize.Serialization;

/// <summary>Thrown by the throwing <see cref="CustomerJson"/> methods when the JSON has errors; lists all of them.</summary>
public sealed class CustomerJsonException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errors">The errors, at least one.</param>
    public CustomerJsonException(IReadOnlyList<CustomerJsonError> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    /// <summary>Every error found in the JSON.</summary>
    public IReadOnlyList<CustomerJsonError> Errors { get; }

    private static string Describe(IReadOnlyList<CustomerJsonError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var lines = new string[errors.Count];
        for (var i = 0; i < lines.Length; i++)
        {
            lines[i] = "  " + errors[i].Describe();
        }

        return $"The customer JSON has {errors.Count} error{(errors.Count == 1 ? string.Empty : "s")}:{Environment.NewLine}{string.Join(Environment.NewLine, lines)}";
    }
}
