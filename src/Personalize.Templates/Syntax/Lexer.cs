using System.Globalization;
using System.Numerics;
using System.Text;

namespace Personalize.Templates.Syntax;

/// <summary>
/// Turns Scriban template source into tokens: raw text, code enter/exit with whitespace control, and code tokens.
/// Whitespace control (<c>{{-</c>, <c>-}}</c>, <c>{{~</c>, <c>~}}</c>) is applied to the raw text here.
/// </summary>
internal sealed class Lexer
{
    private readonly string _text;
    private readonly DiagnosticBag _diagnostics;
    private const int MaxInterpolationNesting = 64;

    private int _unclosedInterpolationAt = -1;


    private readonly List<Token> _tokens = new();
    private readonly bool _scientific;
    private int _pos;
    private readonly int _end;
    private char _pendingTrimNext;

    private Lexer(string text, DiagnosticBag diagnostics, bool scientific, int start, int end)
    {
        _text = text;
        _diagnostics = diagnostics;
        _scientific = scientific;
        _pos = start;
        _end = end;
    }

    public static List<Token> LexTemplate(string text, DiagnosticBag diagnostics, bool scientific)
    {
        // Builtin names are interned when the builtins are built; build them first so identifiers share those instances.
        _ = Builtins.BuiltinObjects.Root;
        var lexer = new Lexer(text, diagnostics, scientific, 0, text.Length);
        lexer.LexTemplateCore();
        return lexer._tokens;
    }

    /// <summary>Lexes a code-only range (an expression, or the inside of an interpolation).</summary>
    public static List<Token> LexCode(string text, int start, int end, DiagnosticBag diagnostics, bool scientific)
    {
        var lexer = new Lexer(text, diagnostics, scientific, start, end);
        lexer.LexCodeCore(insideTemplate: false);
        lexer.Add(TokenKind.Eof, lexer._end, lexer._end, string.Empty);
        return lexer._tokens;
    }

    /// <summary>
    /// Shares one string instance per identifier (and reuses already-interned instances such as builtin and model member
    /// names) so that scope lookups hit the reference-equality fast path. Never adds untrusted names to the intern pool.
    /// </summary>
    private string Name(string name)
    {
        if (string.IsInterned(name) is { } interned)
        {
            return interned;
        }

        _names ??= new Dictionary<string, string>(StringComparer.Ordinal);
        if (_names.TryGetValue(name, out var existing))
        {
            return existing;
        }

        _names[name] = name;
        return name;
    }

    private Dictionary<string, string>? _names;

    private char Peek(int offset = 0) => _pos + offset < _end ? _text[_pos + offset] : '\0';

    private Token Add(TokenKind kind, int start, int end, string text, object? value = null, bool space = false, char trim = '\0', bool verbatim = false)
    {
        var token = new Token { Kind = kind, Start = start, End = end, Text = text, Value = value, SpaceBefore = space, Trim = trim, Verbatim = verbatim };
        _tokens.Add(token);
        return token;
    }

    private void LexTemplateCore()
    {
        while (_pos < _end)
        {
            var textStart = _pos;
            var escapeLevel = -1;
            while (_pos < _end)
            {
                if (Peek() == '{' && Peek(1) == '{')
                {
                    break;
                }

                if (Peek() == '{' && Peek(1) == '%')
                {
                    var n = 1;
                    while (Peek(n) == '%')
                    {
                        n++;
                    }

                    if (Peek(n) == '{')
                    {
                        escapeLevel = n - 1;
                        break;
                    }
                }

                _pos++;
            }

            AddRaw(textStart, _pos);
            if (_pos >= _end)
            {
                break;
            }

            if (escapeLevel >= 0)
            {
                LexEscape(escapeLevel);
                continue;
            }

            // Code enter.
            var enterStart = _pos;
            _pos += 2;
            var trim = Peek() is '-' or '~' ? Peek() : '\0';
            if (trim != '\0')
            {
                _pos++;
            }

            TrimPrevious(trim);
            var token = new Token { Kind = TokenKind.CodeEnter, Start = enterStart, End = _pos, Text = "{{", Trim = trim, Indent = trim == '\0' ? IndentBefore(enterStart) : null };
            _tokens.Add(token);
            LexCodeCore(insideTemplate: true);
        }

        Add(TokenKind.Eof, _end, _end, string.Empty);
    }

