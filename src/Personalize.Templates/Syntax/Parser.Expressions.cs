using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

internal sealed partial class Parser
{
    private static readonly HashSet<string> NotArgumentIdentifiers = new(StringComparer.Ordinal) { "end", "else", "when", "in", "then" };

    private ScriptExpression ParseExpression(bool allowAssign)
    {
        Enter();
        var savedNoCalls = _noCalls;
        _noCalls = 0;
        try
        {
            var expression = ParseConditional();
            if (!allowAssign && IsAssignment(Current.Kind))
            {
                _diagnostics.Error(expression.Span.Start, Current.End, "Error while parsing assign expression: Expression is only allowed for a top level assignment in: <target_expression> = <value_expression>");
                Next();
                if (!AtEndOfStatement)
                {
                    ParseConditional();
                }
            }

            return expression;
        }
        finally
        {
            _noCalls = savedNoCalls;
            Leave();
        }
    }

    private ScriptExpression ParseConditional()
    {
        var start = Current;
        var condition = ParsePipe();
        if (Current.Kind != TokenKind.Question)
        {
            return condition;
        }

        Next();
        SkipNewLines();
        Enter();
        try
        {
            var whenTrue = ParseConditional();
            SkipNewLines();
            if (Current.Kind != TokenKind.Colon)
            {
                Error(Current, $"Expecting `:` in the conditional expression `condition ? a : b` instead of `{Describe(Current)}`.");
                return condition;
            }

            Next();
            SkipNewLines();
            var whenFalse = ParseConditional();
            return new ConditionalExpression(condition, whenTrue, whenFalse) { Span = SpanFrom(start) };
        }
        finally
        {
            Leave();
        }
    }

    private bool IsPipe(TokenKind kind) => kind == TokenKind.PipeGreater || (kind == TokenKind.Pipe && !_options.Scientific);

    private ScriptExpression ParsePipe()
    {
        var start = Current;
        var left = ParseBinary(0);
        var chain = 0;
        try
        {
            return ParsePipeChain(start, left, ref chain);
        }
        finally
        {
            _depth -= chain;
        }
    }

    private ScriptExpression ParsePipeChain(Token start, ScriptExpression left, ref int chain)
    {
        while (IsPipe(Current.Kind))
        {
            Enter();
            chain++;
            Next();
            SkipNewLines();
            if (AtEndOfStatement || !CanStartExpression(Current))
            {
                Error(Current, $"Error while parsing pipe expression: Expecting <expression> instead of `{Describe(Current)}` in: <expression> | <expression>");
                return left;
            }

            var right = ParseOperand();
            left = new PipeExpression(left, right) { Span = SpanFrom(start) };
            if (BinaryPrecedence(Current.Kind, out _) > 0)
            {
                left = ParseBinaryRest(left, 0, start);
            }
        }

        return left;
    }

    private int BinaryPrecedence(TokenKind kind, out BinaryOperator op)
    {
        (op, var precedence) = kind switch
        {
            TokenKind.Coalesce => (BinaryOperator.Coalesce, 1),
            TokenKind.NotCoalesce => (BinaryOperator.NotCoalesce, 1),
            TokenKind.Or => (BinaryOperator.Or, 2),
            TokenKind.And => (BinaryOperator.And, 3),
            TokenKind.Pipe when _options.Scientific => (BinaryOperator.BinaryOr, 4),
            TokenKind.Ampersand => (BinaryOperator.BinaryAnd, 4),
            TokenKind.Equal => (BinaryOperator.Equal, 5),
            TokenKind.NotEqual => (BinaryOperator.NotEqual, 5),
            TokenKind.Less => (BinaryOperator.Less, 6),
            TokenKind.LessEqual => (BinaryOperator.LessEqual, 6),
            TokenKind.Greater => (BinaryOperator.Greater, 6),
            TokenKind.GreaterEqual => (BinaryOperator.GreaterEqual, 6),
            TokenKind.DotDot => (BinaryOperator.RangeInclusive, 7),
            TokenKind.DotDotLess => (BinaryOperator.RangeExclusive, 7),
            TokenKind.ShiftLeft => (BinaryOperator.ShiftLeft, 8),
            TokenKind.ShiftRight => (BinaryOperator.ShiftRight, 8),
            TokenKind.Plus => (BinaryOperator.Add, 9),
            TokenKind.Minus => (BinaryOperator.Subtract, 9),
            TokenKind.Star => (BinaryOperator.Multiply, 10),
            TokenKind.Slash => (BinaryOperator.Divide, 10),
            TokenKind.DoubleSlash => (BinaryOperator.DivideRound, 10),
            TokenKind.Percent => (BinaryOperator.Modulus, 10),
            TokenKind.Caret when _options.Scientific => (BinaryOperator.Power, 11),
            _ => (BinaryOperator.Add, 0),
        };
        return precedence;
    }

