using Personalize.Templates.Runtime;
using Personalize.Templates.Syntax;

namespace Personalize.Templates.Liquid;

/// <summary><c>{% cycle 'a', 'b' %}</c> / <c>{% cycle 'group': 'a', 'b' %}</c>: writes the next value of the group, per render.</summary>
internal sealed class LiquidCycleStatement : ScriptStatement
{
    internal override IEnumerable<ScriptNode?> Children => [Group, .. Values];

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
        // Shopify's rule: a group's position moves on by one and wraps at this tag's value count; a shorter tag of the
        // same group whose position is past its values prints nothing.
        var position = context.NextCycle(key);
        context.SetCycle(key, position + 1 >= Values.Length ? 0 : position + 1);
        if (position >= Values.Length)
        {
            return;
        }

        context.CurrentSpan = Span;
        context.WriteValue(LiquidValue.ToText(context, Values[position].Evaluate(context)));
    }
}