    private void AddRaw(int start, int end, bool verbatim = false)
    {
        var raw = _text[start..end];
        if (!verbatim && _pendingTrimNext != '\0')
        {
            raw = _pendingTrimNext == '-' ? raw.TrimStart() : TrimStartSoft(raw);
        }

        _pendingTrimNext = '\0';
        if (raw.Length > 0 || verbatim)
        {
            Add(TokenKind.Raw, start, end, raw, verbatim: verbatim);
        }
    }

    private static string TrimStartSoft(string raw)
    {
        var i = 0;
        while (i < raw.Length && raw[i] is ' ' or '\t')
        {
            i++;
        }

        if (i < raw.Length && raw[i] == '\n')
        {
            i++;
        }
        else if (i + 1 < raw.Length && raw[i] == '\r' && raw[i + 1] == '\n')
        {
            i += 2;
        }

        return raw[i..];
    }

    /// <summary>
    /// Scriban's auto-indentation: the white space between the start of the line and a code enter, when nothing else
    /// precedes it on that line. Multi-line values printed by that code block are indented by it.
    /// </summary>
    private string? IndentBefore(int enter)
    {
        if (_tokens.Count == 0 || _tokens[^1] is not { Kind: TokenKind.Raw, Verbatim: false } previous || previous.Text.Length == 0)
        {
            return null;
        }

        var lineStart = enter;
        while (lineStart > 0 && _text[lineStart - 1] is ' ' or '\t')
        {
            lineStart--;
        }

        if (lineStart == enter || (lineStart > 0 && _text[lineStart - 1] != '\n') || previous.End != enter)
        {
            return null;
        }

        var indent = _text[lineStart..enter];
        return previous.Text.EndsWith(indent, StringComparison.Ordinal) ? indent : null;
    }

    private void TrimPrevious(char trim)
    {
        if (trim == '\0' || _tokens.Count == 0 || _tokens[^1] is not { Kind: TokenKind.Raw, Verbatim: false } previous)
        {
            return;
        }

        previous.Text = trim == '-' ? previous.Text.TrimEnd() : previous.Text.TrimEnd(' ', '\t');
    }

    private void LexEscape(int level)
    {
        var start = _pos;
        _pos += level + 2;
        var trim = Peek() is '-' or '~' ? Peek() : '\0';
        if (trim != '\0')
        {
            _pos++;
        }

        TrimPrevious(trim);
        var contentStart = _pos;
        var closing = "}" + new string('%', level) + "}";
        var close = _text.IndexOf(closing, _pos, _end - _pos, StringComparison.Ordinal);
        if (close < 0)
        {
            _diagnostics.Error(start, start + level + 2, $"The escape block `{{{new string('%', level)}{{` is not closed: add `{closing}` after the escaped text.");
            AddRaw(contentStart, _end, verbatim: true);
            _pos = _end;
            return;
        }

        var contentEnd = close;
        var exitTrim = '\0';
        if (contentEnd > contentStart && _text[contentEnd - 1] is '-' or '~')
        {
            exitTrim = _text[contentEnd - 1];
            contentEnd--;
        }

        _pendingTrimNext = '\0';
        AddRaw(contentStart, contentEnd, verbatim: true);
        _pos = close + closing.Length;
        _pendingTrimNext = exitTrim;
    }

