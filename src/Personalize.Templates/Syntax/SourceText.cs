namespace Personalize.Templates.Syntax;

/// <summary>Template source with a line index for mapping offsets to line and column.</summary>
internal sealed class SourceText
{
    private readonly List<int> _lineStarts = new() { 0 };

    public SourceText(string text, string name)
    {
        Text = text;
        Name = name;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                _lineStarts.Add(i + 1);
            }
        }
    }

    public string Text { get; }

    public string Name { get; }

    public SourceSpan Span(int start, int end)
    {
        start = Math.Clamp(start, 0, Text.Length);
        var line = _lineStarts.BinarySearch(start);
        if (line < 0)
        {
            line = ~line - 1;
        }

        return new SourceSpan(start, Math.Max(0, end - start), line + 1, start - _lineStarts[line] + 1);
    }

    public string LineText(int line)
    {
        if (line < 1 || line > _lineStarts.Count)
        {
            return string.Empty;
        }

        var start = _lineStarts[line - 1];
        var end = line < _lineStarts.Count ? _lineStarts[line] - 1 : Text.Length;
        return Text[start..end].TrimEnd('\r');
    }
}
