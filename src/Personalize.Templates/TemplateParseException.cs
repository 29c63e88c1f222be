using System.Text;

namespace Personalize.Templates;

/// <summary>A template or expression has syntax errors. The message lists each one with the offending source line and a caret under the column.</summary>
public sealed class TemplateParseException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="diagnostics">The diagnostics.</param>
    public TemplateParseException(IReadOnlyList<TemplateDiagnostic> diagnostics)
        : this(diagnostics, null)
    {
    }

    internal TemplateParseException(IReadOnlyList<TemplateDiagnostic> diagnostics, Func<int, string>? lineText)
        : base(Format(diagnostics, lineText))
    {
        Diagnostics = diagnostics;
    }

    /// <summary>Gets the diagnostics.</summary>
    public IReadOnlyList<TemplateDiagnostic> Diagnostics { get; }

    private static string Format(IReadOnlyList<TemplateDiagnostic> diagnostics, Func<int, string>? lineText)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        var builder = new StringBuilder("The template has errors:");
        foreach (var diagnostic in diagnostics)
        {
            builder.AppendLine().Append(diagnostic.ToString());
            if (lineText is not null)
            {
                var line = lineText(diagnostic.Line);
                builder.AppendLine().Append("    ").Append(line.Replace('\t', ' '));
                builder.AppendLine().Append("    ").Append(' ', Math.Max(0, diagnostic.Column - 1)).Append('^');
            }
        }

        return builder.ToString();
    }
}
