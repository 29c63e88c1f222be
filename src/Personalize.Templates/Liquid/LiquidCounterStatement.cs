using Personalize.Templates.Runtime;
using Personalize.Templates.Syntax;

namespace Personalize.Templates.Liquid;

/// <summary>
/// <c>{% increment name %}</c> writes the counter then adds one (starting at 0); <c>{% decrement name %}</c> subtracts one then writes
/// it (starting at -1). Counters live per render, apart from <c>assign</c>ed variables.
/// </summary>
internal sealed class LiquidCounterStatement : ScriptStatement
{
    public LiquidCounterStatement(string name, bool increment)
    {
        Name = name;
        Increment = increment;
    }

    public string Name { get; }

    public bool Increment { get; }

    public override void Execute(TemplateContext context)
    {
        context.CurrentSpan = Span;
        context.WriteValue(context.StepLiquidCounter(Name, Increment));
    }
}
