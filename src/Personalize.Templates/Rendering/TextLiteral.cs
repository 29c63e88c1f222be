using System.Text;

namespace Personalize.Templates.Rendering;

/// <summary>A piece of literal template text, encoded to UTF-8 once at parse time.</summary>
internal sealed class TextLiteral
{
    public TextLiteral(string text)
    {
        Text = text;
        Utf8 = Encoding.UTF8.GetBytes(text);
        EndsWithNewline = text.Length > 0 && text[^1] == '\n';
    }

    /// <summary>Gets a value indicating whether the text ends with a newline.</summary>
    public bool EndsWithNewline { get; }

    public string Text { get; }

    public byte[] Utf8 { get; }
}
