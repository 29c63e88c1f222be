using System.Text;

namespace Personalize.Templates.Rendering;

/// <summary>A piece of literal template text, encoded to UTF-8 once at parse time.</summary>
internal sealed class TextLiteral
{
    public TextLiteral(string text)
    {
        Text = text;
        Utf8 = Encoding.UTF8.GetBytes(text);
    }

    public string Text { get; }

    public byte[] Utf8 { get; }
}
