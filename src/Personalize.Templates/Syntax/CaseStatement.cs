using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

/// <summary>
/// <c>case value; when a, b; …; else; …; end</c>, the branch logic shared by both syntaxes: clauses are tried in order and an
/// <c>else</c> runs when nothing matched before it. Scriban runs the first matching clause only; Liquid's subclass
/// (<c>Liquid/LiquidCaseStatement</c>) runs every match and compares with Liquid's equality.
/// </summary>
internal class CaseStatement : ScriptStatement
{
    internal override IEnumerable<ScriptNode?> Children => [Value, .. Whens.SelectMany(w => w.Values.Append<ScriptNode>(w.Body)), Else];

    public CaseStatement(ScriptExpression value, WhenClause[] whens, ScriptBlock? otherwise)
    {
        Value = value;
        Whens = whens;
        Else = otherwise;
    }

    public ScriptExpression Value { get; }

    public WhenClause[] Whens { get; }

    public ScriptBlock? Else { get; }

    /// <summary>Gets a value indicating whether every matching clause runs (once per matching value), not just the first.</summary>
    protected virtual bool RunsEveryMatch => false;

    /// <summary>Whether <paramref name="value"/> matches a clause's <paramref name="candidate"/>.</summary>
    /// <remarks>Scriban's `==`: a boolean equals the number 1 or 0 (`case false` matches `when 0`), and an object equals <c>true</c>.</remarks>
    protected virtual bool Matches(object? value, object? candidate) => (value, candidate) switch
    {
        (bool b, int or long) => ScriptOperators.Equals(b ? 1 : 0, candidate),
        (int or long, bool b) => ScriptOperators.Equals(value, b ? 1 : 0),
        (bool b, _) when BinaryExpression.IsObjectBesideBool(value, candidate) => b,
        (_, bool b) when BinaryExpression.IsObjectBesideBool(value, candidate) => b,
        _ => ScriptOperators.Equals(value, candidate),
    };

    /// <summary>Fails where Scriban's <c>==</c> fails: an array beside a number or boolean (Liquid's <c>case</c> never fails).</summary>
    protected virtual void CheckComparable(TemplateContext context, object? value, object? candidate, SourceSpan span) =>
        BinaryExpression.CheckArrayBesideScalar(context, span, "==", value, candidate);

    public override void Execute(TemplateContext context)
    {
        var value = Value.Evaluate(context);
        var matched = false;
        foreach (var when in Whens)
        {
            if (when.IsElse)
            {
                if (!matched)
                {
                    when.Body.Execute(context);
                }
            }
            else
            {
                foreach (var candidate in when.Values)
                {
                    var candidateValue = candidate.Evaluate(context);
                    CheckComparable(context, value, candidateValue, candidate.Span);
                    if (!Matches(value, candidateValue))
                    {
                        continue;
                    }

                    matched = true;
                    when.Body.Execute(context);
                    if (!RunsEveryMatch || context.Flow != ControlFlow.None)
                    {
                        return;
                    }
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
