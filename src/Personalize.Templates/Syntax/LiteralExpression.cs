using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

internal sealed class LiteralExpression : ScriptExpression
{
    public LiteralExpression(object? value) => Value = value;

    public object? Value { get; }

    /// <summary>Gets the quote character a string literal was written with (messages show it as written).</summary>
    public char Quote { get; init; } = '"';

    public override object? Evaluate(TemplateContext context) => Value;

    public override string Describe() => Value switch
    {
        null => "null",
        string s => Quote + s + Quote,
        bool b => b ? "true" : "false",
        _ => ScriptValue.ToText(Value, null),
    };
}
