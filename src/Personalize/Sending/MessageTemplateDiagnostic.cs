namespace Personalize.Sending;

/// <summary>A problem with one content template: a missing part, a parse error, an ambiguous file.</summary>
/// <param name="Reference">The template reference from the catalog (for example <c>welcome/email</c>).</param>
/// <param name="Part">The part (for example <c>subject</c>), or <see langword="null"/> for the whole reference.</param>
/// <param name="File">The template file (relative to the loader's root) or the file that was expected.</param>
/// <param name="Line">The 1-based line, 0 when the problem is not at a position.</param>
/// <param name="Column">The 1-based column, 0 when the problem is not at a position.</param>
/// <param name="Message">What is wrong and how to fix it.</param>
public sealed record MessageTemplateDiagnostic(string Reference, string? Part, string File, int Line, int Column, string Message)
{
    /// <summary>Formats the diagnostic as <c>file(line,column): message</c> (or <c>file: message</c> without a position).</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Line > 0 ? $"{File}({Line},{Column}): {Message}" : $"{File}: {Message}";
}
