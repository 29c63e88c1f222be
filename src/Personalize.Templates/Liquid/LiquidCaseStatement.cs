using Personalize.Templates.Runtime;
using Personalize.Templates.Syntax;

namespace Personalize.Templates.Liquid;

/// <summary>
/// Liquid's <c>case</c>: the shared <see cref="CaseStatement"/> with Liquid's differences — every matching <c>when</c> runs
/// (once per matching value), <c>else</c> may stand between <c>when</c>s (it runs when nothing before it matched), and values
/// compare with Liquid's <c>==</c> (<c>empty</c>, <c>blank</c>, arrays and hashes item by item).
/// </summary>
internal sealed class LiquidCaseStatement : CaseStatement
{
    public LiquidCaseStatement(ScriptExpression value, WhenClause[] clauses)
        : base(value, clauses, null)
    {
    }

    protected override bool RunsEveryMatch => true;

    protected override void CheckComparable(TemplateContext context, object? value, object? candidate, SourceSpan span)
    {
    }

    protected override bool Matches(object? value, object? candidate) =>
        LiquidComparisonExpression.AreEqual(ScriptValue.Normalize(value), ScriptValue.Normalize(candidate));
}
