using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

/// <summary><c>for.index</c>, <c>while.first</c>, <c>tablerow.col</c>, …</summary>
internal sealed class LoopVariableExpression : ScriptExpression
{
    public LoopVariableExpression(string keyword, string member)
    {
        Keyword = keyword;
        Member = member;
    }

    public string Keyword { get; }

    public string Member { get; }

    public override object? Evaluate(TemplateContext context)
    {
        // `for.x` reads the innermost for/tablerow loop and `while.x` the innermost while loop, as in Scriban.
        var loop = context.FindLoop(whileLoop: Keyword == "while");
        if (loop is null)
        {
            throw context.Error(Span, $"Cannot get the member {Keyword}.{Member} for a null object. `{Keyword}.{Member}` is only available inside a `{Keyword}` loop.");
        }

        // Scriban's `tablerow.col` counts columns from 0 (Liquid's `tablerowloop.col` from 1).
        return loop.Get(Member == "col" ? "col0" : Member);
    }

    public override string Describe() => Keyword + "." + Member;
}
