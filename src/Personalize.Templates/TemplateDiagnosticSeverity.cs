namespace Personalize.Templates;

/// <summary>How serious a diagnostic is.</summary>
public enum TemplateDiagnosticSeverity
{
    /// <summary>The template still works but something looks wrong.</summary>
    Warning = 0,

    /// <summary>The template cannot be rendered.</summary>
    Error = 1,
}