    private ScriptExpression ParseBinary(int minPrecedence)
    {
        var start = Current;
        var left = ParseOperand();
        return ParseBinaryRest(left, minPrecedence, start);
    }

    private ScriptExpression ParseBinaryRest(ScriptExpression left, int minPrecedence, Token start)
    {
        var chain = 0;
        try
        {
            return ParseBinaryChain(left, minPrecedence, start, ref chain);
        }
        finally
        {
            _depth -= chain;
        }
    }

    /// <summary>Each operator applied nests the tree one level deeper (evaluation recurses on it), so it counts toward <see cref="TemplateLimits.MaxParseDepth"/>.</summary>
    private ScriptExpression ParseBinaryChain(ScriptExpression left, int minPrecedence, Token start, ref int chain)
    {
        while (true)
        {
            var precedence = BinaryPrecedence(Current.Kind, out var op);
            if (precedence == 0 || precedence < minPrecedence)
            {
                return left;
            }

            Enter();
            chain++;

            var opToken = Next();
            SkipNewLines();
            if (AtEndOfStatement || !CanStartExpression(Current))
            {
                Error(Current, $"Error while parsing binary expression: Expecting an <expression> to the right of the operator instead of `{Describe(Current)}` in: <expression> operator <expression>");
                return left;
            }

            Enter();
            ScriptExpression right;
            try
            {
                right = ParseBinary(precedence + 1);
            }
            finally
            {
                Leave();
            }

            left = new BinaryExpression(op, left, right, SpanOf(opToken)) { Span = SpanFrom(start) };
        }
    }

    private bool CanStartExpression(Token token) => token.Kind switch
    {
        TokenKind.Number or TokenKind.String or TokenKind.InterpolatedString or TokenKind.Variable or TokenKind.Identifier => true,
        TokenKind.LParen or TokenKind.LBracket or TokenKind.LBrace => true,
        TokenKind.Not or TokenKind.Minus or TokenKind.Plus or TokenKind.At or TokenKind.Caret or TokenKind.PlusPlus or TokenKind.MinusMinus => true,
        _ => false,
    };

    private bool IsArgumentStart(Token token)
    {
        switch (token.Kind)
        {
            case TokenKind.Number or TokenKind.String or TokenKind.InterpolatedString or TokenKind.Variable or TokenKind.LBrace or TokenKind.At:
                return true;
            case TokenKind.Caret:
                return !_options.Scientific;
            case TokenKind.LParen or TokenKind.LBracket:
                return token.SpaceBefore;
            case TokenKind.Identifier:
                if (NotArgumentIdentifiers.Contains(token.Text))
                {
                    return false;
                }

                return !(_forHeader && ForParameterNames.Contains(token.Text));
            default:
                return false;
        }
    }

    /// <summary>An operand of a binary expression: a unary expression, turned into a call when arguments follow on the same line.</summary>
    private ScriptExpression ParseOperand()
    {
        var start = Current;
        var expression = ParseUnary();
        if (_noCalls > 0 || !IsArgumentStart(Current))
        {
            return expression;
        }

        var arguments = new List<CallArgument>();
        while (IsArgumentStart(Current))
        {
            var token = Current;
            if (token.Kind == TokenKind.Identifier && PeekToken(1) is { Kind: TokenKind.Colon, SpaceBefore: false })
            {
                Next();
                Next();
                if (AtEndOfStatement || !CanStartExpression(Current))
                {
                    Error(Current, $"Expecting a value for the named argument `{token.Text}` instead of `{Describe(Current)}`.");
                    break;
                }

                arguments.Add(new CallArgument(token.Text, ParseArgumentValue(), false));
                continue;
            }

            if (token.Kind == TokenKind.Caret)
            {
                Next();
                arguments.Add(new CallArgument(null, ParseArgumentValue(), true));
                continue;
            }

            arguments.Add(new CallArgument(null, ParseArgumentValue(), false));
            if (arguments[^1].Value is FunctionExpression)
            {
                break;
            }
        }

        return new CallExpression(expression, arguments.ToArray(), parenthesized: false) { Span = SpanFrom(start) };
    }

