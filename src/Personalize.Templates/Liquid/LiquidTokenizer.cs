using Personalize.Templates.Syntax;

namespace Personalize.Templates.Liquid;

/// <summary>Splits the markup of one Liquid tag or output into tokens. Never throws: bad characters become <see cref="LiquidTokenKind.Invalid"/> tokens with a diagnostic.</summary>
internal static class LiquidTokenizer
{
    public static List<LiquidToken> Tokenize(string source, int start, int end, DiagnosticBag diagnostics)
    {
        var tokens = new List<LiquidToken>();
        var i = start;
        while (i < end)
        {
            var c = source[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var tokenStart = i;
            if (c == '$' && i + 1 < end && source[i + 1] == '{')
            {
                // Braze attribute syntax: ${first_name} is the variable first_name.
                var closeBrace = source.IndexOf('}', i + 2, end - i - 2);
                var name = closeBrace < 0 ? string.Empty : source[(i + 2)..closeBrace].Trim();
                if (name.Length == 0)
                {
                    diagnostics.Error(i, Math.Min(end, i + 2), "`${` starts an attribute name that is not closed: write ${first_name}.");
                    tokens.Add(new LiquidToken(LiquidTokenKind.Invalid, "${", i, i + 2));
                    i = closeBrace < 0 ? end : closeBrace + 1;
                    continue;
                }

                tokens.Add(new LiquidToken(LiquidTokenKind.Identifier, name, i, closeBrace + 1));
                i = closeBrace + 1;
                continue;
            }

            if (char.IsAsciiLetter(c) || c == '_')
            {
                i++;
                while (i < end && (char.IsAsciiLetterOrDigit(source[i]) || source[i] is '_' or '-'))
                {
                    i++;
                }

                if (i < end && source[i] == '?')
                {
                    i++;
                }

                tokens.Add(new LiquidToken(LiquidTokenKind.Identifier, source[tokenStart..i], tokenStart, i));
                continue;
            }

            if (char.IsAsciiDigit(c) || (c == '-' && i + 1 < end && char.IsAsciiDigit(source[i + 1])))
            {
                i++;
                while (i < end && char.IsAsciiDigit(source[i]))
                {
                    i++;
                }

                if (i + 1 < end && source[i] == '.' && char.IsAsciiDigit(source[i + 1]))
                {
                    i++;
                    while (i < end && char.IsAsciiDigit(source[i]))
                    {
                        i++;
                    }
                }

                tokens.Add(new LiquidToken(LiquidTokenKind.Number, source[tokenStart..i], tokenStart, i));
                continue;
            }

            switch (c)
            {
                case '"' or '\'':
                    var close = source.IndexOf(c, i + 1, end - i - 1);
                    if (close < 0)
                    {
                        diagnostics.Error(tokenStart, end, $"The string starting here is not closed: add the closing {c} before the end of the tag.");
                        tokens.Add(new LiquidToken(LiquidTokenKind.Invalid, source[tokenStart..end], tokenStart, end));
                        i = end;
                        continue;
                    }

                    tokens.Add(new LiquidToken(LiquidTokenKind.String, source[(i + 1)..close], tokenStart, close + 1));
                    i = close + 1;
                    continue;
                case '.':
                    if (i + 1 < end && source[i + 1] == '.')
                    {
                        tokens.Add(new LiquidToken(LiquidTokenKind.DotDot, "..", i, i + 2));
                        i += 2;
                    }
                    else
                    {
                        tokens.Add(new LiquidToken(LiquidTokenKind.Dot, ".", i, i + 1));
                        i++;
                    }

                    continue;
                case '=' or '!' or '<' or '>':
                    var two = i + 1 < end ? source.Substring(i, 2) : string.Empty;
                    if (two is "==" or "!=" or "<>" or "<=" or ">=")
                    {
                        tokens.Add(new LiquidToken(LiquidTokenKind.Comparison, two, i, i + 2));
                        i += 2;
                    }
                    else if (c is '<' or '>')
                    {
                        tokens.Add(new LiquidToken(LiquidTokenKind.Comparison, c.ToString(), i, i + 1));
                        i++;
                    }
                    else if (c == '=')
                    {
                        tokens.Add(new LiquidToken(LiquidTokenKind.Assign, "=", i, i + 1));
                        i++;
                    }
                    else
                    {
                        Invalid(source, tokens, diagnostics, ref i);
                    }

                    continue;
            }

            var kind = c switch
            {
                '[' => LiquidTokenKind.LBracket,
                ']' => LiquidTokenKind.RBracket,
                '(' => LiquidTokenKind.LParen,
                ')' => LiquidTokenKind.RParen,
                '|' => LiquidTokenKind.Pipe,
                ':' => LiquidTokenKind.Colon,
                ',' => LiquidTokenKind.Comma,
                _ => LiquidTokenKind.Invalid,
            };
            if (kind == LiquidTokenKind.Invalid)
            {
                Invalid(source, tokens, diagnostics, ref i);
                continue;
            }

            tokens.Add(new LiquidToken(kind, c.ToString(), i, i + 1));
            i++;
        }

        tokens.Add(new LiquidToken(LiquidTokenKind.Eof, string.Empty, end, end));
        return tokens;
    }

    private static void Invalid(string source, List<LiquidToken> tokens, DiagnosticBag diagnostics, ref int i)
    {
        var message = source[i] switch
        {
            '&' => "Liquid writes `and`, not `&&`: e.g. {% if a and b %}.",
            '!' => "Liquid has no `!` operator: write {% unless x %} or `x == false`, and `!=` for not equal.",
            '+' or '*' or '/' or '%' => $"Liquid has no `{source[i]}` operator: use the filters plus, times, divided_by or modulo (e.g. {{{{ x | plus: 1 }}}}).",
            _ => $"Unexpected character `{source[i]}` in Liquid markup. Remove it, or quote it if it is meant as text (e.g. \"{source[i]}\").",
        };
        var length = source[i] == '&' && i + 1 < source.Length && source[i + 1] == '&' ? 2 : 1;
        diagnostics.Error(i, i + length, message);
        tokens.Add(new LiquidToken(LiquidTokenKind.Invalid, source.Substring(i, length), i, i + length));
        i += length;
    }
}
