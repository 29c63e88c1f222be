using System.Text;
using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

/// <summary><c>$"text {expression} text"</c>.</summary>
internal sealed class InterpolatedStringExpression : ScriptExpression
{
    public InterpolatedStringExpression(object[] parts) => Parts = parts;

    /// <summary>Each part is a <see cref="string"/> or a <see cref="ScriptExpression"/>.</summary>
    public object[] Parts { get; }

    public override object? Evaluate(TemplateContext context)
    {
        var builder = new StringBuilder();
        foreach (var part in Parts)
        {
            if (part is string s)
            {
                builder.Append(s);
            }
            else
            {
                builder.Append(context.ToText(((ScriptExpression)part).Evaluate(context)));
            }

            context.EnsureStringLength(builder.Length);
        }

        context.CheckStringLength(builder.Length);
        return builder.ToString();
    }
}