    private void LexCodeCore(bool insideTemplate)
    {
        var braceDepth = 0;
        var space = false;
        while (true)
        {
            if (_pos >= _end)
            {
                return;
            }

            var c = Peek();
            var start = _pos;

            if (insideTemplate && braceDepth == 0)
            {
                if ((c is '-' or '~') && Peek(1) == '}' && Peek(2) == '}')
                {
                    _pos += 3;
                    Add(TokenKind.CodeExit, start, _pos, "}}", trim: c);
                    _pendingTrimNext = c;
                    return;
                }

                if (c == '}' && Peek(1) == '}')
                {
                    _pos += 2;
                    Add(TokenKind.CodeExit, start, _pos, "}}");
                    return;
                }
            }

            switch (c)
            {
                case ' ' or '\t' or '\r':
                    _pos++;
                    space = true;
                    continue;
                case '\n':
                    _pos++;
                    Add(TokenKind.NewLine, start, _pos, "\n");
                    space = false;
                    continue;
                case '#':
                    SkipComment(insideTemplate && braceDepth == 0);
                    space = true;
                    continue;
            }

            if (char.IsLetter(c) || c == '_')
            {
                _pos++;
                while (char.IsLetterOrDigit(Peek()) || Peek() == '_')
                {
                    _pos++;
                }

                if (_text.AsSpan(start, _pos - start).SequenceEqual("empty") && Peek() == '?' && Peek(1) is not ('?' or '.' or '!'))
                {
                    _pos++;
                }

                Add(TokenKind.Identifier, start, _pos, Name(_text[start.._pos]), space: space);
            }
            else if (char.IsAsciiDigit(c))
            {
                LexNumber(space);
            }
            else if (c == '$')
            {
                if (Peek(1) is '"' or '\'')
                {
                    _pos++;
                    LexInterpolated(start, space);
                }
                else
                {
                    _pos++;
                    if (Peek() == '$')
                    {
                        _pos++;
                    }
                    else
                    {
                        while (char.IsLetterOrDigit(Peek()) || Peek() == '_')
                        {
                            _pos++;
                        }
                    }

                    Add(TokenKind.Variable, start, _pos, _text[start.._pos], space: space);
                }
            }
            else if (c is '"' or '\'')
            {
                LexString(space);
            }
            else if (c == '`')
            {
                LexVerbatim(space);
            }
            else
            {
                var kind = LexOperator(c);
                if (kind == TokenKind.LBrace)
                {
                    braceDepth++;
                }
                else if (kind == TokenKind.RBrace && braceDepth > 0)
                {
                    braceDepth--;
                }

                Add(kind, start, _pos, _text[start.._pos], space: space);
                if (kind == TokenKind.Invalid)
                {
                    _diagnostics.Error(start, _pos, $"Unexpected character `{c}` in code.");
                }
            }

            space = false;
        }
    }

    private void SkipComment(bool canExit)
    {
        if (Peek(1) == '#')
        {
            _pos += 2;
            while (_pos < _end)
            {
                if (Peek() == '#' && Peek(1) == '#')
                {
                    _pos += 2;
                    return;
                }

                if (canExit && AtCodeClose())
                {
                    return;
                }

                _pos++;
            }

            return;
        }

        while (_pos < _end && Peek() != '\n')
        {
            if (canExit && AtCodeClose())
            {
                return;
            }

            _pos++;
        }
    }

    /// <summary>Whether a code block closes here: <c>}}</c>, or <c>-}}</c> / <c>~}}</c> with whitespace trimming.</summary>
    private bool AtCodeClose() => (Peek() == '}' && Peek(1) == '}') || (Peek() is '-' or '~' && Peek(1) == '}' && Peek(2) == '}');

    private TokenKind LexOperator(char c)
    {
        var n = Peek(1);
        var n2 = Peek(2);
        (TokenKind Kind, int Length) result = c switch
        {
            '(' => (TokenKind.LParen, 1),
            ')' => (TokenKind.RParen, 1),
            '[' => (TokenKind.LBracket, 1),
            ']' => (TokenKind.RBracket, 1),
            '{' => (TokenKind.LBrace, 1),
            '}' => (TokenKind.RBrace, 1),
            ',' => (TokenKind.Comma, 1),
            ';' => (TokenKind.SemiColon, 1),
            ':' => (TokenKind.Colon, 1),
            '@' => (TokenKind.At, 1),
            '^' => (TokenKind.Caret, 1),
            '.' when n == '.' && n2 == '<' => (TokenKind.DotDotLess, 3),
            '.' when n == '.' => (TokenKind.DotDot, 2),
            '.' => (TokenKind.Dot, 1),
            '?' when n == '?' => (TokenKind.Coalesce, 2),
            '?' when n == '!' => (TokenKind.NotCoalesce, 2),
            '?' when n == '.' => (TokenKind.QuestionDot, 2),
            '?' => (TokenKind.Question, 1),
            '=' when n == '=' => (TokenKind.Equal, 2),
            '=' => (TokenKind.Assign, 1),
            '!' when n == '=' => (TokenKind.NotEqual, 2),
            '!' => (TokenKind.Not, 1),
            '<' when n == '=' => (TokenKind.LessEqual, 2),
            '<' when n == '<' => (TokenKind.ShiftLeft, 2),
            '<' => (TokenKind.Less, 1),
            '>' when n == '=' => (TokenKind.GreaterEqual, 2),
            '>' when n == '>' => (TokenKind.ShiftRight, 2),
            '>' => (TokenKind.Greater, 1),
            '+' when n == '+' => (TokenKind.PlusPlus, 2),
            '+' when n == '=' => (TokenKind.PlusAssign, 2),
            '+' => (TokenKind.Plus, 1),
            '-' when n == '-' => (TokenKind.MinusMinus, 2),
            '-' when n == '=' => (TokenKind.MinusAssign, 2),
            '-' => (TokenKind.Minus, 1),
            '*' when n == '=' => (TokenKind.StarAssign, 2),
            '*' => (TokenKind.Star, 1),
            '/' when n == '/' && n2 == '=' => (TokenKind.DoubleSlashAssign, 3),
            '/' when n == '/' => (TokenKind.DoubleSlash, 2),
            '/' when n == '=' => (TokenKind.SlashAssign, 2),
            '/' => (TokenKind.Slash, 1),
            '%' when n == '=' => (TokenKind.PercentAssign, 2),
            '%' => (TokenKind.Percent, 1),
            '&' when n == '&' => (TokenKind.And, 2),
            '&' => (TokenKind.Ampersand, 1),
            '|' when n == '|' => (TokenKind.Or, 2),
            '|' when n == '>' => (TokenKind.PipeGreater, 2),
            '|' => (TokenKind.Pipe, 1),
            _ => (TokenKind.Invalid, 1),
        };
        _pos += result.Length;
        return result.Kind;
    }

