using System.Globalization;

namespace Personalize.Templates.Rendering;

/// <summary>Where a render writes: a string builder, a <see cref="TextWriter"/>, or UTF-8 bytes.</summary>
internal abstract class TemplateOutput
{
    public abstract void Write(string text);

    public abstract void Write(ReadOnlySpan<char> text);

    /// <summary>Writes literal template text; UTF-8 outputs copy the pre-encoded bytes.</summary>
    public virtual void WriteLiteral(TextLiteral literal) => Write(literal.Text);

    public virtual void WriteInt32(int value)
    {
        Span<char> buffer = stackalloc char[11];
        value.TryFormat(buffer, out var written, default, CultureInfo.InvariantCulture);
        Write(buffer[..written]);
    }
}
