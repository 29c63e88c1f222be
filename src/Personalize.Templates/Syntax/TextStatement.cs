using Personalize.Templates.Rendering;
using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

/// <summary>Literal template text, pre-encoded to UTF-8.</summary>
internal sealed class TextStatement : ScriptStatement
{
    public TextStatement(string text) => Literal = new TextLiteral(text);

    public TextLiteral Literal { get; }

    public override void Execute(TemplateContext context) => context.WriteLiteral(Literal);
}
