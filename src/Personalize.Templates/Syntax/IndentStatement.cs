using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

/// <summary>
/// Runs a statement under the auto-indentation of its code block (Scriban: the white space before <c>{{</c> when nothing else
/// precedes it on its line, or none), where that differs from the indentation of the block around it or is not known at parse
/// time (function and wrap bodies run under their caller's). Text the statement writes, its own or a called function's, is
/// indented by it.
/// </summary>
internal sealed class IndentStatement : ScriptStatement
{
    internal override IEnumerable<ScriptNode?> Children => [Inner];

    public IndentStatement(ScriptStatement inner, string? indent)
    {
        Inner = inner;
        Indent = indent;
        Span = inner.Span;
    }

    public ScriptStatement Inner { get; }

    public string? Indent { get; }

    public override void Execute(TemplateContext context)
    {
        var saved = context.Indent;
        context.Indent = Indent;
        try
        {
            Inner.Execute(context);
        }
        finally
        {
            context.Indent = saved;
        }
    }
}
