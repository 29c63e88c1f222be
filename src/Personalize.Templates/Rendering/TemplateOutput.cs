namespace Personalize.Templates.Rendering;

/// <summary>Where a render writes: a string builder, a <see cref="TextWriter"/>, or UTF-8 bytes.</summary>
internal abstract class TemplateOutput
{
    public abstract void Write(string text);

    public abstract void Write(ReadOnlySpan<char> text);

    /// <summary>Writes literal template text; UTF-8 outputs copy the pre-encoded bytes.</summary>
    public virtual void WriteLiteral(TextLiteral literal) => Write(literal.Text);
}
