using Personalize.Templates.Runtime;
using Personalize.Templates.Syntax;

namespace Personalize.Templates.Liquid;

/// <summary>
/// <c>forloop.index</c>, <c>forloop.rindex0</c>, <c>tablerowloop.col</c>, …: Liquid's 1-based names mapped onto the shared loop
/// state. Outside a loop (or for an unknown member) the value is nil.
/// </summary>
internal sealed class LiquidLoopVariable : ScriptExpression
{
    public LiquidLoopVariable(string keyword, string member, int parents = 0)
    {
        Keyword = keyword;
        Member = member;
        Parents = parents;
        StateMember = member switch
        {
            "index" => "index1",
            "rindex" => "rindex1",
            "index0" or "rindex0" or "first" or "last" or "length" or "name" => member,
            "col" or "col0" or "col_first" or "col_last" or "row" when keyword == "tablerowloop" => member,
            _ => null,
        };
    }

    public string Keyword { get; }

    public string Member { get; }

    /// <summary>Gets how many <c>parentloop</c> steps lead to the loop read (0 = the innermost).</summary>
    public int Parents { get; }

    /// <summary>Gets the <see cref="LoopState"/> member name, or null when Liquid has no such member.</summary>
    public string? StateMember { get; }

    public override object? Evaluate(TemplateContext context)
    {
        var loop = context.LoopAt(Parents);
        if (loop is null || StateMember is null)
        {
            return null;
        }

        return loop.Get(StateMember);
    }

    public override string Describe() => Keyword + "." + string.Concat(Enumerable.Repeat("parentloop.", Parents)) + Member;
}