    /// <summary>
    /// One argument of a call without parentheses: a whole binary expression, as in Scriban (<c>x | string.slice 3 -1</c> is
    /// <c>string.slice x 2</c>, <c>1 | math.plus 1 == 2</c> adds <c>false</c>); names inside it are values, not calls.
    /// </summary>
    private ScriptExpression ParseArgumentValue()
    {
        _noCalls++;
        try
        {
            return ParseBinary(0);
        }
        finally
        {
            _noCalls--;
        }
    }

    private ScriptExpression ParseUnary()
    {
        Enter();
        try
        {
            var token = Current;
            UnaryOperator? op = token.Kind switch
            {
                TokenKind.Not => UnaryOperator.Not,
                TokenKind.Minus => UnaryOperator.Negate,
                TokenKind.Plus => UnaryOperator.Plus,
                TokenKind.At => UnaryOperator.Alias,
                TokenKind.Caret when !_options.Scientific => UnaryOperator.Expand,
                _ => null,
            };
            if (op is { } unary)
            {
                Next();
                if (AtEndOfStatement || !CanStartExpression(Current))
                {
                    Error(Current, $"Error while parsing unary expression: Expecting <expression> instead of `{Describe(Current)}` in: <operator> <expression>");
                    return new LiteralExpression(null) { Span = SpanOf(token) };
                }

                var operand = ParseUnary();
                if (unary == UnaryOperator.Negate && operand is LiteralExpression { Value: int or long or double or float or decimal } literal)
                {
                    object negated = literal.Value switch
                    {
                        int i => i == int.MinValue ? -(long)i : (object)(-i),
                        long l => -l,
                        double d => -d,
                        float f => -f,
                        _ => -(decimal)literal.Value!,
                    };
                    return new LiteralExpression(negated) { Span = SpanFrom(token) };
                }

                return new UnaryExpression(unary, operand) { Span = SpanFrom(token) };
            }

            if (token.Kind is TokenKind.PlusPlus or TokenKind.MinusMinus)
            {
                Next();
                var operand = ParseUnary();
                if (Unwrap(operand) is not ScriptAssignable target)
                {
                    Error(token, $"The operator `{token.Text}` needs a variable, member or indexer.");
                    return operand;
                }

                return new IncrementExpression(target, token.Kind == TokenKind.PlusPlus, prefix: true) { Span = SpanFrom(token) };
            }

            return ParsePostfix();
        }
        finally
        {
            Leave();
        }
    }

    private ScriptExpression ParsePostfix()
    {
        var start = Current;
        var expression = ParsePrimary();
        var chain = 0;
        try
        {
            return ParsePostfixChain(start, expression, ref chain);
        }
        finally
        {
            _depth -= chain;
        }
    }

