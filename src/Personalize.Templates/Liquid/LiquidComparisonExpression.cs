using System.Collections;
using System.Text.Json;
using Personalize.Templates.Runtime;
using Personalize.Templates.Syntax;

namespace Personalize.Templates.Liquid;

/// <summary>
/// A Liquid comparison: <c>==</c>, <c>!=</c>/<c>&lt;&gt;</c>, <c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c>, <c>&gt;=</c>, <c>contains</c>, with the
/// <c>empty</c> and <c>blank</c> literals. Ordering nil against anything is false.
/// </summary>
internal sealed class LiquidComparisonExpression : ScriptExpression
{
    internal override IEnumerable<ScriptNode?> Children => [Left, Right];

    // Boxed once: conditions run per recipient and should not allocate.
    private static readonly object True = true;
    private static readonly object False = false;

    public LiquidComparisonExpression(LiquidComparison op, ScriptExpression left, ScriptExpression right)
    {
        Operator = op;
        Left = left;
        Right = right;
    }

    public LiquidComparison Operator { get; }

    public ScriptExpression Left { get; }

    public ScriptExpression Right { get; }

    public override object? Evaluate(TemplateContext context) => Test(context) ? True : False;

    private bool Test(TemplateContext context)
    {
        var left = ScriptValue.Normalize(Left.Evaluate(context));
        var right = ScriptValue.Normalize(Right.Evaluate(context));
        switch (Operator)
        {
            case LiquidComparison.Equal:
                return AreEqual(left, right);
            case LiquidComparison.NotEqual:
                return !AreEqual(left, right);
            case LiquidComparison.Contains:
                return Contains(context, left, right);
        }

        if (left is null || right is null || left is LiquidKeyword || right is LiquidKeyword)
        {
            return false;
        }

        context.CurrentSpan = Span;
        if (!(ScriptValue.IsNumber(left) && ScriptValue.IsNumber(right)) && !(left is string && right is string))
        {
            if (!(left is string && ScriptValue.IsNumber(right)) && !(right is string && ScriptValue.IsNumber(left)))
            {
                // Liquid orders only numbers and text: true/false, arrays and hashes are never less or greater.
                return false;
            }

            throw context.Error(Span, $"Cannot compare {ScriptValue.TypeName(left)} `{LiquidValue.ToText(context, left)}` with {ScriptValue.TypeName(right)} `{LiquidValue.ToText(context, right)}` using `{Symbol}`. Compare numbers with numbers and text with text (convert text with `| plus: 0`).");
        }

        var op = Operator switch
        {
            LiquidComparison.Less => '<',
            LiquidComparison.LessEqual => 'l',
            LiquidComparison.Greater => '>',
            _ => 'g',
        };
        return ScriptOperators.Relational(context, op, left, right);
    }


    internal static bool AreEqual(object? left, object? right)
    {
        if (right is LiquidKeyword keyword)
        {
            return Matches(keyword, left);
        }

        if (left is LiquidKeyword leftKeyword)
        {
            return Matches(leftKeyword, right);
        }

        return LiquidValue.Equal(left, right);
    }

    private static bool Matches(LiquidKeyword keyword, object? value)
    {
        if (value is LiquidKeyword)
        {
            // As in Shopify's Liquid, `blank == blank` and `empty == empty` are false: the keywords test a value, not each other.
            return false;
        }

        return ReferenceEquals(keyword, LiquidKeyword.Blank) ? LiquidValue.IsBlank(value) : LiquidValue.IsEmpty(value);
    }

    private static bool Contains(TemplateContext context, object? left, object? right)
    {
        if (right is null or false)
        {
            // Liquid's `contains` needs something to look for: nil and false are never contained.
            return false;
        }

        switch (left)
        {
            case null:
                return false;
            case string text:
                return right is not null && text.Contains(LiquidValue.ToText(context, right), StringComparison.Ordinal);
            case ScriptObject obj:
                return right is string key && obj.ContainsKey(key);
            case IDictionary<string, object?> dictionary:
                return right is string k && dictionary.ContainsKey(k);
            case IReadOnlyDictionary<string, object?> readOnly:
                return right is string member && readOnly.ContainsKey(member);
            case IDictionary map:
                return right is not null && map.Contains(right);
            case JsonElement { ValueKind: JsonValueKind.Object } json:
                return right is string name && json.TryGetProperty(name, out _);
        }

        var items = ScriptValue.AsEnumerable(left);
        if (items is null)
        {
            return false;
        }

        foreach (var item in items)
        {
            context.ChargeLoopIterations();
            if (LiquidValue.Equal(item, right))
            {
                return true;
            }
        }

        return false;
    }

    private string Symbol => Operator switch
    {
        LiquidComparison.Less => "<",
        LiquidComparison.LessEqual => "<=",
        LiquidComparison.Greater => ">",
        LiquidComparison.GreaterEqual => ">=",
        LiquidComparison.NotEqual => "!=",
        LiquidComparison.Contains => "contains",
        _ => "==",
    };

    public override string Describe() => Left.Describe() + " " + Symbol + " " + Right.Describe();
}