    /// <summary>The most digits a number literal may have (a longer one is a diagnostic: its value would be slow to compute and print).</summary>
    internal const int MaxNumberLiteralDigits = 1000;

    private void LexNumber(bool space)
    {
        var start = _pos;
        object value;
        if (Peek() == '0' && Peek(1) is 'x' or 'X' or 'b' or 'B')
        {
            var hex = Peek(1) is 'x' or 'X';
            _pos += 2;
            var big = BigInteger.Zero;
            var count = 0;
            while (char.IsAsciiHexDigit(Peek()) || Peek() == '_')
            {
                var d = Peek();
                _pos++;
                if (d == '_' || ++count > MaxNumberLiteralDigits)
                {
                    continue;
                }

                var digit = d <= '9' ? d - '0' : (d | 0x20) - 'a' + 10;
                big = big * (hex ? 16 : 2) + digit;
            }

            var unsigned = false;
            if (Peek() is 'u' or 'U')
            {
                unsigned = true;
                _pos++;
            }

            if (count > MaxNumberLiteralDigits)
            {
                TooManyDigits(start, count);
                big = BigInteger.Zero;
            }

            value = unsigned && big <= uint.MaxValue ? (uint)big : Runtime.ScriptOperators.Narrow(big);
            Add(TokenKind.Number, start, _pos, _text[start.._pos], value, space);
            return;
        }

        var sb = new StringBuilder();
        ReadDigits(sb);
        var isFloat = false;
        if (Peek() == '.' && char.IsAsciiDigit(Peek(1)))
        {
            isFloat = true;
            sb.Append('.');
            _pos++;
            ReadDigits(sb);
        }

        var hasExponent = false;
        if (Peek() is 'e' or 'E' && (char.IsAsciiDigit(Peek(1)) || (Peek(1) is '+' or '-' && char.IsAsciiDigit(Peek(2)))))
        {
            hasExponent = true;
            sb.Append('e');
            _pos++;
            if (Peek() is '+' or '-')
            {
                sb.Append(Peek());
                _pos++;
            }

            ReadDigits(sb);
        }

        var suffix = Peek() switch
        {
            'f' or 'F' => 'f',
            'd' or 'D' => 'd',
            'm' or 'M' => 'm',
            'u' or 'U' => 'u',
            'l' or 'L' => 'l',
            _ => '\0',
        };
        if (suffix != '\0' && !char.IsLetterOrDigit(Peek(1)))
        {
            _pos++;
        }
        else
        {
            suffix = '\0';
        }

        var s = sb.ToString();
        var inv = CultureInfo.InvariantCulture;
        if (s.Length > MaxNumberLiteralDigits)
        {
            TooManyDigits(start, s.Length);
            Add(TokenKind.Number, start, _pos, _text[start.._pos], Runtime.Boxes.Int32(0), space);
            return;
        }

        switch (suffix)
        {
            case 'f':
                value = float.Parse(s, NumberStyles.Float, inv);
                break;
            case 'd':
                value = double.Parse(s, NumberStyles.Float, inv);
                break;
            case 'm':
                if (!decimal.TryParse(s, NumberStyles.Float, inv, out var m))
                {
                    _diagnostics.Error(start, _pos, $"The number `{_text[start.._pos]}` is outside the range of a decimal (about ±7.9e28). Drop the `m` suffix for a double.");
                }

                value = m;
                break;
            default:
                if (!isFloat && !hasExponent)
                {
                    var big = BigInteger.Parse(s, inv);
                    value = suffix == 'u' && big <= uint.MaxValue ? (uint)big : suffix == 'l' && big <= long.MaxValue ? (long)big : Runtime.ScriptOperators.Narrow(big);
                }
                else if (!isFloat && hasExponent && !s.Contains("e-", StringComparison.Ordinal)
                    && int.TryParse(s.AsSpan(s.IndexOf('e') + 1), NumberStyles.AllowLeadingSign, inv, out var exponent) && exponent <= 400)
                {
                    value = Runtime.ScriptOperators.Narrow(BigInteger.Parse(s.AsSpan(0, s.IndexOf('e')), NumberStyles.Integer, inv) * BigInteger.Pow(10, exponent));
                }
                else
                {
                    // Out-of-range exponents give infinity or zero, never an exception.
                    value = double.Parse(s, NumberStyles.Float, inv);
                }

                break;
        }

        Add(TokenKind.Number, start, _pos, _text[start.._pos], value, space);
    }

