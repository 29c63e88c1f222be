namespace Personalize.Templates.Syntax;

internal enum UnaryOperator
{
    Not,
    Negate,
    Plus,
    Alias,
    Expand,
}
