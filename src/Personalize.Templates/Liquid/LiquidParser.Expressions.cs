using System.Globalization;
using Personalize.Templates.Runtime;
using Personalize.Templates.Syntax;

namespace Personalize.Templates.Liquid;

internal sealed partial class LiquidParser
{
    /// <summary><c>value | filter: a, b | filter</c>.</summary>
    private ScriptExpression? ParseFiltered(LiquidTokenStream tokens)
    {
        var saved = tokens.Depth;
        var expression = Plain(ParseValue(tokens));
        while (expression is not null && tokens.Current.Kind == LiquidTokenKind.Pipe)
        {
            var pipe = tokens.Next();
            if (!Deeper(tokens, pipe))
            {
                return null;
            }

            if (tokens.Current.Kind == LiquidTokenKind.Pipe && tokens.Current.Start == pipe.End)
            {
                Error(pipe.Start, tokens.Current.End, "Liquid writes `or`, not `||`: e.g. {% if a or b %}.");
                tokens.Fail();
                return null;
            }

            if (tokens.Current.Kind != LiquidTokenKind.Identifier)
            {
                Error(pipe.Start, Math.Max(tokens.Current.End, pipe.End), $"Expected a filter name after `|`, found {Describe(tokens.Current)}: write e.g. `| upcase` or `| default: \"friend\"`.");
                tokens.Fail();
                return null;
            }

            var nameToken = tokens.Next();
            if (tokens.Current.Kind is LiquidTokenKind.String or LiquidTokenKind.Number or LiquidTokenKind.Identifier)
            {
                Error(tokens.Current.Start, tokens.Current.End, $"The arguments of the filter `{nameToken.Text}` go after a colon: write `{nameToken.Text}: {_source.Text[tokens.Current.Start..tokens.Current.End]}`{(LiquidFilters.TryGet(nameToken.Text, out var known) ? $" (e.g. `{known.Usage}`)" : string.Empty)}.");
                tokens.Fail();
                return null;
            }

            var arguments = new List<CallArgument>();
            var positional = 0;
            if (tokens.Current.Kind == LiquidTokenKind.Colon)
            {
                var colon = tokens.Next();
                if (tokens.Current.Kind is LiquidTokenKind.Eof or LiquidTokenKind.Pipe)
                {
                    Error(colon.Start, colon.End, $"The filter `{nameToken.Text}` has a `:` but no argument after it: add a value (e.g. `{Usage(nameToken.Text)}`) or remove the `:`.");
                    tokens.Fail();
                    return null;
                }

                while (true)
                {
                    if (tokens.Current.Kind == LiquidTokenKind.Identifier && tokens.Peek(1).Kind == LiquidTokenKind.Colon)
                    {
                        var argumentName = tokens.Next().Text;
                        tokens.Next();
                        var namedValue = Plain(ParseValue(tokens));
                        if (namedValue is null)
                        {
                            return null;
                        }

                        arguments.Add(new CallArgument(argumentName, namedValue, false));
                    }
                    else
                    {
                        var value = Plain(ParseValue(tokens));
                        if (value is null)
                        {
                            return null;
                        }

                        arguments.Add(new CallArgument(null, value, false));
                        positional++;
                    }

                    if (tokens.Current.Kind != LiquidTokenKind.Comma)
                    {
                        break;
                    }

                    tokens.Next();
                }
            }

            var filterSpan = Span(nameToken.Start, tokens.Current.Start > nameToken.End ? PreviousEnd(tokens, nameToken) : nameToken.End);
            ScriptExpression target;
            if (LiquidFilters.TryGet(nameToken.Text, out var filter))
            {
                if (positional < filter.MinArguments || positional > filter.MaxArguments)
                {
                    var expected = filter.MinArguments == filter.MaxArguments
                        ? $"{filter.MinArguments} argument{(filter.MinArguments == 1 ? string.Empty : "s")}"
                        : $"{filter.MinArguments} to {filter.MaxArguments} arguments";
                    Error(nameToken.Start, nameToken.End, $"The filter `{filter.Name}` takes {expected}, but {positional} {(positional == 1 ? "was" : "were")} given. Write it as `{filter.Usage}`.");
                }

                target = new LiteralExpression(filter) { Span = Span(nameToken.Start, nameToken.End) };
            }
            else if (_options.Globals is { } globals && globals.TryGetValue(nameToken.Text, out var hostFunction) && hostFunction is IScriptFunction)
            {
                target = new GlobalVariable(nameToken.Text) { Span = Span(nameToken.Start, nameToken.End) };
            }
            else
            {
                Error(nameToken.Start, nameToken.End, $"Unknown filter `{nameToken.Text}`. {Suggest(nameToken.Text, LiquidFilters.Names, "filter")}");
                target = new LiteralExpression(null) { Span = Span(nameToken.Start, nameToken.End) };
            }

            var call = new CallExpression(target, arguments.ToArray(), parenthesized: false) { Span = filterSpan };
            expression = new PipeExpression(expression, call) { Span = Span(expression.Span.Start, filterSpan.Start + filterSpan.Length) };
        }

        tokens.Depth = saved;
        return expression;
    }

