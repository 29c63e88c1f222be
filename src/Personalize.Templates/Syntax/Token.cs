namespace Personalize.Templates.Syntax;

/// <summary>One lexical token. <see cref="Text"/> holds identifier names, raw text and operator spelling; <see cref="Value"/> literal values.</summary>
internal sealed class Token
{
    public TokenKind Kind { get; init; }

    public int Start { get; init; }

    public int End { get; init; }

    public string Text { get; set; } = string.Empty;

    public object? Value { get; init; }

    /// <summary>Whether white space (not a newline) separates this token from the previous one.</summary>
    public bool SpaceBefore { get; init; }

    /// <summary>For code enter/exit: the trim marker (<c>'-'</c>, <c>'~'</c> or <c>'\0'</c>).</summary>
    public char Trim { get; init; }

    /// <summary>For a code enter without trim preceded on its line only by white space: that white space (auto-indentation).</summary>
    public string? Indent { get; init; }

    /// <summary>For raw text: it comes from an escape block and is never trimmed.</summary>
    public bool Verbatim { get; init; }

    public override string ToString() => Kind switch
    {
        TokenKind.Eof => "<EOF>",
        TokenKind.NewLine => "\\n",
        TokenKind.CodeExit => "}}",
        TokenKind.CodeEnter => "{{",
        _ => Text,
    };
}
