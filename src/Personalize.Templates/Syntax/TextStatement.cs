using Personalize.Templates.Rendering;
using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

/// <summary>Literal template text, pre-encoded to UTF-8 (and pre-indented for the block around it, when that block is indented).</summary>
internal sealed class TextStatement : ScriptStatement
{
    private readonly string? _staticIndent;
    private readonly TextLiteral? _indented;

    public TextStatement(string text)
        : this(text, null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TextStatement"/> class.</summary>
    /// <param name="text">The text.</param>
    /// <param name="staticIndent">The auto-indentation of the block the text is in, when known at parse time: the text is
    /// indented for it once, here, and written as it is whenever that indentation is the one in effect.</param>
    public TextStatement(string text, string? staticIndent)
    {
        Literal = new TextLiteral(text);
        if (staticIndent is not null)
        {
            _staticIndent = staticIndent;
            _indented = new TextLiteral(Indented(text, staticIndent));
        }
    }

    public TextLiteral Literal { get; }

    public override void Execute(TemplateContext context)
    {
        var indent = context.Indent;
        if (indent is null)
        {
            context.WriteLiteral(Literal);
        }
        else if (ReferenceEquals(indent, _staticIndent))
        {
            context.WriteIndentedLiteral(_indented!, indent);
        }
        else
        {
            context.WriteIndented(Literal.Text, indent);
        }
    }

    /// <summary>The text with <paramref name="indent"/> after every newline that more of the text follows.</summary>
    internal static string Indented(string text, string indent)
    {
        var newline = text.IndexOf('\n');
        if (newline < 0 || newline == text.Length - 1)
        {
            return text;
        }

        var builder = new System.Text.StringBuilder(text.Length + (indent.Length * 4));
        var start = 0;
        while (newline >= 0 && newline < text.Length - 1)
        {
            builder.Append(text, start, newline + 1 - start).Append(indent);
            start = newline + 1;
            newline = text.IndexOf('\n', start);
        }

        builder.Append(text, start, text.Length - start);
        return builder.ToString();
    }
}
