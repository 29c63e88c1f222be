namespace Personalize.Catalog;

/// <summary>
/// One problem of a catalog: where (a JSON path such as <c>$.messages[3].condition</c>, and for conditions the
/// line and column inside the expression) and what, with how to fix it.
/// </summary>
/// <param name="Path">Where, as a JSON path into the catalog file (also used for catalogs built in C#).</param>
/// <param name="Message">What is wrong and how to fix it.</param>
/// <param name="Line">For a condition, the 1-based line inside the expression; otherwise <see langword="null"/>.</param>
/// <param name="Column">For a condition, the 1-based column inside the expression; otherwise <see langword="null"/>.</param>
public sealed record CatalogError(string Path, string Message, int? Line = null, int? Column = null)
{
    /// <summary>Formats the error, for example <c>$.messages[2].condition (1,14): unexpected token ...</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString()
        => Line is { } line
            ? $"{Path} ({line},{Column ?? 1}): {Message}"
            : $"{Path}: {Message}";
}
