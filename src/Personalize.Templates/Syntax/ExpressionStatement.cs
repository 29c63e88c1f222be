using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

/// <summary>An expression whose value is written to the output (nothing for null).</summary>
internal sealed class ExpressionStatement : ScriptStatement
{
    public ExpressionStatement(ScriptExpression expression) => Expression = expression;

    public ScriptExpression Expression { get; }

    /// <summary>Gets the auto-indentation of the code block (white space before <c>{{</c> on its line), or null.</summary>
    public string? Indent { get; init; }

    public override void Execute(TemplateContext context)
    {
        var value = Expression.Evaluate(context);
        if (value is not null)
        {
            context.CurrentSpan = Span;
            if (Indent is not null && value is not (int or long or decimal or double or bool))
            {
                context.Write(Reindent(context.ToText(value), Indent));
                return;
            }

            context.WriteValue(value);
        }
    }

    /// <summary>Puts <paramref name="indent"/> after every newline that is followed by more text.</summary>
    private static string Reindent(string text, string indent)
    {
        var newline = text.IndexOf('\n');
        if (newline < 0 || newline == text.Length - 1)
        {
            return text;
        }

        var builder = new System.Text.StringBuilder(text.Length + (indent.Length * 4));
        var start = 0;
        while (newline >= 0 && newline < text.Length - 1)
        {
            builder.Append(text, start, newline + 1 - start).Append(indent);
            start = newline + 1;
            newline = text.IndexOf('\n', start);
        }

        builder.Append(text, start, text.Length - start);
        return builder.ToString();
    }
}
