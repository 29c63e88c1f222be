namespace Personalize.Templates;

/// <summary>A template failed while rendering: the message says what went wrong and where (<c>name(line,column)</c>).</summary>
public class TemplateRuntimeException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="detail">What went wrong, without the position.</param>
    /// <param name="span">Where in the template.</param>
    /// <param name="sourceName">The template's name (for messages), or <see langword="null"/>.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public TemplateRuntimeException(string detail, SourceSpan span, string? sourceName = null, Exception? innerException = null)
        : base($"{sourceName ?? "template"}{span} : error : {detail}", innerException)
    {
        Detail = detail;
        Span = span;
        SourceName = sourceName;
    }

    /// <summary>Gets what went wrong, without the position.</summary>
    public string Detail { get; }

    /// <summary>Gets the position in the template.</summary>
    public SourceSpan Span { get; }

    /// <summary>Gets the 1-based line.</summary>
    public int Line => Span.Line;

    /// <summary>Gets the 1-based column.</summary>
    public int Column => Span.Column;

    /// <summary>Gets the template's name, when it has one.</summary>
    public string? SourceName { get; }
}
