using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

internal sealed class LiteralExpression : ScriptExpression
{
    public LiteralExpression(object? value) => Value = value;

    public object? Value { get; }

    public override object? Evaluate(TemplateContext context) => Value;

    public override string Describe() => Value switch
    {
        null => "null",
        string s => "\"" + s + "\"",
        bool b => b ? "true" : "false",
        _ => ScriptValue.ToText(Value, null),
    };
}
