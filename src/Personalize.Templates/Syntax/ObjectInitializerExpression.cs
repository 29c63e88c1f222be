using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

/// <summary><c>{ name: value, "other": value }</c>.</summary>
internal sealed class ObjectInitializerExpression : ScriptExpression
{
    internal override IEnumerable<ScriptNode?> Children => Members.Select(m => m.Value);

    public ObjectInitializerExpression(KeyValuePair<string, ScriptExpression>[] members) => Members = members;

    public KeyValuePair<string, ScriptExpression>[] Members { get; }

    public override object? Evaluate(TemplateContext context)
    {
        var obj = new ScriptObject(Members.Length);
        foreach (var member in Members)
        {
            obj.SetValue(member.Key, member.Value.Evaluate(context));
        }

        return obj;
    }

    public override string Describe() => "{...}";
}
