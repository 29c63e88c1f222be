using Personalize.Templates.Runtime;

namespace Personalize.Templates.Syntax;

/// <summary>
/// Recursive-descent parser for Scriban templates and expressions. Never throws on bad input: problems become
/// diagnostics and parsing recovers at the next statement. Nesting is bounded by <see cref="TemplateLimits.MaxParseDepth"/>.
/// </summary>
internal sealed partial class Parser
{
    private static readonly HashSet<string> ForParameterNames = new(StringComparer.Ordinal) { "offset", "limit", "reversed", "cols" };

    private readonly List<Token> _tokens;
    private readonly SourceText _source;
    private readonly DiagnosticBag _diagnostics;
    private readonly TemplateOptions _options;
    private int _index;
    private int _depth;
    private int _loopDepth;
    private int _noCalls;
    private bool _forHeader;
    private string? _indent;

    /// <summary>The auto-indentation the block being parsed runs under: a string, null for none, or <see cref="UnknownIndent"/>.</summary>
    private object? _blockIndent;

    /// <summary>Function and wrap bodies run under their caller's indentation, not known at parse time.</summary>
    private static readonly object UnknownIndent = new();

    private Parser(List<Token> tokens, SourceText source, DiagnosticBag diagnostics, TemplateOptions options)
    {
        _tokens = tokens;
        _source = source;
        _diagnostics = diagnostics;
        _options = options;
    }

    public static ScriptBlock ParseTemplate(SourceText source, DiagnosticBag diagnostics, TemplateOptions options)
    {
        var tokens = Lexer.LexTemplate(source.Text, diagnostics, options.Scientific);
        var parser = new Parser(tokens, source, diagnostics, options);
        try
        {
            var block = parser.ParseBlock(null, out _);
            return block;
        }
        catch (ParseAbortException)
        {
            return new ScriptBlock(Array.Empty<ScriptStatement>());
        }
    }

    public static ScriptExpression? ParseStandaloneExpression(SourceText source, DiagnosticBag diagnostics, TemplateOptions options)
    {
        var tokens = Lexer.LexCode(source.Text, 0, source.Text.Length, diagnostics, options.Scientific);
        tokens.RemoveAll(t => t.Kind == TokenKind.NewLine);
        var parser = new Parser(tokens, source, diagnostics, options);
        try
        {
            if (parser.Current.Kind == TokenKind.Eof)
            {
                diagnostics.Error(0, 0, "The expression is empty: write a condition or value, e.g. `customer.stage == \"retention\"`.");
                return null;
            }

            var expression = parser.ParseExpression(false);
            if (parser.Current.Kind != TokenKind.Eof)
            {
                parser.Error(parser.Current, $"Unexpected token `{parser.Current}` after the end of the expression. Remove it or join the parts with an operator.");
            }

            return expression;
        }
        catch (ParseAbortException)
        {
            return null;
        }
    }

    /// <summary>Parses code without <c>{{ }}</c> (statements separated by <c>;</c> or newlines), as <c>object.eval</c> reads its text.</summary>
    public static ScriptBlock ParseCode(SourceText source, DiagnosticBag diagnostics, TemplateOptions options)
    {
        var tokens = Lexer.LexCode(source.Text, 0, source.Text.Length, diagnostics, options.Scientific);
        var parser = new Parser(tokens, source, diagnostics, options);
        try
        {
            return parser.ParseBlock(null, out _);
        }
        catch (ParseAbortException)
        {
            return new ScriptBlock(Array.Empty<ScriptStatement>());
        }
    }

    private Token Current => _tokens[_index];

    private Token PeekToken(int offset) => _tokens[Math.Min(_index + offset, _tokens.Count - 1)];

    private Token Next()
    {
        var token = _tokens[_index];
        if (_index < _tokens.Count - 1)
        {
            _index++;
        }

        return token;
    }

    private SourceSpan SpanOf(Token token) => _source.Span(token.Start, token.End);

    private SourceSpan SpanFrom(Token start) => _source.Span(start.Start, _tokens[Math.Max(0, _index - 1)].End);

    private void Error(Token token, string message) => _diagnostics.Error(token.Start, token.End, message);

    private static string Describe(Token token) => token.Kind switch
    {
        TokenKind.NewLine => "\\n",
        TokenKind.Eof => "<EOF>",
        TokenKind.CodeExit => "}}",
        TokenKind.Raw => "text",
        _ => token.Text,
    };

