using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

/// <summary><c>func name … end</c>: stores the function in a variable when executed.</summary>
internal sealed class FunctionStatement : ScriptStatement
{
    internal override IEnumerable<ScriptNode?> Children => [Target, .. Function.Nodes];

    public FunctionStatement(ScriptAssignable target, ScriptFunctionDefinition function)
    {
        Target = target;
        Function = function;
    }

    public ScriptAssignable Target { get; }

    public ScriptFunctionDefinition Function { get; }

    public override void Execute(TemplateContext context) => Target.Assign(context, Function);
}
