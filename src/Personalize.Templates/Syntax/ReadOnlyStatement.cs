using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

/// <summary><c>readonly name</c>.</summary>
internal sealed class ReadOnlyStatement : ScriptStatement
{
    public ReadOnlyStatement(string name) => Name = name;

    public string Name { get; }

    public override void Execute(TemplateContext context) => context.CurrentScope.SetReadOnly(Name, true);
}