    private ScriptExpression ParsePostfixChain(Token start, ScriptExpression expression, ref int chain)
    {
        while (true)
        {
            var token = Current;
            if (token.Kind is TokenKind.Dot or TokenKind.QuestionDot or TokenKind.LBracket or TokenKind.LParen or TokenKind.PlusPlus or TokenKind.MinusMinus && !token.SpaceBefore)
            {
                Enter();
                chain++;
            }

            if (token.Kind is TokenKind.Dot or TokenKind.QuestionDot && !token.SpaceBefore)
            {
                Next();
                var name = Current;
                if (name.Kind != TokenKind.Identifier && name.Kind != TokenKind.Number)
                {
                    Error(name, $"Expecting a member name after `{token.Text}` instead of `{Describe(name)}`.");
                    return expression;
                }

                Next();
                expression = new MemberExpression(expression, name.Text, token.Kind == TokenKind.QuestionDot) { Span = SpanOf(name) };
                continue;
            }

            if (token.Kind == TokenKind.LBracket && !token.SpaceBefore)
            {
                Next();
                SkipNewLines();
                if (Current.Kind == TokenKind.RBracket || AtEndOfStatement)
                {
                    Error(Current, $"Error while parsing indexer expression: Expecting <index_expression> instead of `{Describe(Current)}` in: <expression>[<index_expression>]");
                    if (Current.Kind == TokenKind.RBracket)
                    {
                        Next();
                    }
                    else
                    {
                        Error(Current, $"Unexpected `{Describe(Current)}`. Expecting ']'");
                    }

                    return expression;
                }

                var index = ParseExpression(false);
                SkipNewLines();
                if (Current.Kind != TokenKind.RBracket)
                {
                    Error(Current, $"Unexpected `{Describe(Current)}`. Expecting ']'");
                    return expression;
                }

                Next();
                expression = new IndexerExpression(expression, index) { Span = SpanFrom(start) };
                continue;
            }

            if (token.Kind == TokenKind.LParen && !token.SpaceBefore && expression is GlobalVariable or LocalVariable or MemberExpression or IndexerExpression or ArgumentsVariable)
            {
                expression = ParseParenthesizedCall(start, expression);
                continue;
            }

            if (token.Kind is TokenKind.PlusPlus or TokenKind.MinusMinus && !token.SpaceBefore && expression is ScriptAssignable target)
            {
                Next();
                expression = new IncrementExpression(target, token.Kind == TokenKind.PlusPlus, prefix: false) { Span = SpanFrom(start) };
                continue;
            }

            return expression;
        }
    }

    private ScriptExpression ParseParenthesizedCall(Token start, ScriptExpression target)
    {
        Next();
        var arguments = new List<CallArgument>();
        SkipNewLines();
        while (Current.Kind != TokenKind.RParen)
        {
            if (Current.Kind is TokenKind.Eof or TokenKind.CodeExit)
            {
                Error(Current, $"Invalid token `{Describe(Current)}`. Expecting a closing `)`.");
                return new CallExpression(target, arguments.ToArray(), parenthesized: true) { Span = SpanFrom(start) };
            }

            if (Current.Kind == TokenKind.Identifier && PeekToken(1) is { Kind: TokenKind.Colon })
            {
                var name = Next();
                Next();
                arguments.Add(new CallArgument(name.Text, ParseExpression(false), false));
            }
            else if (Current.Kind == TokenKind.Caret && !_options.Scientific)
            {
                Next();
                arguments.Add(new CallArgument(null, ParseExpression(false), true));
            }
            else
            {
                arguments.Add(new CallArgument(null, ParseExpression(false), false));
            }

            SkipNewLines();
            if (Current.Kind == TokenKind.Comma)
            {
                Next();
                SkipNewLines();
                continue;
            }

            if (Current.Kind != TokenKind.RParen)
            {
                Error(Current, $"Invalid token `{Describe(Current)}`. Expecting `,` or a closing `)`.");
                return new CallExpression(target, arguments.ToArray(), parenthesized: true) { Span = SpanFrom(start) };
            }
        }

        Next();
        return new CallExpression(target, arguments.ToArray(), parenthesized: true) { Span = SpanFrom(start) };
    }

    private ScriptExpression ParsePrimary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.Number:
                Next();
                return new LiteralExpression(token.Value) { Span = SpanOf(token) };
            case TokenKind.String:
                Next();
                return new LiteralExpression(token.Value) { Span = SpanOf(token), Quote = token.Text.Length > 0 && token.Text[0] is '\'' or '`' ? token.Text[0] : '"' };
            case TokenKind.InterpolatedString:
                Next();
                return ParseInterpolated(token);
            case TokenKind.Variable:
                Next();
                return ParseVariable(token);
            case TokenKind.Identifier:
                return ParseIdentifier(token);
            case TokenKind.LParen:
            {
                Next();
                SkipNewLines();
                if (Current.Kind == TokenKind.RParen || AtEndOfStatement && Current.Kind != TokenKind.NewLine)
                {
                    Error(Current, $"Expecting an expression inside `( )` instead of `{Describe(Current)}`.");
                    if (Current.Kind == TokenKind.RParen)
                    {
                        Next();
                    }

                    return new LiteralExpression(null) { Span = SpanOf(token) };
                }

                var inner = ParseExpression(false);
                SkipNewLines();
                if (Current.Kind != TokenKind.RParen)
                {
                    Error(Current, $"Invalid token `{Describe(Current)}`. Expecting a closing `)`.");
                    return new ParenthesizedExpression(inner) { Span = SpanFrom(token) };
                }

                Next();
                return new ParenthesizedExpression(inner) { Span = SpanFrom(token) };
            }

