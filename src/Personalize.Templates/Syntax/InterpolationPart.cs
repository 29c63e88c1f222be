namespace Personalize.Templates.Syntax;

/// <summary>A piece of an interpolated string: literal text, or the source range of an expression.</summary>
internal readonly record struct InterpolationPart(string? Text, int ExpressionStart, int ExpressionEnd);