    private void TooManyDigits(int start, int digits) =>
        _diagnostics.Error(start, _pos, $"The number literal has {digits} digits; at most {MaxNumberLiteralDigits} are allowed. Shorten it, or pass large numbers in the model.");

    private void ReadDigits(StringBuilder sb)
    {
        while (char.IsAsciiDigit(Peek()) || (Peek() == '_' && char.IsAsciiDigit(Peek(1))))
        {
            if (Peek() != '_')
            {
                sb.Append(Peek());
            }

            _pos++;
        }
    }

    private void LexString(bool space)
    {
        var start = _pos;
        var quote = Peek();
        _pos++;
        var sb = new StringBuilder();
        while (true)
        {
            if (AtStringEnd(start, quote))
            {
                break;
            }

            var c = Peek();
            if (c == '\\')
            {
                ReadEscape(sb, start);
                continue;
            }

            sb.Append(c);
            _pos++;
        }

        Add(TokenKind.String, start, _pos, _text[start.._pos], sb.ToString(), space);
    }

    /// <summary>
    /// Whether a quoted string (Scriban <c>"…"</c>/<c>'…'</c>, plain or interpolated) that opened at <paramref name="start"/>
    /// ends here: at its closing <paramref name="quote"/> (consumed) or at the end of the input (reported as an error).
    /// </summary>
    private bool AtStringEnd(int start, char quote)
    {
        if (_pos >= _end)
        {
            _diagnostics.Error(start, _pos, $"Unexpected end of file while parsing a string not terminated by a {quote}");
            return true;
        }

        if (Peek() == quote)
        {
            _pos++;
            return true;
        }

        return false;
    }

    private void ReadEscape(StringBuilder sb, int stringStart)
    {
        _pos++;
        var e = Peek();
        _pos++;
        switch (e)
        {
            case 'n': sb.Append('\n'); break;
            case 'r': sb.Append('\r'); break;
            case 't': sb.Append('\t'); break;
            case 'b': sb.Append('\b'); break;
            case 'f': sb.Append('\f'); break;
            case '0': sb.Append('\0'); break;
            case 'u':
                ReadHexEscape(sb, 4, "Invalid unicode escape: write \\u followed by 4 hexadecimal digits, e.g. \\u00B1.");
                break;
            case 'x':
                ReadHexEscape(sb, 2, "Invalid hexadecimal escape: write \\x followed by 2 hexadecimal digits, e.g. \\x41.");
                break;
            case '\0' when _pos > _end:
                _diagnostics.Error(stringStart, _end, "Unexpected end of file in a string escape.");
                _pos = _end;
                break;
            default:
                sb.Append(e);
                break;
        }
    }

