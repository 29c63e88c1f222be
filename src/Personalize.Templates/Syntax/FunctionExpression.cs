using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

/// <summary>An anonymous function <c>do … end</c> used as a value.</summary>
internal sealed class FunctionExpression : ScriptExpression
{
    internal override IEnumerable<ScriptNode?> Children => Function.Nodes;

    public FunctionExpression(ScriptFunctionDefinition function) => Function = function;

    public ScriptFunctionDefinition Function { get; }

    public override object? Evaluate(TemplateContext context) => Function;

    public override string Describe() => "do ... end";
}
