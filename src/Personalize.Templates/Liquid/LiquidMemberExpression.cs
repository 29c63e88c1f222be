using Personalize.Templates.Runtime;
using Personalize.Templates.Syntax;

namespace Personalize.Templates.Liquid;

/// <summary>
/// Liquid <c>target.name</c>: a member of nil is nil (never an error), and lists answer <c>size</c>, <c>first</c> and <c>last</c>.
/// </summary>
internal sealed class LiquidMemberExpression : ScriptExpression
{
    public LiquidMemberExpression(ScriptExpression target, string name)
    {
        Target = target;
        Name = name;
    }

    public ScriptExpression Target { get; }

    public string Name { get; }

    public override object? Evaluate(TemplateContext context) => Get(context, Target.Evaluate(context), Name);

    internal static object? Get(TemplateContext context, object? target, string name)
    {
        if (target is null)
        {
            return null;
        }

        if (context.TryGetMember(target, name, out var value))
        {
            return ScriptValue.Normalize(value);
        }

        if (name is "first" or "last" && LiquidValue.IsList(target))
        {
            var list = LiquidValue.ToList(context, target);
            return list.Count == 0 ? null : list[name == "first" ? 0 : list.Count - 1];
        }

        return null;
    }

    public override string Describe() => Target.Describe() + "." + Name;
}