    /// <summary>Reads the <paramref name="digits"/> hexadecimal digits of a <c>\u</c> or <c>\x</c> escape as one character; reports <paramref name="error"/> when they are missing or invalid.</summary>
    private void ReadHexEscape(StringBuilder sb, int digits, string error)
    {
        if (_pos + digits <= _end && int.TryParse(_text.AsSpan(_pos, digits), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
        {
            sb.Append((char)code);
            _pos += digits;
        }
        else
        {
            _diagnostics.Error(_pos - 2, _pos, error);
        }
    }

    private void LexVerbatim(bool space)
    {
        var start = _pos;
        _pos++;
        var sb = new StringBuilder();
        while (true)
        {
            if (_pos >= _end)
            {
                _diagnostics.Error(start, _pos, "Unexpected end of file while parsing a verbatim string not terminated by a `");
                break;
            }

            if (Peek() == '`')
            {
                if (Peek(1) == '`')
                {
                    sb.Append('`');
                    _pos += 2;
                    continue;
                }

                _pos++;
                break;
            }

            sb.Append(Peek());
            _pos++;
        }

        Add(TokenKind.String, start, _pos, _text[start.._pos], sb.ToString(), space);
    }

    private void LexInterpolated(int start, bool space)
    {
        var quote = Peek();
        _pos++;
        var parts = new List<InterpolationPart>();
        var sb = new StringBuilder();

        // An unterminated string is reported where its last text fragment starts (after the last `{…}`), as Scriban does.
        var fragment = start;
        while (true)
        {
            if (AtStringEnd(fragment, quote))
            {
                break;
            }

            var c = Peek();
            if (c == '\\')
            {
                if (Peek(1) is '{' or '}')
                {
                    sb.Append(Peek(1));
                    _pos += 2;
                    continue;
                }

                ReadEscape(sb, start);
                continue;
            }

            if (c == '{')
            {
                if (sb.Length > 0)
                {
                    parts.Add(new InterpolationPart(sb.ToString(), 0, 0));
                    sb.Clear();
                }

                var exprStart = _pos + 1;
                var exprEnd = FindInterpolationEnd(exprStart);
                if (exprEnd < 0)
                {
                    var at = _unclosedInterpolationAt >= 0 ? _unclosedInterpolationAt : _pos;
                    _diagnostics.Error(at, at + 1, "Opened interpolated expression not closed on the same line. Close it with `}` before the end of the line, or write `\\{` for a literal brace.");
                    _pos = _end;
                    break;
                }

                parts.Add(new InterpolationPart(null, exprStart, exprEnd));
                _pos = exprEnd + 1;
                fragment = _pos;
                continue;
            }

            sb.Append(c);
            _pos++;
        }

        if (sb.Length > 0)
        {
            parts.Add(new InterpolationPart(sb.ToString(), 0, 0));
        }

        Add(TokenKind.InterpolatedString, start, _pos, _text[start.._pos], parts, space);
    }

    /// <summary>Finds the <c>}</c> closing an interpolation expression starting at <paramref name="from"/>, skipping nested strings and braces; -1 when the line ends first.</summary>
    private int FindInterpolationEnd(int from, int nesting = 0)
    {
        if (nesting > MaxInterpolationNesting)
        {
            return -1;
        }

        var depth = 0;
        var i = from;
        while (i < _end)
        {
            var c = _text[i];
            switch (c)
            {
                case '\n':
                    _unclosedInterpolationAt = i;
                    return -1;
                case '{':
                    depth++;
                    break;
                case '}':
                    if (depth == 0)
                    {
                        return i;
                    }

                    depth--;
                    break;
                case '"' or '\'' or '`':
                    i = SkipStringLiteral(i);
                    if (i < 0)
                    {
                        return -1;
                    }

                    continue;
                case '$' when i + 1 < _end && _text[i + 1] is '"' or '\'':
                    i = SkipInterpolatedLiteral(i + 1, nesting + 1);
                    if (i < 0)
                    {
                        return -1;
                    }

                    continue;
            }

            i++;
        }

        return -1;
    }

    private int SkipStringLiteral(int i)
    {
        var quote = _text[i++];
        while (i < _end)
        {
            var c = _text[i];
            if (c == '\\' && quote != '`')
            {
                i += 2;
                continue;
            }

            if (c == quote)
            {
                return i + 1;
            }

            i++;
        }

        return -1;
    }

    private int SkipInterpolatedLiteral(int i, int nesting)
    {
        var quote = _text[i++];
        while (i < _end)
        {
            var c = _text[i];
            if (c == '\\')
            {
                i += 2;
                continue;
            }

            if (c == quote)
            {
                return i + 1;
            }

            if (c == '{')
            {
                var end = FindInterpolationEnd(i + 1, nesting);
                if (end < 0)
                {
                    return -1;
                }

                i = end + 1;
                continue;
            }

            i++;
        }

        return -1;
    }
}
