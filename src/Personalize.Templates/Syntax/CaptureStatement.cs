using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

/// <summary><c>capture target … end</c>: renders the body into a string variable.</summary>
internal sealed class CaptureStatement : ScriptStatement
{
    internal override IEnumerable<ScriptNode?> Children => [Target, Body];

    public CaptureStatement(ScriptAssignable target, ScriptBlock body)
    {
        Target = target;
        Body = body;
    }

    public ScriptAssignable Target { get; }

    public ScriptBlock Body { get; }

    public override void Execute(TemplateContext context) => Target.Assign(context, context.Capture(Body));
}
