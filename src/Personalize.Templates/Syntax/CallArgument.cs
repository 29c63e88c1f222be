namespace Personalize.Templates.Syntax;

/// <summary>One argument of a call: positional or named (<c>name: value</c>), possibly expanded (<c>^list</c>).</summary>
internal sealed record CallArgument(string? Name, ScriptExpression Value, bool Expand);
