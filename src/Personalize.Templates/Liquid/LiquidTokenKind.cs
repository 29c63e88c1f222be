namespace Personalize.Templates.Liquid;

/// <summary>The kinds of tokens inside a Liquid tag or output (<c>{% … %}</c>, <c>{{ … }}</c>).</summary>
internal enum LiquidTokenKind
{
    Eof,
    Identifier,
    String,
    Number,
    Dot,
    DotDot,
    LBracket,
    RBracket,
    LParen,
    RParen,
    Pipe,
    Colon,
    Comma,
    Comparison,
    Assign,
    Invalid,
}