            case TokenKind.LBracket:
                return ParseArrayInitializer(token);
            case TokenKind.LBrace:
                return ParseObjectInitializer(token);
        }

        Error(token, $"Unexpected token `{Describe(token)}` while parsing expression");
        if (!AtEndOfStatement)
        {
            Next();
        }

        return new LiteralExpression(null) { Span = SpanOf(token) };
    }

    private ScriptExpression ParseVariable(Token token)
    {
        var span = SpanOf(token);
        var text = token.Text;
        if (text == "$")
        {
            return new ArgumentsVariable(-1) { Span = span };
        }

        if (text == "$$")
        {
            return new WrapBodyExpression { Span = span };
        }

        if (text.Length > 1 && char.IsDigit(text[1]) && int.TryParse(text.AsSpan(1), out var index))
        {
            return new ArgumentsVariable(index) { Span = span };
        }

        return new LocalVariable(text[1..]) { Span = span };
    }

    private ScriptExpression ParseIdentifier(Token token)
    {
        Next();
        var span = SpanOf(token);
        switch (token.Text)
        {
            case "true":
                return new LiteralExpression(true) { Span = span };
            case "false":
                return new LiteralExpression(false) { Span = span };
            case "null":
                return new LiteralExpression(null) { Span = span };
            case "empty":
                return new LiteralExpression(EmptyValue.Instance) { Span = span };
            case "this":
                return new ThisExpression { Span = span };
            case "do":
                return ParseAnonymousFunction(token);
            case "for" or "while" or "tablerow" when Current is { Kind: TokenKind.Dot, SpaceBefore: false }:
            {
                Next();
                var member = Current;
                if (member.Kind != TokenKind.Identifier)
                {
                    Error(member, $"Expecting a loop variable name after `{token.Text}.`, e.g. `{token.Text}.index`.");
                    return new LiteralExpression(null) { Span = span };
                }

                Next();
                var valid = token.Text switch
                {
                    "for" => member.Text is "index" or "rindex" or "first" or "last" or "even" or "odd" or "changed" or "length" or "index0" or "index1" or "rindex0" or "rindex1",
                    "while" => member.Text is "index" or "first" or "even" or "odd",
                    _ => member.Text is "index" or "rindex" or "first" or "last" or "even" or "odd" or "changed" or "length" or "col" or "col0" or "col1" or "col_first" or "col_last" or "row" or "index0" or "index1",
                };
                if (!valid)
                {
                    var known = token.Text == "for" || token.Text == "tablerow" ? "not supported" : "invalid";
                    Error(token, $"The loop variable <{token.Text}.{member.Text}> is {known}");
                }

                return new LoopVariableExpression(token.Text, member.Text) { Span = SpanOf(member) };
            }

            default:
                return new GlobalVariable(token.Text) { Span = span };
        }
    }

    private ScriptExpression ParseAnonymousFunction(Token start)
    {
        Enter();
        var savedNoCalls = _noCalls;
        var savedForHeader = _forHeader;
        _noCalls = 0;
        _forHeader = false;
        try
        {
            if (Current.Kind is TokenKind.NewLine or TokenKind.SemiColon)
            {
                Next();
            }

            var body = ParseFunctionBody(out var found);
            if (!found)
            {
                Error(EndNotFoundAt, "Error while parsing anonymous function: The <end> statement was not found in: do ... end");
            }

            var function = new ScriptFunctionDefinition("do", null, body, SpanOf(start));
            return new FunctionExpression(function) { Span = SpanOf(start) };
        }
        finally
        {
            _noCalls = savedNoCalls;
            _forHeader = savedForHeader;
            Leave();
        }
    }

    private ScriptExpression ParseInterpolated(Token token)
    {
        var parts = new List<object>();
        foreach (var part in (List<InterpolationPart>)token.Value!)
        {
            if (part.Text is not null)
            {
                parts.Add(part.Text);
                continue;
            }

            var tokens = Lexer.LexCode(_source.Text, part.ExpressionStart, part.ExpressionEnd, _diagnostics, _options.Scientific);
            var inner = new Parser(tokens, _source, _diagnostics, _options) { _depth = _depth };
            if (inner.Current.Kind == TokenKind.Eof)
            {
                _diagnostics.Error(part.ExpressionStart - 1, part.ExpressionEnd + 1, "An interpolation `{}` is empty: put an expression inside, or write `\\{` for a literal brace.");
                continue;
            }

            var expression = inner.ParseExpression(false);
            if (inner.Current.Kind != TokenKind.Eof)
            {
                inner.Error(inner.Current, $"Unexpected token `{Describe(inner.Current)}` while parsing expression");
            }

            parts.Add(expression);
        }

        return new InterpolatedStringExpression(parts.ToArray()) { Span = SpanOf(token) };
    }

    private ScriptExpression ParseArrayInitializer(Token start)
    {
        Next();
        var items = new List<ScriptExpression>();
        while (true)
        {
            SkipNewLines();
            if (Current.Kind == TokenKind.RBracket)
            {
                Next();
                break;
            }

            if (!CanStartExpression(Current))
            {
                if (items.Count > 0 && _tokens[_index - 1].Kind is TokenKind.Comma or TokenKind.NewLine && Current.Kind != TokenKind.Eof)
                {
                    var previous = _index - 1;
                    while (previous > 0 && _tokens[previous].Kind == TokenKind.NewLine)
                    {
                        previous--;
                    }

                    if (_tokens[previous].Kind == TokenKind.Comma)
                    {
                        Error(Current, $"Error while parsing array initializer: Expecting <expression> instead of `{Describe(Current)}` in: [item1, item2,...]");
                    }
                }

                Error(Current, $"Unexpected token found `{Describe(Current)}` while expecting `]`.");
                break;
            }

            items.Add(ParseExpression(false));
            SkipNewLines();
            if (Current.Kind == TokenKind.Comma)
            {
                Next();
                continue;
            }

            if (Current.Kind == TokenKind.RBracket)
            {
                Next();
                break;
            }

            Error(Current, $"Unexpected token found `{Describe(Current)}` while expecting `]`.");
            break;
        }

        return new ArrayInitializerExpression(items.ToArray()) { Span = SpanFrom(start) };
    }

    private ScriptExpression ParseObjectInitializer(Token start)
    {
        Next();
        var members = new List<KeyValuePair<string, ScriptExpression>>();
        while (true)
        {
            SkipNewLines();
            var key = Current;
            if (key.Kind == TokenKind.RBrace)
            {
                Next();
                break;
            }

            string name;
            if (key.Kind == TokenKind.Identifier)
            {
                name = key.Text;
            }
            else if (key.Kind == TokenKind.String)
            {
                name = (string)key.Value!;
            }
            else
            {
                Error(key, $"Unexpected token `{Describe(key)}` while parsing object initializer. Expecting a simple identifier for the member name.");
                SkipObjectInitializer();
                break;
            }

            Next();
            if (Current.Kind != TokenKind.Colon)
            {
                Error(Current, $"Unexpected token `{Describe(Current)}` Expecting a colon : after identifier `{name}` for object initializer member name");
                SkipObjectInitializer();
                break;
            }

            Next();
            SkipNewLines();
            if (!CanStartExpression(Current))
            {
                Error(Current, $"Unexpected token `{Describe(Current)}`. Expecting an expression for the value of the member.");
                SkipObjectInitializer();
                break;
            }

            members.Add(new KeyValuePair<string, ScriptExpression>(name, ParseExpression(false)));
            SkipNewLines();
            if (Current.Kind == TokenKind.Comma)
            {
                Next();
                continue;
            }

            if (Current.Kind == TokenKind.RBrace)
            {
                Next();
                break;
            }

            Error(Current, $"Unexpected token `{Describe(Current)}` while parsing object initializer. Expecting `,` or `}}`.");
            SkipObjectInitializer();
            break;
        }

        return new ObjectInitializerExpression(members.ToArray()) { Span = SpanFrom(start) };
    }

    private void SkipObjectInitializer()
    {
        var depth = 0;
        while (Current.Kind is not (TokenKind.Eof or TokenKind.CodeExit))
        {
            if (Current.Kind == TokenKind.LBrace)
            {
                depth++;
            }
            else if (Current.Kind == TokenKind.RBrace)
            {
                if (depth == 0)
                {
                    Next();
                    return;
                }

                depth--;
            }

            Next();
        }
    }
}
