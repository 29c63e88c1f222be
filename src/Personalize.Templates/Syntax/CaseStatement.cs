using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

/// <summary><c>case value; when a, b; …; else; …; end</c>.</summary>
internal sealed class CaseStatement : ScriptStatement
{
    public CaseStatement(ScriptExpression value, WhenClause[] whens, ScriptBlock? otherwise)
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
        var value = Value.Evaluate(context);
        foreach (var when in Whens)
        {
            foreach (var candidate in when.Values)
            {
                if (ScriptOperators.Equals(value, candidate.Evaluate(context)))
                {
                    when.Body.Execute(context);
                    return;
                }
            }
        }

        Else?.Execute(context);
    }
}