    private void Enter()
    {
        if (++_depth > _options.Limits.MaxParseDepth)
        {
            Error(Current, $"The template nests expressions or blocks deeper than {_options.Limits.MaxParseDepth} levels (TemplateLimits.MaxParseDepth). Simplify the template or split it into functions.");
            throw new ParseAbortException();
        }
    }

    private void Leave() => _depth--;

    private bool IsEndOfStatement(Token token) => token.Kind is TokenKind.NewLine or TokenKind.SemiColon or TokenKind.CodeExit or TokenKind.Eof or TokenKind.Raw or TokenKind.CodeEnter;

    private bool AtEndOfStatement => IsEndOfStatement(Current);

    private void SkipNewLines()
    {
        while (Current.Kind == TokenKind.NewLine)
        {
            Next();
        }
    }

    private void ExpectEndOfStatement()
    {
        switch (Current.Kind)
        {
            case TokenKind.NewLine or TokenKind.SemiColon:
                Next();
                return;
            case TokenKind.CodeExit or TokenKind.Eof or TokenKind.Raw or TokenKind.CodeEnter:
                return;
        }

        Error(Current, $"Invalid token found `{Describe(Current)}`. Expecting <EOL>/end of line.");
        SkipToEndOfStatement();
    }

    private void SkipToEndOfStatement()
    {
        while (!AtEndOfStatement)
        {
            Next();
        }

        if (Current.Kind is TokenKind.NewLine or TokenKind.SemiColon)
        {
            Next();
        }
    }

    private bool IsKeyword(Token token, string keyword) => token.Kind == TokenKind.Identifier && string.Equals(token.Text, keyword, StringComparison.Ordinal);

    /// <summary>Parses statements until one of <paramref name="terminators"/> starts a statement (not consumed) or the end.</summary>
    private ScriptBlock ParseBlock(string[]? terminators, out Token? terminator)
    {
        var first = _index;
        Enter();
        var statements = new List<ScriptStatement>();
        terminator = null;
        while (true)
        {
            var token = Current;
            switch (token.Kind)
            {
                case TokenKind.Eof:
                    Leave();
                    return new ScriptBlock(statements.ToArray()) { Weight = _index - first };
                case TokenKind.Raw:
                    Next();
                    if (token.Text.Length > 0)
                    {
                        statements.Add(new TextStatement(token.Text, _blockIndent as string) { Span = SpanOf(token) });
                    }

                    continue;
                case TokenKind.CodeEnter:
                    _indent = token.Indent;
                    Next();
                    continue;
                case TokenKind.CodeExit:
                    _indent = null;
                    Next();
                    continue;
                case TokenKind.NewLine or TokenKind.SemiColon:
                    Next();
                    continue;
                case TokenKind.Identifier when terminators is not null && Array.IndexOf(terminators, token.Text) >= 0 && !IsLoopVariableAccess():
                    terminator = token;
                    Leave();
                    return new ScriptBlock(statements.ToArray()) { Weight = _index - first };
            }

            var before = _index;

            // Scriban's auto-indentation: a statement runs under its code block's indentation (a `case` under none); where
            // that is not the one of the block around it, the statement sets it while it runs.
            var statementIndent = IsKeyword(token, "case") ? null : _indent;
            var outerIndent = _blockIndent;
            _blockIndent = statementIndent;
            var statement = ParseStatement();
            _blockIndent = outerIndent;
            if (statement is not null)
            {
                var sameIndent = outerIndent is null ? statementIndent is null : outerIndent is string outer && string.Equals(outer, statementIndent, StringComparison.Ordinal);
                statements.Add(sameIndent || statement is TextStatement ? statement : new IndentStatement(statement, statementIndent));
            }

            if (_index == before)
            {
                Next();
            }
        }
    }

    private bool IsLoopVariableAccess() =>
        Current.Kind == TokenKind.Identifier && Current.Text is "for" or "while" or "tablerow" && PeekToken(1) is { Kind: TokenKind.Dot, SpaceBefore: false };

