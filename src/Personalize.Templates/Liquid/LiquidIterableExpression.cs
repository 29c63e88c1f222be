using System.Collections;
using System.Text.Json;
using Personalize.Templates.Runtime;
using Personalize.Templates.Syntax;

namespace Personalize.Templates.Liquid;

/// <summary>The collection of a Liquid <c>for</c>/<c>tablerow</c>: an object iterates as <c>[key, value]</c> pairs; anything else is passed on.</summary>
internal sealed class LiquidIterableExpression : ScriptExpression
{
    internal override IEnumerable<ScriptNode?> Children => [Inner];

    public LiquidIterableExpression(ScriptExpression inner) => Inner = inner;

    public ScriptExpression Inner { get; }

    public override object? Evaluate(TemplateContext context)
    {
        var value = ScriptValue.Normalize(Inner.Evaluate(context));
        switch (value)
        {
            case ScriptObject obj:
                return Pairs(context, obj);
            case IDictionary<string, object?> dictionary:
                return Pairs(context, dictionary);
            case IReadOnlyDictionary<string, object?> readOnly:
                return Pairs(context, readOnly);
            case JsonElement { ValueKind: JsonValueKind.Object } json:
                var result = new ScriptArray();
                foreach (var property in json.EnumerateObject())
                {
                    context.ChargeLoopIterations();
                    result.Add(new ScriptArray(2) { property.Name, ScriptValue.Normalize(property.Value) });
                }

                return result;
            case IDictionary map:
                var pairs = new ScriptArray();
                foreach (DictionaryEntry entry in map)
                {
                    context.ChargeLoopIterations();
                    pairs.Add(new ScriptArray(2) { entry.Key, ScriptValue.Normalize(entry.Value) });
                }

                return pairs;
            case bool:
            case not null when ScriptValue.IsNumber(value):
                // A number or boolean is not a collection: no items (the loop runs its `else` branch, a table one empty row).
                return Array.Empty<object?>();
            default:
                return value;
        }
    }

    private static ScriptArray Pairs(TemplateContext context, IEnumerable<KeyValuePair<string, object?>> members)
    {
        var result = new ScriptArray();
        foreach (var pair in members)
        {
            context.ChargeLoopIterations();
            result.Add(new ScriptArray(2) { pair.Key, ScriptValue.Normalize(pair.Value) });
        }

        return result;
    }

    public override string Describe() => Inner.Describe();
}
