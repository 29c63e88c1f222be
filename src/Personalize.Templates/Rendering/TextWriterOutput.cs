namespace Personalize.Templates.Rendering;

internal sealed class TextWriterOutput : TemplateOutput
{
    private readonly TextWriter _writer;

    public TextWriterOutput(TextWriter writer) => _writer = writer;

    public override void Write(string text) => _writer.Write(text);

    public override void Write(ReadOnlySpan<char> text) => _writer.Write(text);
}
