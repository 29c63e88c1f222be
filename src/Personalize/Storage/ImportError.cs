namespace Personalize.Storage;

/// <summary>Why one customer of an import was refused.</summary>
/// <param name="Index">The customer's position in the imported list (0-based).</param>
/// <param name="CustomerId">The customer's id.</param>
/// <param name="Field">The field at fault, as a path below the customer, for example <c>contactPoints.email</c>.</param>
/// <param name="Code">A stable code, for example <c>suppressed.erased</c>.</param>
/// <param name="Message">What is wrong, for a person.</param>
public sealed record ImportError(int Index, string CustomerId, string Field, string Code, string Message)
{
    /// <summary>For example <c>customers[3] (c-003) contactPoints.email: …</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"customers[{Index}] ({CustomerId}) {Field}: {Message}";
}