    private ScriptStatement? ParseStatement()
    {
        var token = Current;
        var next = PeekToken(1);
        var usedAsVariable = next.Kind == TokenKind.Assign || (next.Kind is TokenKind.Dot or TokenKind.LBracket or TokenKind.QuestionDot && !next.SpaceBefore);
        if (token.Kind == TokenKind.Identifier && (!usedAsVariable || IsKeyword(token, "else") || IsKeyword(token, "end")))
        {
            switch (token.Text)
            {
                case "if":
                    return ParseIf(token);
                case "else":
                    Error(token, "A else condition must be preceded by another if/else/when condition or a for loop.");
                    Next();
                    SkipToEndOfStatement();
                    return null;
                case "end":
                    Error(token, "Unexpected `end`: there is no open block (if/for/while/case/func/capture/with/wrap) to close. Remove it.");
                    Next();
                    SkipToEndOfStatement();
                    return null;
                case "when":
                    Error(token, "A `when` must be inside a `case … end` block.");
                    Next();
                    SkipToEndOfStatement();
                    return null;
                case "case":
                    return ParseCase(token);
                case "for":
                    return ParseFor(token, isTableRow: false);
                case "tablerow":
                    return ParseFor(token, isTableRow: true);
                case "while":
                    return ParseWhile(token);
                case "break" or "continue":
                    Next();
                    if (_loopDepth == 0)
                    {
                        Error(token, $"The <{token.Text}> statement can only be used inside for/while loops");
                    }

                    ExpectEndOfStatement();
                    return new FlowStatement(token.Text == "break" ? ControlFlow.Break : ControlFlow.Continue, null) { Span = SpanOf(token) };
                case "ret":
                    Next();
                    var value = AtEndOfStatement ? null : ParseExpression(false);
                    ExpectEndOfStatement();
                    return new FlowStatement(ControlFlow.Return, value) { Span = SpanFrom(token) };
                case "capture":
                    return ParseCapture(token);
                case "with":
                    return ParseWith(token);
                case "readonly":
                    return ParseReadOnly(token);
                case "import":
                    Next();
                    if (AtEndOfStatement)
                    {
                        Error(Current, $"Error while parsing import statement: Expecting <expression> instead of `{Describe(Current)}` in: import <expression>");
                        return null;
                    }

                    var source = ParseExpression(false);
                    ExpectEndOfStatement();
                    return new ImportStatement(source) { Span = SpanFrom(token) };
                case "func":
                    return ParseFunction(token);
                case "wrap":
                    return ParseWrap(token);
            }
        }

        return ParseExpressionStatement();
    }

    private ScriptStatement? ParseExpressionStatement()
    {
        var start = Current;
        var expression = ParseExpression(true);
        if (IsAssignment(Current.Kind))
        {
            var opToken = Next();
            if (opToken.Kind == TokenKind.Assign && expression is CallExpression { Parenthesized: true, Target: GlobalVariable or LocalVariable } inline)
            {
                return ParseInlineFunction(start, inline);
            }

            var target = Unwrap(expression);
            if (target is not ScriptAssignable assignable || target is ArgumentsVariable { Index: < 0 })
            {
                _diagnostics.Error(target.Span.Start, opToken.Start, "Unsupported target expression for assignment.");
                if (!AtEndOfStatement)
                {
                    ParseExpression(false);
                }

                ExpectEndOfStatement();
                return null;
            }

            if (AtEndOfStatement)
            {
                Error(Current, $"Error while parsing assign expression: Expecting <expression> instead of `{Describe(Current)}` in: <target_expression> = <value_expression>");
                SkipToEndOfStatement();
                return null;
            }

            var value = ParseExpression(false);
            ExpectEndOfStatement();
            return new AssignStatement(assignable, CompoundOperator(opToken.Kind), value) { Span = SpanFrom(start) };
        }

        ExpectEndOfStatement();
        return new ExpressionStatement(expression) { Span = expression.Span, Indent = _indent };
    }

    private static ScriptExpression Unwrap(ScriptExpression expression)
    {
        while (expression is ParenthesizedExpression p)
        {
            expression = p.Inner;
        }

        return expression;
    }

    private static bool IsAssignment(TokenKind kind) => kind is TokenKind.Assign or TokenKind.PlusAssign or TokenKind.MinusAssign or TokenKind.StarAssign or TokenKind.SlashAssign or TokenKind.DoubleSlashAssign or TokenKind.PercentAssign;

