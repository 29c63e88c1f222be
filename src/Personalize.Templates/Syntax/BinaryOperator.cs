namespace Personalize.Templates.Syntax;

internal enum BinaryOperator
{
    Add,
    Subtract,
    Multiply,
    Divide,
    DivideRound,
    Modulus,
    Power,
    Equal,
    NotEqual,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    And,
    Or,
    Coalesce,
    NotCoalesce,
    RangeInclusive,
    RangeExclusive,
    ShiftLeft,
    ShiftRight,
    BinaryOr,
    BinaryAnd,
}
