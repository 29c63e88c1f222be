namespace Personalize.Templates.Syntax;

internal sealed class DiagnosticBag
{
    private readonly SourceText _source;

    public DiagnosticBag(SourceText source) => _source = source;

    public List<TemplateDiagnostic> Items { get; } = new();

    public bool HasErrors { get; private set; }

    /// <summary>The start of the diagnostic <see cref="Internal"/> adds (tests look for it: the fuzz test fails on any).</summary>
    public const string InternalErrorText = "The template could not be parsed because of an internal parser error";

    /// <summary>
    /// Records an unexpected exception of the lexer or parser as an error diagnostic, so that parsing keeps its promise of
    /// never throwing. Each such diagnostic is a bug to fix; the fuzz tests fail on any.
    /// </summary>
    public void Internal(Exception exception) =>
        Error(0, 0, $"{InternalErrorText} ({exception.GetType().Name}: {exception.Message}). Please report the template that caused it.");

    public void Error(int start, int end, string message)
    {
        HasErrors = true;
        Items.Add(new TemplateDiagnostic(TemplateDiagnosticSeverity.Error, message, _source.Span(start, end), _source.Name));
    }

    /// <summary>Reports something the template may not mean but that still renders (as the reference Liquid renders it).</summary>
    public void Warning(int start, int end, string message) =>
        Items.Add(new TemplateDiagnostic(TemplateDiagnosticSeverity.Warning, message, _source.Span(start, end), _source.Name));
}
