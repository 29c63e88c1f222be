using System.Text;
using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

/// <summary><c>$"text {expression} text"</c>.</summary>
internal sealed class InterpolatedStringExpression : ScriptExpression
{
    internal override IEnumerable<ScriptNode?> Children => Parts.OfType<ScriptExpression>();

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
                // A boolean reads True/False inside an interpolated string, as in Scriban (.NET's text for it).
                var value = ((ScriptExpression)part).Evaluate(context);
                builder.Append(value is bool b ? (b ? "True" : "False") : context.ToText(value));
            }

            context.EnsureStringLength(builder.Length);
        }

        context.CheckStringLength(builder.Length);
        return builder.ToString();
    }
}