    private static BinaryOperator? CompoundOperator(TokenKind kind) => kind switch
    {
        TokenKind.PlusAssign => BinaryOperator.Add,
        TokenKind.MinusAssign => BinaryOperator.Subtract,
        TokenKind.StarAssign => BinaryOperator.Multiply,
        TokenKind.SlashAssign => BinaryOperator.Divide,
        TokenKind.DoubleSlashAssign => BinaryOperator.DivideRound,
        TokenKind.PercentAssign => BinaryOperator.Modulus,
        _ => null,
    };

    private ScriptStatement? ParseInlineFunction(Token start, CallExpression signature)
    {
        var parameters = new List<FunctionParameter>();
        foreach (var argument in signature.Arguments)
        {
            if (argument.Name is not null || argument.Value is not GlobalVariable parameter)
            {
                _diagnostics.Error(start.Start, Current.Start, "An inline function `f(x, y) = …` takes plain parameter names only.");
                SkipToEndOfStatement();
                return null;
            }

            parameters.Add(new FunctionParameter(parameter.Name, null, false));
        }

        if (AtEndOfStatement)
        {
            Error(Current, $"Error while parsing inline function: Expecting <expression> instead of `{Describe(Current)}` in: f(x) = <expression>");
            SkipToEndOfStatement();
            return null;
        }

        var bodyStart = _index;
        var body = ParseExpression(false);
        var weight = _index - bodyStart;
        ExpectEndOfStatement();
        var span = SpanFrom(start);
        var block = new ScriptBlock(new ScriptStatement[] { new FlowStatement(ControlFlow.Return, body) { Span = body.Span } }) { Weight = weight };
        var target = (ScriptAssignable)signature.Target;
        return new FunctionStatement(target, new ScriptFunctionDefinition(target.Describe(), parameters.ToArray(), block, span)) { Span = span };
    }

    private bool ExpectEnd(Token start, string statement, string syntax)
    {
        if (IsKeyword(Current, "end"))
        {
            Next();
            ExpectEndOfStatement();
            return true;
        }

        Error(EndNotFoundAt, $"Error while parsing {statement} statement: The <end> statement was not found in: {syntax}");
        return false;
    }

    /// <summary>Where a missing <c>end</c> is reported: as Scriban does, at the last token of the template when the block ran to its end.</summary>
    private Token EndNotFoundAt => Current.Kind == TokenKind.Eof && _tokens.Count > 1 ? _tokens[^2] : Current;

    private ScriptStatement? ParseIf(Token start)
    {
        Enter();
        try
        {
            Next();
            const string Syntax = "if <expression> ... end|else|else if";
            if (AtEndOfStatement)
            {
                Error(Current, $"Error while parsing if statement: Expecting <expression> instead of `{Describe(Current)}` in: {Syntax}");
                SkipToEndOfStatement();
            }

            var condition = AtEndOfStatement ? new LiteralExpression(null) : ParseExpression(false);
            ExpectEndOfStatement();
            var then = ParseBlock(new[] { "else", "end" }, out var terminator);
            ScriptStatement? otherwise = null;
            if (terminator is not null && terminator.Text == "else")
            {
                Next();
                if (IsKeyword(Current, "if"))
                {
                    otherwise = ParseIf(Current);
                    return new IfStatement(condition, then, otherwise) { Span = SpanOf(start) };
                }

                ExpectEndOfStatement();
                otherwise = ParseBlock(new[] { "end" }, out _);
            }

            ExpectEnd(start, "if", Syntax);
            return new IfStatement(condition, then, otherwise) { Span = SpanOf(start) };
        }
        finally
        {
            Leave();
        }
    }

