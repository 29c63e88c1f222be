using System.Buffers;
using System.Text;

namespace Personalize.Templates.Rendering;

/// <summary>Writes UTF-8 straight into an <see cref="IBufferWriter{T}"/>: literals are copied pre-encoded, numbers formatted in place.</summary>
internal sealed class Utf8BufferOutput : TemplateOutput
{
    private readonly IBufferWriter<byte> _writer;

    public Utf8BufferOutput(IBufferWriter<byte> writer) => _writer = writer;

    public override void Write(string text) => Write(text.AsSpan());

    public override void Write(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return;
        }

        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        var span = _writer.GetSpan(max);
        var written = Encoding.UTF8.GetBytes(text, span);
        _writer.Advance(written);
    }

    public override void WriteLiteral(TextLiteral literal)
    {
        var bytes = literal.Utf8;
        if (bytes.Length == 0)
        {
            return;
        }

        var span = _writer.GetSpan(bytes.Length);
        bytes.CopyTo(span);
        _writer.Advance(bytes.Length);
    }
}
