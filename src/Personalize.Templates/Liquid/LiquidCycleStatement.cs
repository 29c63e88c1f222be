using Personalize.Templates.Runtime;
using Personalize.Templates.Syntax;

namespace Personalize.Templates.Liquid;

/// <summary><c>{% cycle 'a', 'b' %}</c> / <c>{% cycle 'group': 'a', 'b' %}</c>: writes the next value of the group, per render.</summary>
internal sealed class LiquidCycleStatement : ScriptStatement
{
    private readonly string _counterKey;

    public LiquidCycleStatement(string key, ScriptExpression? group, ScriptExpression[] values)
    {
        Key = key;
        _counterKey = "liquid-cycle:" + key;
        Group = group;
        Values = values;
    }

    /// <summary>Gets the group key when the group is not an expression (the markup of the values).</summary>
    public string Key { get; }

    public ScriptExpression? Group { get; }

    public ScriptExpression[] Values { get; }

    public override void Execute(TemplateContext context)
    {
        var key = Group is null ? _counterKey : "liquid-cycle:group:" + LiquidValue.ToText(context, Group.Evaluate(context));
        var position = context.NextCycle(key) % Values.Length;
        context.CurrentSpan = Span;
        context.WriteValue(LiquidValue.ToText(context, Values[position].Evaluate(context)));
    }
}