    private ScriptStatement? ParseCase(Token start)
    {
        Next();
        if (AtEndOfStatement)
        {
            Error(Current, $"Error while parsing case statement: Expecting <expression> instead of `{Describe(Current)}` in: case <expression> when <expression> ... end");
        }

        var value = AtEndOfStatement ? new LiteralExpression(null) : ParseExpression(false);
        ExpectEndOfStatement();
        var whens = new List<WhenClause>();
        ScriptBlock? otherwise = null;
        while (true)
        {
            var token = Current;
            if (token.Kind is TokenKind.CodeEnter or TokenKind.CodeExit or TokenKind.NewLine or TokenKind.SemiColon || (token.Kind == TokenKind.Raw && string.IsNullOrWhiteSpace(token.Text)))
            {
                Next();
                continue;
            }

            if (token.Kind == TokenKind.Eof)
            {
                Error(EndNotFoundAt, "Error while parsing case statement: The <end> statement was not found in: case <expression> when <expression> ... end");
                break;
            }

            if (IsKeyword(token, "when"))
            {
                Next();
                var values = new List<ScriptExpression>();
                if (AtEndOfStatement)
                {
                    Error(Current, $"Error while parsing when statement: Expecting <expression> instead of `{Describe(Current)}` in: when <expression>");
                }
                else
                {
                    values.Add(ParseExpression(false));
                    while (Current.Kind is TokenKind.Comma or TokenKind.Or)
                    {
                        Next();
                        values.Add(ParseExpression(false));
                    }
                }

                ExpectEndOfStatement();
                var body = ParseBlock(new[] { "when", "else", "end" }, out _);
                whens.Add(new WhenClause(values.ToArray(), body));
                continue;
            }

            if (IsKeyword(token, "else"))
            {
                if (whens.Count == 0)
                {
                    Error(token, "A else condition must be preceded by another if/else/when condition or a for loop.");
                }

                Next();
                ExpectEndOfStatement();
                otherwise = ParseBlock(new[] { "end" }, out _);
                continue;
            }

            if (IsKeyword(token, "end"))
            {
                Next();
                ExpectEndOfStatement();
                break;
            }

            Error(token, $"Unexpected statement/expression `{Describe(token)}` in the body of a `case` statement. Only `when`/`else` are expected.");
            var before = _index;
            ParseStatement();
            if (before == _index)
            {
                Next();
            }
        }

        return new CaseStatement(value, whens.ToArray(), otherwise) { Span = SpanOf(start) };
    }

    private ScriptStatement? ParseFor(Token start, bool isTableRow)
    {
        var keyword = start.Text;
        var syntax = $"{keyword} <variable> in <expression> ... end";
        Next();
        ScriptAssignable? variable = null;
        var variableToken = Current;
        if (variableToken.Kind == TokenKind.Identifier)
        {
            variable = new GlobalVariable(variableToken.Text) { Span = SpanOf(variableToken) };
            Next();
        }
        else if (variableToken.Kind == TokenKind.Variable && variableToken.Text.Length > 1 && variableToken.Text != "$$")
        {
            variable = new LocalVariable(variableToken.Text[1..]) { Span = SpanOf(variableToken) };
            Next();
        }
        else
        {
            Error(start, $"Error while parsing {keyword} statement: Expecting a variable instead of `{Describe(variableToken)}` in: {syntax}");
        }

        ScriptExpression? iterable = null;
        ScriptExpression? offset = null, limit = null, cols = null;
        var reversed = false;
        if (variable is not null)
        {
            if (!IsKeyword(Current, "in"))
            {
                Error(start, $"Error while parsing {keyword} statement: Expecting 'in' word instead of `{Describe(Current)}` in: {syntax}");
            }
            else
            {
                Next();
                if (AtEndOfStatement)
                {
                    Error(Current, $"Error while parsing {keyword} statement: Expecting <expression> instead of `{Describe(Current)}` in: {syntax}");
                }
                else
                {
                    _forHeader = true;
                    try
                    {
                        iterable = ParseExpression(false);
                        while (Current.Kind == TokenKind.Identifier && ForParameterNames.Contains(Current.Text))
                        {
                            var name = Next();
                            if (name.Text == "reversed")
                            {
                                reversed = true;
                                continue;
                            }

                            if (Current.Kind != TokenKind.Colon)
                            {
                                Error(Current, $"Expecting `:` after `{name.Text}` in the {keyword} statement, e.g. `{name.Text}: 2`.");
                                break;
                            }

                            Next();
                            var argument = ParseArgumentValue();
                            switch (name.Text)
                            {
                                case "offset": offset = argument; break;
                                case "limit": limit = argument; break;
                                default: cols = argument; break;
                            }
                        }
                    }
                    finally
                    {
                        _forHeader = false;
                    }
                }
            }
        }

        ExpectEndOfStatement();
        _loopDepth++;
        ScriptBlock body;
        Token? terminator;
        try
        {
            body = ParseBlock(new[] { "else", "end" }, out terminator);
        }
        finally
        {
            _loopDepth--;
        }

        ScriptBlock? otherwise = null;
        if (terminator is not null && terminator.Text == "else")
        {
            Next();
            ExpectEndOfStatement();
            otherwise = ParseBlock(new[] { "end" }, out _);
        }

        ExpectEnd(start, keyword, syntax);
        if (variable is null || iterable is null)
        {
            return null;
        }

        return new ForStatement
        {
            Span = SpanOf(start),
            Variable = variable,
            Iterable = iterable,
            Offset = offset,
            Limit = limit,
            Columns = cols,
            Reversed = reversed,
            IsTableRow = isTableRow,
            Body = body,
            Else = otherwise,
        };
    }

