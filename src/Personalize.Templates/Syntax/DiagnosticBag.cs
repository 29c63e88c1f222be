namespace Personalize.Templates.Syntax;

internal sealed class DiagnosticBag
{
    private readonly SourceText _source;

    public DiagnosticBag(SourceText source) => _source = source;

    public List<TemplateDiagnostic> Items { get; } = new();

    public bool HasErrors { get; private set; }

    public void Error(int start, int end, string message)
    {
        HasErrors = true;
        Items.Add(new TemplateDiagnostic(TemplateDiagnosticSeverity.Error, message, _source.Span(start, end), _source.Name));
    }
}
