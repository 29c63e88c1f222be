namespace Personalize.Templates.Syntax;

/// <summary>
/// One branch of a <see cref="CaseStatement"/>: its body runs when the value equals one of <see cref="Values"/>. A clause with
/// no values is an <c>else</c> placed among the <c>when</c>s (Liquid allows that; it runs when no earlier clause matched).
/// </summary>
internal sealed record WhenClause(ScriptExpression[] Values, ScriptBlock Body)
{
    public bool IsElse => Values.Length == 0;
}
