using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

/// <summary>A sequence of statements; stops early on <c>break</c>, <c>continue</c> and <c>ret</c>.</summary>
internal sealed class ScriptBlock : ScriptStatement
{
    internal override IEnumerable<ScriptNode?> Children => Statements;

    public ScriptBlock(ScriptStatement[] statements)
    {
        Statements = statements;
        Weight = statements.Length;
    }

    public ScriptStatement[] Statements { get; }

    /// <summary>
    /// Gets the work one execution of the block is charged (<see cref="TemplateLimits.MaxWork"/>) when a loop, call or include
    /// runs it: the number of tokens (Scriban) or tags and outputs (Liquid) it was parsed from, nested blocks included, so a
    /// body that does more costs more. Set by the parsers; the statement count otherwise.
    /// </summary>
    public int Weight { get; init; }

    public override void Execute(TemplateContext context)
    {
        var statements = Statements;
        for (var i = 0; i < statements.Length; i++)
        {
            statements[i].Execute(context);
            if (context.Flow != ControlFlow.None)
            {
                return;
            }
        }
    }
}
