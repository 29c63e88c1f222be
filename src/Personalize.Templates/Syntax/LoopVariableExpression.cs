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
        var loop = context.CurrentLoop;
        if (loop is null)
        {
            throw context.Error(Span, $"Cannot get the member {Keyword}.{Member} for a null object. `{Keyword}.{Member}` is only available inside a `{Keyword}` loop.");
        }

        return loop.Get(Member);
    }

    public override string Describe() => Keyword + "." + Member;
}
