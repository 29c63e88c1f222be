namespace Personalize.Catalog;

/// <summary>A catalog has problems; <see cref="Errors"/> lists every one with its location.</summary>
public sealed class CatalogException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="errors">The errors.</param>
    public CatalogException(IReadOnlyList<CatalogError> errors)
        : base(Describe(errors))
    {
        Errors = errors;
    }

    /// <summary>Creates the exception with a message.</summary>
    public CatalogException()
        : this([])
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public CatalogException(string message)
        : base(message)
    {
        Errors = [new CatalogError("$", message)];
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public CatalogException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [new CatalogError("$", message)];
    }

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<CatalogError> Errors { get; }

    private static string Describe(IReadOnlyList<CatalogError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return errors.Count == 0
            ? "The catalog is invalid."
            : $"The catalog has {errors.Count} error{(errors.Count == 1 ? string.Empty : "s")}:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(static e => "  " + e));
    }
}