    /// <summary>
    /// <c>empty</c> and <c>blank</c> are special only as operands of a condition (<c>==</c>, <c>when</c>); as a value to output,
    /// filter, assign or switch on they are the empty text, as in Shopify's Liquid.
    /// </summary>
    private static ScriptExpression? Plain(ScriptExpression? expression) =>
        expression is LiteralExpression { Value: LiquidKeyword } keyword ? new LiteralExpression(string.Empty) { Span = keyword.Span } : expression;

    /// <summary>Counts one more level of nesting; past <see cref="TemplateLimits.MaxParseDepth"/> reports it and stops the tag.</summary>
    private bool Deeper(LiquidTokenStream tokens, LiquidToken at)
    {
        if (++tokens.Depth <= _options.Limits.MaxParseDepth)
        {
            return true;
        }

        if (!tokens.Failed)
        {
            Error(at.Start, at.End, $"This expression nests deeper than {_options.Limits.MaxParseDepth} levels (TemplateLimits.MaxParseDepth). Split it into several `assign` tags.");
        }

        tokens.Fail();
        return false;
    }

    private static int PreviousEnd(LiquidTokenStream tokens, LiquidToken fallback)
    {
        // The end of the last consumed token: the current token starts after it.
        var current = tokens.Current;
        return current.Kind == LiquidTokenKind.Eof ? current.End : Math.Max(fallback.End, current.Start - 1);
    }

    private static string Usage(string filter) => LiquidFilters.TryGet(filter, out var known) ? known.Usage : filter + ": value";

    /// <summary><c>a == b and c contains d or e</c>: <c>and</c>/<c>or</c> group from the right, like Liquid.</summary>
    private ScriptExpression? ParseCondition(LiquidTokenStream tokens)
    {
        var left = ParseComparison(tokens);
        if (left is null)
        {
            return null;
        }

        if (tokens.IsWord("and") || tokens.IsWord("or"))
        {
            var op = tokens.Next();
            if (!Deeper(tokens, op))
            {
                return null;
            }

            if (tokens.Current.Kind == LiquidTokenKind.Eof)
            {
                Error(op.Start, op.End, $"`{op.Text}` needs a condition after it, e.g. `{op.Text} customer.active`.");
                tokens.Fail();
                return null;
            }

            var right = ParseCondition(tokens);
            if (right is null)
            {
                return null;
            }

            return new BinaryExpression(op.Text == "and" ? BinaryOperator.And : BinaryOperator.Or, left, right, Span(op.Start, op.End))
            {
                Span = Span(left.Span.Start, right.Span.Start + right.Span.Length),
            };
        }

        return left;
    }