    private ScriptStatement? ParseWhile(Token start)
    {
        const string Syntax = "while <expression> ... end";
        Next();
        ScriptExpression? condition = null;
        if (AtEndOfStatement)
        {
            Error(Current, $"Error while parsing while statement: Expecting <expression> instead of `{Describe(Current)}` in: {Syntax}");
        }
        else
        {
            condition = ParseExpression(false);
        }

        ExpectEndOfStatement();
        _loopDepth++;
        ScriptBlock body;
        try
        {
            body = ParseBlock(new[] { "end" }, out _);
        }
        finally
        {
            _loopDepth--;
        }

        ExpectEnd(start, "while", Syntax);
        return condition is null ? null : new WhileStatement(condition, body) { Span = SpanOf(start) };
    }

    private ScriptStatement? ParseCapture(Token start)
    {
        const string Syntax = "capture <variable> ... end";
        Next();
        ScriptAssignable? target = null;
        if (AtEndOfStatement)
        {
            Error(Current, $"Error while parsing capture statement: Expecting <expression> instead of `{Describe(Current)}` in: {Syntax}");
        }
        else
        {
            var expression = ParseExpression(false);
            target = Unwrap(expression) as ScriptAssignable;
            if (target is null)
            {
                _diagnostics.Error(expression.Span.Start, expression.Span.Start + expression.Span.Length, "The target of `capture` must be a variable, member or indexer.");
            }
        }

        ExpectEndOfStatement();
        var body = ParseBlock(new[] { "end" }, out _);
        ExpectEnd(start, "capture", Syntax);
        return target is null ? null : new CaptureStatement(target, body) { Span = SpanOf(start) };
    }

    private ScriptStatement? ParseWith(Token start)
    {
        const string Syntax = "with <variable> ... end";
        Next();
        ScriptExpression? target = null;
        var targetSpan = SpanOf(start);
        if (AtEndOfStatement)
        {
            Error(Current, $"Error while parsing with statement: Expecting <expression> instead of `{Describe(Current)}` in: {Syntax}");
        }
        else
        {
            var targetStart = Current;
            target = ParseExpression(false);
            targetSpan = SpanFrom(targetStart);
        }

        ExpectEndOfStatement();
        var body = ParseBlock(new[] { "end" }, out _);
        ExpectEnd(start, "with", Syntax);
        return target is null ? null : new WithStatement(target, body) { Span = targetSpan };
    }

    private ScriptStatement? ParseReadOnly(Token start)
    {
        Next();
        var name = Current;
        if (name.Kind != TokenKind.Identifier)
        {
            Error(name, $"Error while parsing readonly statement: Expecting a variable name instead of `{Describe(name)}` in: readonly <variable>");
            SkipToEndOfStatement();
            return null;
        }

        Next();
        ExpectEndOfStatement();
        return new ReadOnlyStatement(name.Text) { Span = SpanFrom(start) };
    }

    private ScriptStatement? ParseFunction(Token start)
    {
        const string Syntax = "func <variable> ... end";
        Next();
        var nameToken = Current;
        ScriptAssignable? target = null;
        if (nameToken.Kind == TokenKind.Identifier)
        {
            target = new GlobalVariable(nameToken.Text) { Span = SpanOf(nameToken) };
            Next();
        }
        else if (nameToken.Kind == TokenKind.Variable && nameToken.Text.Length > 1 && char.IsLetter(nameToken.Text[1]) || nameToken.Text.StartsWith("$_", StringComparison.Ordinal))
        {
            target = new LocalVariable(nameToken.Text[1..]) { Span = SpanOf(nameToken) };
            Next();
        }
        else
        {
            Error(nameToken, $"Error while parsing function statement: Expecting a function name instead of `{Describe(nameToken)}` in: {Syntax}");
        }

        FunctionParameter[]? parameters = null;
        if (target is not null && Current.Kind == TokenKind.LParen && !Current.SpaceBefore)
        {
            parameters = ParseParameters();
        }

        ExpectEndOfStatement();
        var body = ParseFunctionBody(out var found);
        if (!found)
        {
            Error(EndNotFoundAt, $"Error while parsing function statement: The <end> statement was not found in: {Syntax}");
        }
        else
        {
            ExpectEndOfStatement();
        }

        if (target is null)
        {
            return null;
        }

        return new FunctionStatement(target, new ScriptFunctionDefinition(target.Describe(), parameters, body, SpanOf(start))) { Span = SpanOf(start) };
    }

