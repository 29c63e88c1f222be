using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

internal abstract class ScriptStatement : ScriptNode
{
    public abstract void Execute(TemplateContext context);
}
