using System.Text;

namespace Personalize.Templates.Rendering;

internal sealed class StringBuilderOutput : TemplateOutput
{
    public StringBuilderOutput(StringBuilder builder) => Builder = builder;

    public StringBuilder Builder { get; }

    public override void Write(string text) => Builder.Append(text);

    public override void Write(ReadOnlySpan<char> text) => Builder.Append(text);

    public override void WriteLiteral(TextLiteral literal) => Builder.Append(literal.Text);
}
