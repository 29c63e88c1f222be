namespace Personalize.Templates.Liquid;

/// <summary>The comparison operators of Liquid conditions.</summary>
internal enum LiquidComparison
{
    Equal,
    NotEqual,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    Contains,
}
