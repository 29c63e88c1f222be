using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

/// <summary>A sequence of statements; stops early on <c>break</c>, <c>continue</c> and <c>ret</c>.</summary>
internal sealed class ScriptBlock : ScriptStatement
{
    public ScriptBlock(ScriptStatement[] statements) => Statements = statements;

    public ScriptStatement[] Statements { get; }

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