    private ScriptBlock ParseFunctionBody(out bool foundEnd)
    {
        var savedLoop = _loopDepth;
        var savedIndent = _blockIndent;
        _loopDepth = 0;
        _blockIndent = UnknownIndent;
        try
        {
            var body = ParseBlock(new[] { "end" }, out var terminator);
            foundEnd = terminator is not null;
            if (foundEnd)
            {
                // The caller checks what follows `end` (end of statement, or more of an expression for `do … end`).
                Next();
            }

            return body;
        }
        finally
        {
            _loopDepth = savedLoop;
            _blockIndent = savedIndent;
        }
    }

    private FunctionParameter[] ParseParameters()
    {
        Next();
        var parameters = new List<FunctionParameter>();
        var seenOptional = false;
        var seenVariadic = false;
        while (Current.Kind != TokenKind.RParen)
        {
            var name = Current;
            if (name.Kind != TokenKind.Identifier)
            {
                Error(name, $"Expecting a parameter name instead of `{Describe(name)}`.");
                while (!AtEndOfStatement && Current.Kind != TokenKind.RParen)
                {
                    Next();
                }

                break;
            }

            Next();
            if (Current.Kind == TokenKind.DotDot && PeekToken(1).Kind == TokenKind.Dot)
            {
                Next();
                Next();
                if (seenVariadic)
                {
                    Error(name, "A function can have only one variable parameter (`...`).");
                }

                seenVariadic = true;
                parameters.Add(new FunctionParameter(name.Text, null, true));
            }
            else if (Current.Kind == TokenKind.Assign)
            {
                Next();
                var defaultValue = ParseArgumentValue();
                if (seenVariadic)
                {
                    Error(name, "Cannot declare an optional parameter after a variable parameter (`...`).");
                }

                seenOptional = true;
                parameters.Add(new FunctionParameter(name.Text, defaultValue, false));
            }
            else
            {
                if (seenOptional || seenVariadic)
                {
                    Error(name, "Cannot declare a normal parameter after an optional parameter.");
                }

                parameters.Add(new FunctionParameter(name.Text, null, false));
            }

            if (Current.Kind == TokenKind.Comma)
            {
                Next();
                continue;
            }

            if (Current.Kind != TokenKind.RParen)
            {
                Error(Current, $"Expecting `,` or `)` in the parameter list instead of `{Describe(Current)}`.");
                break;
            }
        }

        if (Current.Kind == TokenKind.RParen)
        {
            Next();
        }

        return parameters.ToArray();
    }

    private ScriptStatement? ParseWrap(Token start)
    {
        const string Syntax = "wrap <function> <arguments> ... end";
        Next();
        ScriptExpression? call = null;
        if (AtEndOfStatement)
        {
            Error(Current, $"Error while parsing wrap statement: Expecting <expression> instead of `{Describe(Current)}` in: {Syntax}");
        }
        else
        {
            call = ParseExpression(false);
            var target = call is CallExpression c ? c.Target : call;
            if (target is not (GlobalVariable or LocalVariable or MemberExpression or IndexerExpression or ArgumentsVariable))
            {
                var kind = target is ParenthesizedExpression ? "nested expression" : target.GetType().Name;
                _diagnostics.Error(target.Span.Start, target.Span.Start + target.Span.Length, $"Expecting a direct function instead of the expression `{target.Describe()}/{kind}`");
                call = null;
            }
        }

        ExpectEndOfStatement();
        var savedIndent = _blockIndent;
        _blockIndent = UnknownIndent;
        var body = ParseBlock(new[] { "end" }, out _);
        _blockIndent = savedIndent;
        ExpectEnd(start, "wrap", Syntax);
        return call is null ? null : new WrapStatement(call, body) { Span = SpanOf(start) };
    }
}
