using Personalize.Templates.Runtime;
using Personalize.Templates.Syntax;

namespace Personalize.Templates.Liquid;

/// <summary>
/// <c>{% case x %}{% when a, b %}…{% else %}…{% endcase %}</c> with Shopify's rules: every <c>when</c> that matches renders (in
/// order), <c>else</c> renders when none did, and values compare like <c>==</c> (so <c>when empty</c> works).
/// </summary>
internal sealed class LiquidCaseStatement : ScriptStatement
{
    public LiquidCaseStatement(ScriptExpression value, WhenClause[] whens, ScriptBlock? otherwise)
    {
        Value = value;
        Whens = whens;
        Else = otherwise;
    }

    public ScriptExpression Value { get; }

    public WhenClause[] Whens { get; }

    public ScriptBlock? Else { get; }

    public override void Execute(TemplateContext context)
    {
        var value = ScriptValue.Normalize(Value.Evaluate(context));
        var matched = false;
        foreach (var when in Whens)
        {
            foreach (var candidate in when.Values)
            {
                if (LiquidComparisonExpression.AreEqual(value, ScriptValue.Normalize(candidate.Evaluate(context))))
                {
                    matched = true;
                    when.Body.Execute(context);
                    break;
                }
            }

            if (context.Flow != ControlFlow.None)
            {
                return;
            }
        }

        if (!matched)
        {
            Else?.Execute(context);
        }
    }
}
