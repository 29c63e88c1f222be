using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

/// <summary><c>import object</c>: copies its members into the current scope (read-only variables are kept).</summary>
internal sealed class ImportStatement : ScriptStatement
{
    internal override IEnumerable<ScriptNode?> Children => [Source];

    public ImportStatement(ScriptExpression source) => Source = source;

    public ScriptExpression Source { get; }

    public override void Execute(TemplateContext context)
    {
        var value = Source.Evaluate(context);
        var scope = context.CurrentScope;
        switch (value)
        {
            case null:
                return;
            case ScriptObject o:
                scope.Import(o);
                return;
            case IEnumerable<KeyValuePair<string, object?>> pairs:
                foreach (var pair in pairs)
                {
                    if (!scope.IsReadOnlyMember(pair.Key))
                    {
                        scope.SetValue(pair.Key, ScriptValue.Normalize(pair.Value));
                    }
                }

                return;
            default:
                throw context.Error(Source.Span, $"Cannot import `{Source.Describe()}`: import needs an object, not a {ScriptValue.TypeName(value)}.");
        }
    }
}