    private ScriptExpression? ParseComparison(LiquidTokenStream tokens)
    {
        var left = ParseValue(tokens);
        if (left is null)
        {
            return null;
        }

        LiquidComparison op;
        var token = tokens.Current;
        if (token.Kind == LiquidTokenKind.Comparison)
        {
            op = token.Text switch
            {
                "==" => LiquidComparison.Equal,
                "!=" or "<>" => LiquidComparison.NotEqual,
                "<" => LiquidComparison.Less,
                "<=" => LiquidComparison.LessEqual,
                ">" => LiquidComparison.Greater,
                _ => LiquidComparison.GreaterEqual,
            };
        }
        else if (tokens.IsWord("contains"))
        {
            op = LiquidComparison.Contains;
        }
        else
        {
            if (token.Kind == LiquidTokenKind.Assign)
            {
                Error(token.Start, token.End, "A single `=` assigns; to compare write `==`.");
                tokens.Fail();
                return null;
            }

            return left;
        }

        tokens.Next();
        if (tokens.Current.Kind == LiquidTokenKind.Eof)
        {
            Error(token.Start, token.End, $"`{token.Text}` needs a value on its right, e.g. `{left.Describe()} {token.Text} \"gold\"`.");
            tokens.Fail();
            return null;
        }

        var right = ParseValue(tokens);
        if (right is null)
        {
            return null;
        }

        return new LiquidComparisonExpression(op, left, right) { Span = Span(left.Span.Start, right.Span.Start + right.Span.Length) };
    }

    /// <summary>A literal, a range <c>(1..n)</c>, or a variable path <c>a.b[0]["c"]</c>.</summary>
    private ScriptExpression? ParseValue(LiquidTokenStream tokens)
    {
        var saved = tokens.Depth;
        if (!Deeper(tokens, tokens.Current))
        {
            return null;
        }

        var value = ParseValueCore(tokens);
        tokens.Depth = saved;
        return value;
    }

    private ScriptExpression? ParseValueCore(LiquidTokenStream tokens)
    {
        var token = tokens.Current;
        switch (token.Kind)
        {
            case LiquidTokenKind.String:
                tokens.Next();
                return new LiteralExpression(token.Text) { Span = Span(token.Start, token.End) };
            case LiquidTokenKind.Number:
                tokens.Next();
                return new LiteralExpression(ParseNumber(token.Text)) { Span = Span(token.Start, token.End) };
            case LiquidTokenKind.LParen:
                return ParseRange(tokens);
            case LiquidTokenKind.Identifier:
                tokens.Next();
                var span = Span(token.Start, token.End);
                switch (token.Text)
                {
                    case "true":
                        return new LiteralExpression(true) { Span = span };
                    case "false":
                        return new LiteralExpression(false) { Span = span };
                    case "nil" or "null":
                        return new LiteralExpression(null) { Span = span };
                    case "empty":
                        return new LiteralExpression(LiquidKeyword.Empty) { Span = span };
                    case "blank":
                        return new LiteralExpression(LiquidKeyword.Blank) { Span = span };
                }

                ScriptExpression result;
                if (token.Text is "forloop" or "tablerowloop" && tokens.Current.Kind == LiquidTokenKind.Dot && tokens.Peek(1).Kind == LiquidTokenKind.Identifier)
                {
                    tokens.Next();
                    var member = tokens.Next();
                    var parents = 0;
                    while (member.Text == "parentloop" && tokens.Current.Kind == LiquidTokenKind.Dot && tokens.Peek(1).Kind == LiquidTokenKind.Identifier)
                    {
                        parents++;
                        tokens.Next();
                        member = tokens.Next();
                    }

                    result = new LiquidLoopVariable(token.Text, member.Text, parents) { Span = Span(token.Start, member.End) };
                }
                else
                {
                    result = new LiquidVariableExpression(Name(token.Text)) { Span = span };
                }

                return ParsePath(tokens, result);
            case LiquidTokenKind.LBracket:
                // ["name"] at the start reads a variable by a computed name.
                return ParsePath(tokens, new ThisScopeExpression() { Span = Span(token.Start, token.Start) });
            case LiquidTokenKind.Invalid:
                // The tokenizer already reported this token.
                tokens.Fail();
                return null;
            case LiquidTokenKind.Eof:
                Error(token.Start, token.End, "Expected a value (a variable, \"text\", a number, true/false/nil or a range (1..5)) but the tag ends here.");
                tokens.Fail();
                return null;
            default:
                Error(token.Start, token.End, $"Expected a value (a variable, \"text\", a number, true/false/nil or a range (1..5)), found {Describe(token)}.");
                tokens.Fail();
                return null;
        }
    }

