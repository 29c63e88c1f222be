namespace Personalize.Templates.Syntax;

/// <summary>A parameter of a parametric function: <c>x</c>, <c>x = default</c> or <c>x...</c>.</summary>
internal sealed record FunctionParameter(string Name, ScriptExpression? DefaultValue, bool IsVariadic);
