using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;

namespace Personalize.Templates.Rendering;

/// <summary>
/// Writes UTF-8 straight into an <see cref="IBufferWriter{T}"/>: literals are copied pre-encoded, text is transcoded in
/// place. When the writer hands out array-backed memory, writes go into that array and the writer is advanced once per
/// chunk (<see cref="Flush"/>) instead of two interface calls per write.
/// </summary>
internal sealed class Utf8BufferOutput : TemplateOutput
{
    [ThreadStatic]
    private static Utf8BufferOutput? t_cached;

    private IBufferWriter<byte> _writer = null!;
    private byte[]? _array;
    private int _start;
    private int _position;
    private int _end;

    private Utf8BufferOutput()
    {
    }

    /// <summary>Gets an output for <paramref name="writer"/>, reusing this thread's instance when it is free.</summary>
    public static Utf8BufferOutput Rent(IBufferWriter<byte> writer)
    {
        var output = t_cached ?? new Utf8BufferOutput();
        t_cached = null;
        output._writer = writer;
        return output;
    }

    /// <summary>Advances the writer past what was written and gives the instance back to this thread.</summary>
    public static void Return(Utf8BufferOutput output)
    {
        output.Flush();
        output._writer = null!;
        t_cached = output;
    }

    public override void Write(string text) => Write(text.AsSpan());

    public override void Write(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return;
        }

        // Short values (names, numbers, truncated text) fit the worst case of 3 bytes per UTF-16 unit; longer ones are
        // measured first so that a huge value does not ask the writer for three times its size.
        var max = text.Length <= 256 ? text.Length * 3 : Encoding.UTF8.GetByteCount(text);
        if (_end - _position < max)
        {
            Acquire(max);
        }

        if (_array is not null)
        {
            // Most values are ASCII: the vectorised ASCII narrowing is cheaper than the general encoder for short text.
            var destination = _array.AsSpan(_position, _end - _position);
            if (Ascii.FromUtf16(text, destination, out var ascii) == OperationStatus.Done)
            {
                _position += ascii;
                return;
            }

            _position += ascii + Encoding.UTF8.GetBytes(text[ascii..], destination[ascii..]);
            return;
        }

        var span = _writer.GetSpan(max);
        _writer.Advance(Encoding.UTF8.GetBytes(text, span));
    }

    public override void WriteLiteral(TextLiteral literal) => WriteUtf8(literal.Utf8);

    /// <summary>Copies text that is UTF-8 already (for example a JSON string value without escapes).</summary>
    public void WriteUtf8(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        if (_end - _position < bytes.Length)
        {
            Acquire(bytes.Length);
        }

        if (_array is not null)
        {
            bytes.CopyTo(_array.AsSpan(_position));
            _position += bytes.Length;
            return;
        }

        var span = _writer.GetSpan(bytes.Length);
        bytes.CopyTo(span);
        _writer.Advance(bytes.Length);
    }

    /// <summary>
    /// Advances the writer past what was written into the current chunk and lets the chunk go; the next write asks the
    /// writer for memory again. Called when a chunk is full and when the render ends (<see cref="Return"/>).
    /// </summary>
    public void Flush()
    {
        if (_array is not null && _position > _start)
        {
            _writer.Advance(_position - _start);
        }

        _array = null;
        _start = _position = _end = 0;
    }

    /// <summary>Advances past the current chunk and asks the writer for one with room for <paramref name="size"/> bytes.</summary>
    private void Acquire(int size)
    {
        Flush();
        var memory = _writer.GetMemory(size);
        if (memory.Length >= size && MemoryMarshal.TryGetArray<byte>(memory, out var segment) && segment.Array is not null)
        {
            _array = segment.Array;
            _start = _position = segment.Offset;
            _end = segment.Offset + segment.Count;
        }
    }
}