    private ScriptExpression? ParsePath(LiquidTokenStream tokens, ScriptExpression target)
    {
        while (true)
        {
            if (tokens.Current.Kind is LiquidTokenKind.Dot or LiquidTokenKind.LBracket && !Deeper(tokens, tokens.Current))
            {
                return null;
            }

            if (tokens.Current.Kind == LiquidTokenKind.Dot)
            {
                var dot = tokens.Next();
                if (tokens.Current.Kind != LiquidTokenKind.Identifier)
                {
                    Error(dot.Start, dot.End, $"Expected a member name after `{target.Describe()}.`, found {Describe(tokens.Current)}.");
                    tokens.Fail();
                    return null;
                }

                var name = tokens.Next();
                target = new LiquidMemberExpression(target, name.Text) { Span = Span(target.Span.Start, name.End) };
                continue;
            }

            if (tokens.Current.Kind == LiquidTokenKind.LBracket)
            {
                var open = tokens.Next();
                var index = ParseValue(tokens);
                if (index is null)
                {
                    return null;
                }

                if (tokens.Current.Kind != LiquidTokenKind.RBracket)
                {
                    Error(open.Start, tokens.Current.End, $"The `[` here is not closed: add `]`, e.g. {target.Describe()}[0].");
                    tokens.Fail();
                    return null;
                }

                var close = tokens.Next();
                target = target is ThisScopeExpression
                    ? new DynamicVariableExpression(index) { Span = Span(open.Start, close.End) }
                    : new LiquidIndexExpression(target, index) { Span = Span(target.Span.Start, close.End) };
                continue;
            }

            if (target is ThisScopeExpression)
            {
                Error(target.Span.Start, target.Span.Start + 1, "Expected a value.");
                tokens.Fail();
                return null;
            }

            return target;
        }
    }

    private ScriptExpression? ParseRange(LiquidTokenStream tokens)
    {
        var open = tokens.Next();
        var from = ParseValue(tokens);
        if (from is null)
        {
            return null;
        }

        if (tokens.Current.Kind != LiquidTokenKind.DotDot)
        {
            Error(open.Start, Math.Max(tokens.Current.End, open.End), $"A range is written `(start..end)`, e.g. (1..5); found {Describe(tokens.Current)} after `{from.Describe()}`.");
            tokens.Fail();
            return null;
        }

        tokens.Next();
        var to = ParseValue(tokens);
        if (to is null)
        {
            return null;
        }

        if (tokens.Current.Kind != LiquidTokenKind.RParen)
        {
            Error(open.Start, Math.Max(tokens.Current.End, open.End), "The range is not closed: add `)`, e.g. (1..5).");
            tokens.Fail();
            return null;
        }

        var close = tokens.Next();
        return new LiquidRangeExpression(from, to) { Span = Span(open.Start, close.End) };
    }

    private static object ParseNumber(string text)
    {
        if (text.Contains('.', StringComparison.Ordinal))
        {
            return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i))
        {
            return i;
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? l : double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>Placeholder for a path that starts with <c>[</c>; replaced while parsing the path.</summary>
    private sealed class ThisScopeExpression : ScriptExpression
    {
        public override object? Evaluate(TemplateContext context) => null;
    }
}
