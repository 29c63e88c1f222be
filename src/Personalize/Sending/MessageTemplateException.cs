namespace Personalize.Sending;

/// <summary>Content templates are missing or do not parse; <see cref="Diagnostics"/> lists every problem.</summary>
public sealed class MessageTemplateException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MessageTemplateException()
        : this([])
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public MessageTemplateException(string message)
        : base(message)
    {
        Diagnostics = [];
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public MessageTemplateException(string message, Exception innerException)
        : base(message, innerException)
    {
        Diagnostics = [];
    }

    /// <summary>Creates the exception from diagnostics.</summary>
    /// <param name="diagnostics">The problems.</param>
    public MessageTemplateException(IReadOnlyList<MessageTemplateDiagnostic> diagnostics)
        : base(Describe(diagnostics))
    {
        Diagnostics = diagnostics;
    }

    /// <summary>Gets every problem found.</summary>
    public IReadOnlyList<MessageTemplateDiagnostic> Diagnostics { get; }

    private static string Describe(IReadOnlyList<MessageTemplateDiagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        return diagnostics.Count == 0
            ? "The content templates have errors."
            : $"The content templates have {diagnostics.Count} error{(diagnostics.Count == 1 ? string.Empty : "s")}:" + Environment.NewLine
                + string.Join(Environment.NewLine, diagnostics.Select(static d => "  " + d));
    }
}
