namespace Personalize.Templates.Syntax;

internal sealed record WhenClause(ScriptExpression[] Values, ScriptBlock Body);
