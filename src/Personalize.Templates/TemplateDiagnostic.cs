namespace Personalize.Templates;

/// <summary>A problem found while parsing: what, where, and how to fix it.</summary>
/// <param name="Severity">How serious it is.</param>
/// <param name="Message">What is wrong and how to fix it.</param>
/// <param name="Span">Where in the source.</param>
/// <param name="SourceName">The template's name.</param>
public sealed record TemplateDiagnostic(TemplateDiagnosticSeverity Severity, string Message, SourceSpan Span, string SourceName)
{
    /// <summary>Gets the 1-based line.</summary>
    public int Line => Span.Line;

    /// <summary>Gets the 1-based column.</summary>
    public int Column => Span.Column;

    /// <summary>Formats the diagnostic like a compiler: <c>name(line,column) : error : message</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{SourceName}({Line},{Column}) : {(Severity == TemplateDiagnosticSeverity.Error ? "error" : "warning")} : {Message}";
}
