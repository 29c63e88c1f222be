using Personalize.Templates.Runtime;
using Personalize.Templates.Syntax;

namespace Personalize.Templates.Liquid;

/// <summary>
/// Parses Liquid into the same compiled node tree as Scriban syntax (if, case, for, capture, assign, pipes, …), adding a few
/// Liquid-only nodes where the semantics differ. Never throws on bad input: problems become diagnostics that say where and how to
/// fix them, and parsing goes on at the next tag. Nesting is bounded by <see cref="TemplateLimits.MaxParseDepth"/>.
/// </summary>
internal sealed partial class LiquidParser
{
    private static readonly string[] KnownTags =
    {
        "if", "elsif", "else", "endif", "unless", "endunless", "case", "when", "endcase", "for", "endfor", "break", "continue",
        "assign", "capture", "endcapture", "increment", "decrement", "cycle", "tablerow", "endtablerow", "raw", "endraw",
        "comment", "endcomment", "include", "render", "echo", "liquid", "ifchanged", "endifchanged", "doc", "enddoc",
    };

    private readonly List<LiquidSegment> _segments;
    private readonly SourceText _source;
    private readonly DiagnosticBag _diagnostics;
    private readonly TemplateOptions _options;
    private readonly List<(LiquidSegment Opener, string[] Stops)> _open = new();
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);

    // Statements that render nothing but whitespace (whitespace text, assign, capture, blocks of only those): a block whose
    // body holds only these drops its whitespace, as Shopify's Liquid does ("blank" blocks).
    private readonly HashSet<ScriptStatement> _blank = new(ReferenceEqualityComparer.Instance);
    private int _index;
    private int _depth;

    private LiquidParser(List<LiquidSegment> segments, SourceText source, DiagnosticBag diagnostics, TemplateOptions options)
    {
        _segments = segments;
        _source = source;
        _diagnostics = diagnostics;
        _options = options;
    }

    /// <summary>Parses a whole Liquid template.</summary>
    public static ScriptBlock ParseTemplate(SourceText source, DiagnosticBag diagnostics, TemplateOptions options)
    {
        var segments = LiquidScanner.Scan(source.Text, diagnostics);
        var parser = new LiquidParser(segments, source, diagnostics, options);
        try
        {
            // At the top level nothing is open, so stray closing tags are reported and skipped: this reads to the end.
            return parser.ParseBlock(Array.Empty<string>(), out _);
        }
        catch (ParseAbortException)
        {
            return new ScriptBlock(Array.Empty<ScriptStatement>());
        }
    }

    /// <summary>One string instance per variable name in a template, so variable nodes hit the scope's inline cache.</summary>
    private string Name(string name)
    {
        if (_names.TryGetValue(name, out var existing))
        {
            return existing;
        }

        _names.Add(name, name);
        return name;
    }

    private LiquidSegment? Current => _index < _segments.Count ? _segments[_index] : null;

    private SourceSpan Span(int start, int end) => _source.Span(start, end);

    private SourceSpan NameSpan(LiquidSegment tag) => Span(tag.NameStart, tag.NameStart + tag.Name.Length);

    private void Error(int start, int end, string message) => _diagnostics.Error(start, end, message);

    private void ErrorAt(LiquidSegment tag, string message) => Error(tag.NameStart, tag.NameStart + Math.Max(1, tag.Name.Length), message);

    private string Location(LiquidSegment segment)
    {
        var span = Span(segment.Start, segment.End);
        return $"line {span.Line}, column {span.Column}";
    }

    private void Enter(LiquidSegment at)
    {
        if (++_depth > _options.Limits.MaxParseDepth)
        {
            ErrorAt(at, $"The template nests blocks deeper than {_options.Limits.MaxParseDepth} levels (TemplateLimits.MaxParseDepth). Flatten the template or move parts into partials.");
            throw new ParseAbortException();
        }
    }

    private void Leave() => _depth--;

    /// <summary>Parses until a tag named in <paramref name="stops"/> (not consumed), a closing tag of an outer block, or the end.</summary>
    private ScriptBlock ParseBlock(string[] stops, out LiquidSegment? terminator)
    {
        var first = _index;
        var statements = new List<ScriptStatement>();
        terminator = null;
        while (Current is { } segment)
        {
            switch (segment.Kind)
            {
                case LiquidSegmentKind.Text:
                    _index++;
                    var text = new TextStatement(segment.Text) { Span = Span(segment.Start, segment.End) };
                    if (!segment.Raw && string.IsNullOrWhiteSpace(segment.Text))
                    {
                        _blank.Add(text);
                    }

                    statements.Add(text);
                    continue;
                case LiquidSegmentKind.Output:
                    _index++;
                    var output = ParseOutput(segment);
                    if (output is not null)
                    {
                        statements.Add(output);
                    }

                    continue;
            }

            if (Array.IndexOf(stops, segment.Name) >= 0)
            {
                terminator = segment;
                return new ScriptBlock(statements.ToArray()) { Weight = _index - first };
            }

            if (IsClosingTag(segment.Name))
            {
                if (ClosesOuterBlock(segment.Name))
                {
                    // Let the outer block take it; the block being parsed reports that it is not closed.
                    terminator = segment;
                    return new ScriptBlock(statements.ToArray()) { Weight = _index - first };
                }

                _index++;
                ReportStray(segment);
                continue;
            }

            _index++;
            var statement = ParseTag(segment);
            if (statement is not null)
            {
                statements.Add(statement);
            }
        }

        return new ScriptBlock(statements.ToArray()) { Weight = _index - first };
    }

    private static bool IsClosingTag(string name) => name.StartsWith("end", StringComparison.Ordinal) || name is "else" or "elsif" or "when";

    private bool ClosesOuterBlock(string name)
    {
        foreach (var (_, stops) in _open)
        {
            if (Array.IndexOf(stops, name) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    private void ReportStray(LiquidSegment tag)
    {
        var message = tag.Name switch
        {
            "else" => "`{% else %}` has no open `if`, `unless`, `case` or `for` to belong to. Remove it or add the opening tag before it.",
            "elsif" => "`{% elsif %}` has no open `if` or `unless` to belong to. Remove it or add `{% if … %}` before it.",
            "when" => "`{% when %}` must be inside `{% case … %}` … `{% endcase %}`.",
            _ when KnownOpener(tag.Name) is { } opener => $"`{{% {tag.Name} %}}` has no open `{opener}` to close. Remove it, or add `{{% {opener} … %}}` before it.",
            _ => $"Unknown tag `{tag.Name}`. {Suggest(tag.Name, KnownTags, "tag")}",
        };
        ErrorAt(tag, message);
    }

    private static string? KnownOpener(string closing) =>
        closing.Length > 3 && Array.IndexOf(KnownTags, closing) >= 0 && Array.IndexOf(KnownTags, closing[3..]) >= 0 ? closing[3..] : null;

    private ScriptBlock ParseBody(LiquidSegment opener, string[] stops, out LiquidSegment? terminator)
    {
        Enter(opener);
        _open.Add((opener, stops));
        try
        {
            var body = ParseBlock(stops, out terminator);
            return body;
        }
        finally
        {
            _open.RemoveAt(_open.Count - 1);
            Leave();
        }
    }

    /// <summary>Consumes the closing tag <paramref name="end"/> when it is current; otherwise reports the unclosed block.</summary>
    private void ExpectEnd(LiquidSegment opener, LiquidSegment? terminator, string end)
    {
        if (terminator is not null && terminator.Name == end && terminator.Group != opener.Group)
        {
            _index++;
            ErrorAt(terminator, terminator.Group != 0
                ? $"`{end}` inside a `liquid` tag cannot close the `{opener.Name}` opened outside it: close it after the `liquid` tag with {{% {end} %}}."
                : $"`{{% {end} %}}` cannot close the `{opener.Name}` opened inside a `liquid` tag: close it inside that tag.");
            return;
        }

        if (terminator is not null && terminator.Name == end)
        {
            _index++;
            ExpectNoMarkup(terminator);
            return;
        }

        var found = terminator is null ? "the end of the template" : $"`{{% {terminator.Name} %}}` at {Location(terminator)}";
        ErrorAt(opener, $"The `{opener.Name}` tag is never closed: add `{{% {end} %}}` (found {found} first).");
    }

    private void ExpectNoMarkup(LiquidSegment tag)
    {
        var markup = _source.Text.AsSpan(tag.MarkupStart, tag.MarkupEnd - tag.MarkupStart);
        if (!markup.IsWhiteSpace())
        {
            var trimmedStart = tag.MarkupStart + (markup.Length - markup.TrimStart().Length);
            Error(trimmedStart, tag.MarkupEnd, $"`{tag.Name}` takes nothing after its name: remove `{markup.Trim().ToString()}`.");
        }
    }

    private ScriptStatement? ParseTag(LiquidSegment tag)
    {
        switch (tag.Name)
        {
            case "if":
                return ParseIf(tag, negate: false);
            case "unless":
                return ParseIf(tag, negate: true);
            case "case":
                return ParseCase(tag);
            case "for":
                return ParseFor(tag, tableRow: false);
            case "tablerow":
                return ParseFor(tag, tableRow: true);
            case "break" or "continue":
                // As in Shopify's Liquid, also outside a loop (or in a partial that a loop includes): it stops the rendering
                // of the enclosing blocks up to the nearest loop, or of the rest of the template.
                ExpectNoMarkup(tag);
                return new FlowStatement(tag.Name == "break" ? ControlFlow.Break : ControlFlow.Continue, null) { Span = NameSpan(tag) };
            case "assign":
                return ParseAssign(tag);
            case "capture":
                return ParseCapture(tag);
            case "increment" or "decrement":
                return ParseCounter(tag);
            case "cycle":
                return ParseCycle(tag);
            case "include" or "render":
                return ParseInclude(tag);
            case "echo":
                return ParseOutput(tag);
            case "ifchanged":
                return ParseIfChanged(tag);
            case "":
                Error(tag.Start, tag.End, "This tag has no name: write a tag such as {% if … %}, {% for … %} or {% assign … %}, or use {{ … }} to output a value.");
                return null;
            default:
                ReportStray(tag);
                return null;
        }
    }

    private ScriptStatement? ParseOutput(LiquidSegment segment)
    {
        var tokens = Tokens(segment);
        if (tokens.Current.Kind == LiquidTokenKind.Eof)
        {
            return null;
        }

        var expression = ParseFiltered(tokens);
        ExpectEndOfMarkup(tokens, segment);
        return expression is null ? null : new LiquidOutputStatement(expression) { Span = Span(segment.Start, segment.End) };
    }

    private ScriptStatement? ParseIf(LiquidSegment tag, bool negate)
    {
        var end = negate ? "endunless" : "endif";
        var stops = new[] { "elsif", "else", end };
        var branches = new List<(ScriptExpression Condition, ScriptBlock Body)>();
        var condition = ParseConditionOf(tag);
        if (negate && condition is not null)
        {
            condition = new UnaryExpression(UnaryOperator.Not, condition) { Span = condition.Span };
        }

        var body = ParseBody(tag, stops, out var terminator);
        if (condition is not null)
        {
            branches.Add((condition, body));
        }

        ScriptBlock? otherwise = null;
        while (terminator is not null && terminator.Name is "elsif" or "else" && terminator.Kind == LiquidSegmentKind.Tag)
        {
            var branch = terminator;
            _index++;
            if (branch.Name == "elsif")
            {
                var elsif = ParseConditionOf(branch);
                var elsifBody = ParseBody(tag, stops, out terminator);
                if (otherwise is not null)
                {
                    // Shopify's Liquid never reaches an `elsif` after the `else`: ignored, with a warning.
                    _diagnostics.Warning(branch.NameStart, branch.NameStart + branch.Name.Length, $"`{{% elsif %}}` after `{{% else %}}` never renders in this `{tag.Name}`: move it before the `else`.");
                    continue;
                }

                if (elsif is not null)
                {
                    branches.Add((elsif, elsifBody));
                }

                continue;
            }

            if (!_source.Text.AsSpan(branch.MarkupStart, branch.MarkupEnd - branch.MarkupStart).IsWhiteSpace())
            {
                var markup = _source.Text.AsSpan(branch.MarkupStart, branch.MarkupEnd - branch.MarkupStart);
                var markupStart = branch.MarkupStart + (markup.Length - markup.TrimStart().Length);
                _diagnostics.Warning(markupStart, branch.MarkupEnd, "`{% else %}` takes no condition, so this text is ignored (as Shopify's Liquid does): for another condition write `{% elsif condition %}`.");
            }

            var elseBody = ParseBody(tag, new[] { end, "elsif", "else" }, out terminator);
            if (otherwise is not null)
            {
                // Shopify's Liquid never renders a second `else`: ignored, with a warning.
                _diagnostics.Warning(branch.NameStart, branch.NameStart + branch.Name.Length, $"This `{tag.Name}` already has an `{{% else %}}`, so this one never renders: remove one of them.");
                continue;
            }

            otherwise = elseBody;
        }

        ExpectEnd(tag, terminator, end);
        if (branches.Count == 0)
        {
            return null;
        }

        var blank = (otherwise is null || IsBlank(otherwise)) && branches.TrueForAll(b => IsBlank(b.Body));
        if (blank)
        {
            branches = branches.ConvertAll(b => (b.Condition, WithoutText(b.Body)));
            otherwise = otherwise is null ? null : WithoutText(otherwise);
        }

        ScriptStatement? tail = otherwise;
        for (var i = branches.Count - 1; i >= 0; i--)
        {
            tail = new IfStatement(branches[i].Condition, branches[i].Body, tail) { Span = NameSpan(tag) };
        }

        return blank ? Blank(tail!) : tail;
    }

    private ScriptExpression? ParseConditionOf(LiquidSegment tag)
    {
        var tokens = Tokens(tag);
        if (tokens.Current.Kind == LiquidTokenKind.Eof)
        {
            ErrorAt(tag, $"`{{% {tag.Name} %}}` needs a condition, e.g. {{% {tag.Name} customer.vip == true %}}.");
            return null;
        }

        var condition = ParseCondition(tokens);
        ExpectEndOfMarkup(tokens, tag);
        return condition;
    }

    private ScriptStatement? ParseCase(LiquidSegment tag)
    {
        var tokens = Tokens(tag);
        ScriptExpression? value = null;
        if (tokens.Current.Kind == LiquidTokenKind.Eof)
        {
            ErrorAt(tag, "`{% case %}` needs a value to compare, e.g. {% case customer.tier %}.");
        }
        else
        {
            value = Plain(ParseValue(tokens));
            ExpectEndOfMarkup(tokens, tag);
        }

        var stops = new[] { "when", "else", "endcase" };
        // Whatever stands before the first `when` is never rendered (as in Shopify's Liquid).
        ParseBody(tag, stops, out var terminator);

        // Liquid allows `else` anywhere among the `when`s (and more than one): each runs when no clause before it matched.
        var clauses = new List<WhenClause>();
        while (terminator is not null && terminator.Name is "when" or "else")
        {
            var branch = terminator;
            _index++;
            var candidates = new List<ScriptExpression>();
            if (branch.Name == "when")
            {
                var whenTokens = Tokens(branch);
                if (whenTokens.Current.Kind == LiquidTokenKind.Eof)
                {
                    ErrorAt(branch, "`{% when %}` needs one or more values, e.g. {% when 'gold', 'platinum' %}.");
                }
                else
                {
                    while (true)
                    {
                        var candidate = ParseValue(whenTokens);
                        if (candidate is not null)
                        {
                            candidates.Add(candidate);
                        }

                        if (whenTokens.Current.Kind == LiquidTokenKind.Comma || whenTokens.IsWord("or"))
                        {
                            whenTokens.Next();
                            continue;
                        }

                        break;
                    }

                    if (whenTokens.Current.Kind is not (LiquidTokenKind.Eof or LiquidTokenKind.Invalid) && !whenTokens.Failed)
                    {
                        // Shopify's lax parser ignores the rest; its strict parser (and this one) reports it.
                        Error(whenTokens.Current.Start, Math.Max(whenTokens.Current.End, whenTokens.Current.Start + 1), $"Unexpected {Describe(whenTokens.Current)} in this `when`: separate its values with `,` or `or`, e.g. {{% when 'gold', 'platinum' %}}.");
                    }
                }
            }

            var body = ParseBody(tag, stops, out terminator);
            if (branch.Name == "else" || candidates.Count > 0)
            {
                clauses.Add(new WhenClause(candidates.ToArray(), body));
            }
        }

        ExpectEnd(tag, terminator, "endcase");
        if (value is null)
        {
            return null;
        }

        var blank = clauses.TrueForAll(c => IsBlank(c.Body));
        if (blank)
        {
            clauses = clauses.ConvertAll(c => c with { Body = WithoutText(c.Body) });
        }

        var statement = new LiquidCaseStatement(value, clauses.ToArray()) { Span = NameSpan(tag) };
        return blank ? Blank(statement) : statement;
    }

    private ScriptStatement? ParseFor(LiquidSegment tag, bool tableRow)
    {
        var end = tableRow ? "endtablerow" : "endfor";
        var syntax = tableRow ? "{% tablerow item in items cols: 3 %}" : "{% for item in items limit: 3 %}";
        var tokens = Tokens(tag);
        string? variable = null;
        ScriptExpression? iterable = null, limit = null, offset = null, cols = null;
        var reversed = false;
        var offsetContinue = false;
        var headerOk = false;
        if (tokens.Current.Kind != LiquidTokenKind.Identifier || (tokens.IsWord("in") && tokens.Peek(1).Kind != LiquidTokenKind.Identifier) || (tokens.IsWord("in") && tokens.Peek(2).Kind != LiquidTokenKind.Identifier))
        {
            ErrorAt(tag, $"`{tag.Name}` needs a loop variable before `in`: write {syntax}.");
        }
        else
        {
            var variableToken = tokens.Next();
            variable = Name(variableToken.Text);
            if (!tokens.IsWord("in"))
            {
                Error(tokens.Current.Start, Math.Max(tokens.Current.End, tokens.Current.Start + 1), $"Expected `in` after the loop variable `{variable}`, found {Describe(tokens.Current)}: write {syntax}.");
            }
            else
            {
                tokens.Next();
                iterable = ParseValue(tokens);
                headerOk = iterable is not null;
                while (iterable is not null && tokens.Current.Kind != LiquidTokenKind.Eof)
                {
                    if (tokens.Current.Kind == LiquidTokenKind.Comma)
                    {
                        tokens.Next();
                        continue;
                    }

                    var attribute = tokens.Current;
                    if (attribute.Kind == LiquidTokenKind.Identifier && attribute.Text == "reversed" && !tableRow)
                    {
                        tokens.Next();
                        if (limit is not null || offset is not null || offsetContinue)
                        {
                            // Shopify reads `reversed` only right after the collection (its lax parser ignores it later on).
                            Error(attribute.Start, attribute.End, $"`reversed` must come right after the collection: write {{% for {variable} in … reversed limit: 3 %}}.");
                            headerOk = false;
                            break;
                        }

                        reversed = true;
                        continue;
                    }

                    if (attribute.Kind == LiquidTokenKind.Identifier && attribute.Text is "limit" or "offset" || (tableRow && attribute.Text == "cols"))
                    {
                        tokens.Next();
                        if (tokens.Current.Kind != LiquidTokenKind.Colon)
                        {
                            Error(attribute.Start, attribute.End, $"Expected `:` after `{attribute.Text}`: write `{attribute.Text}: 3`.");
                            headerOk = false;
                            break;
                        }

                        tokens.Next();
                        if (attribute.Text == "offset" && tokens.IsWord("continue"))
                        {
                            tokens.Next();
                            offsetContinue = true;
                            continue;
                        }

                        var argument = ParseValue(tokens);
                        switch (attribute.Text)
                        {
                            case "limit": limit = argument; break;
                            case "offset": offset = argument; break;
                            default: cols = argument; break;
                        }

                        continue;
                    }

                    var allowed = tableRow ? "`cols:`, `limit:` and `offset:`" : "`limit:`, `offset:` and `reversed`";
                    Error(attribute.Start, Math.Max(attribute.End, attribute.Start + 1), $"Unexpected {Describe(attribute)} in the `{tag.Name}` tag: only {allowed} may follow the collection, e.g. {syntax}.");
                    headerOk = false;
                    break;
                }
            }
        }

        var body = ParseBody(tag, tableRow ? new[] { end } : new[] { "else", end }, out var terminator);

        ScriptBlock? otherwise = null;
        if (terminator is not null && terminator.Name == "else")
        {
            _index++;
            ExpectNoMarkup(terminator);
            otherwise = ParseBody(tag, new[] { end }, out terminator);
        }

        ExpectEnd(tag, terminator, end);
        if (!headerOk || variable is null || iterable is null)
        {
            return null;
        }

        var blank = IsBlank(body) && (otherwise is null || IsBlank(otherwise));
        if (blank)
        {
            body = WithoutText(body);
            otherwise = otherwise is null ? null : WithoutText(otherwise);
        }

        var span = NameSpan(tag);
        var statement = new LiquidForStatement
        {
            Span = span,
            Variable = new GlobalVariable(variable) { Span = span },
            Iterable = new LiquidIterableExpression(iterable) { Span = iterable.Span },
            Name = variable + "-" + _source.Text.Substring(iterable.Span.Start, iterable.Span.Length),
            Limit = limit,
            Offset = offsetContinue ? null : offset,
            OffsetContinue = offsetContinue,
            Columns = cols,
            IsTableRow = tableRow,
            Reversed = reversed,
            Body = body,
            Else = otherwise,
        };
        return blank ? Blank(statement) : statement;
    }

    private ScriptStatement? ParseAssign(LiquidSegment tag)
    {
        var tokens = Tokens(tag);
        if (tokens.Current.Kind is not (LiquidTokenKind.Identifier or LiquidTokenKind.Number))
        {
            ErrorAt(tag, $"`assign` needs a variable name, found {Describe(tokens.Current)}: write {{% assign name = value %}}.");
            return null;
        }

        if (tokens.Current.Text.EndsWith('?'))
        {
            Error(tokens.Current.Start, tokens.Current.End, $"A variable set by `assign` cannot end with `?`: write {{% assign {tokens.Current.Text.TrimEnd('?')} = value %}}.");
            return null;
        }

        var name = tokens.Next();
        if (tokens.Current.Kind != LiquidTokenKind.Assign)
        {
            Error(tokens.Current.Start, Math.Max(tokens.Current.End, tokens.Current.Start + 1), $"Expected `=` after `{name.Text}`, found {Describe(tokens.Current)}: write {{% assign {name.Text} = value %}}.");
            return null;
        }

        var equals = tokens.Next();
        if (tokens.Current.Kind == LiquidTokenKind.Eof)
        {
            Error(equals.Start, equals.End, $"`assign {name.Text} =` needs a value after `=`, e.g. {{% assign {name.Text} = \"text\" %}}.");
            return null;
        }

        var value = ParseFiltered(tokens);
        ExpectEndOfMarkup(tokens, tag);
        if (value is null)
        {
            return null;
        }

        var span = Span(tag.Start, tag.End);
        return Blank(new AssignStatement(new LiquidAssignTarget(Name(name.Text)) { Span = Span(name.Start, name.End) }, null, value) { Span = span });
    }

    private ScriptStatement? ParseCapture(LiquidSegment tag)
    {
        var tokens = Tokens(tag);
        string? name = null;
        if (tokens.Current.Kind is LiquidTokenKind.Identifier or LiquidTokenKind.String or LiquidTokenKind.Number)
        {
            name = Name(tokens.Next().Text);
            ExpectEndOfMarkup(tokens, tag);
        }
        else
        {
            ErrorAt(tag, "`capture` needs a variable name: write {% capture greeting %}…{% endcapture %}.");
        }

        var body = ParseBody(tag, new[] { "endcapture" }, out var terminator);
        ExpectEnd(tag, terminator, "endcapture");
        return name is null ? null : Blank(new CaptureStatement(new LiquidAssignTarget(name) { Span = NameSpan(tag) }, body) { Span = NameSpan(tag) });
    }

    private ScriptStatement ParseIfChanged(LiquidSegment tag)
    {
        ExpectNoMarkup(tag);
        var body = ParseBody(tag, new[] { "endifchanged" }, out var terminator);
        ExpectEnd(tag, terminator, "endifchanged");
        var blank = IsBlank(body);
        var statement = new LiquidIfChangedStatement(blank ? WithoutText(body) : body) { Span = NameSpan(tag) };
        return blank ? Blank(statement) : statement;
    }

    private T Blank<T>(T statement)
        where T : ScriptStatement
    {
        _blank.Add(statement);
        return statement;
    }

    private bool IsBlank(ScriptBlock block)
    {
        foreach (var statement in block.Statements)
        {
            if (!_blank.Contains(statement))
            {
                return false;
            }
        }

        return true;
    }

    private static ScriptBlock WithoutText(ScriptBlock block) =>
        new(Array.FindAll(block.Statements, static s => s is not TextStatement)) { Span = block.Span };

    private ScriptStatement? ParseCounter(LiquidSegment tag)
    {
        var tokens = Tokens(tag);
        if (tokens.Current.Kind != LiquidTokenKind.Identifier)
        {
            ErrorAt(tag, $"`{tag.Name}` needs a counter name: write {{% {tag.Name} counter %}}.");
            return null;
        }

        var name = tokens.Next();
        ExpectEndOfMarkup(tokens, tag);
        return new LiquidCounterStatement(name.Text, tag.Name == "increment") { Span = NameSpan(tag) };
    }

    private ScriptStatement? ParseCycle(LiquidSegment tag)
    {
        var tokens = Tokens(tag);
        ScriptExpression? group = null;
        if (tokens.Current.Kind == LiquidTokenKind.Eof)
        {
            ErrorAt(tag, "`cycle` needs values: write {% cycle 'odd', 'even' %}.");
            return null;
        }

        if (tokens.Peek(1).Kind == LiquidTokenKind.Colon)
        {
            group = ParseValue(tokens);
            tokens.Next();
        }

        var values = new List<ScriptExpression>();
        var valuesStart = tokens.Current.Start;
        while (true)
        {
            var value = ParseValue(tokens);
            if (value is null)
            {
                return null;
            }

            values.Add(value);
            if (tokens.Current.Kind != LiquidTokenKind.Comma)
            {
                break;
            }

            tokens.Next();
        }

        var valuesEnd = tokens.Current.Start;
        ExpectEndOfMarkup(tokens, tag);
        var key = group is LiteralExpression { Value: string literal } ? "group:" + literal : _source.Text[valuesStart..valuesEnd].Replace(" ", string.Empty, StringComparison.Ordinal);
        return new LiquidCycleStatement(key, group is LiteralExpression ? null : group, values.ToArray()) { Span = NameSpan(tag) };
    }

    private ScriptStatement? ParseInclude(LiquidSegment tag)
    {
        var isolated = tag.Name == "render";
        var tokens = Tokens(tag);
        if (tokens.Current.Kind == LiquidTokenKind.Eof)
        {
            ErrorAt(tag, $"`{tag.Name}` needs a template name: write {{% {tag.Name} 'product-card' %}}.");
            return null;
        }

        if (isolated && tokens.Current.Kind != LiquidTokenKind.String)
        {
            Error(tokens.Current.Start, tokens.Current.End, $"`render` takes a quoted template name, found {Describe(tokens.Current)}: write {{% render 'product-card' %}} (use `include` for a name held in a variable).");
            return null;
        }

        var name = ParseValue(tokens);
        if (name is null)
        {
            return null;
        }

        ScriptExpression? with = null, forItems = null;
        string? alias = null;
        if (tokens.IsWord("with") || tokens.IsWord("for"))
        {
            var keyword = tokens.Next();
            var value = ParseValue(tokens);
            if (keyword.Text == "with")
            {
                with = value;
            }
            else
            {
                forItems = value;
            }

            if (tokens.IsWord("as"))
            {
                tokens.Next();
                if (tokens.Current.Kind != LiquidTokenKind.Identifier)
                {
                    Error(tokens.Current.Start, tokens.Current.End, $"Expected a variable name after `as`, found {Describe(tokens.Current)}.");
                    return null;
                }

                alias = tokens.Next().Text;
            }
        }

        var arguments = new List<KeyValuePair<string, ScriptExpression>>();
        while (tokens.Current.Kind != LiquidTokenKind.Eof)
        {
            if (tokens.Current.Kind == LiquidTokenKind.Comma)
            {
                tokens.Next();
                continue;
            }

            if (tokens.Current.Kind != LiquidTokenKind.Identifier || tokens.Peek(1).Kind != LiquidTokenKind.Colon)
            {
                Error(tokens.Current.Start, Math.Max(tokens.Current.End, tokens.Current.Start + 1), $"Unexpected {Describe(tokens.Current)} in `{tag.Name}`: pass variables as `name: value`, e.g. {{% {tag.Name} 'card', product: item %}}.");
                return null;
            }

            var key = tokens.Next().Text;
            tokens.Next();
            var argument = ParseValue(tokens);
            if (argument is null)
            {
                return null;
            }

            arguments.Add(new KeyValuePair<string, ScriptExpression>(key, argument));
        }

        return new LiquidIncludeStatement
        {
            Span = Span(tag.Start, tag.End),
            Name = name,
            Isolated = isolated,
            With = with,
            For = forItems,
            Alias = alias,
            Arguments = arguments.ToArray(),
        };
    }

    private LiquidTokenStream Tokens(LiquidSegment segment) => new(LiquidTokenizer.Tokenize(_source.Text, segment.MarkupStart, segment.MarkupEnd, _diagnostics));

    private void ExpectEndOfMarkup(LiquidTokenStream tokens, LiquidSegment segment)
    {
        if (tokens.Current.Kind == LiquidTokenKind.Pipe && segment.Kind == LiquidSegmentKind.Tag && !tokens.Failed)
        {
            var pipe = tokens.Current;
            Error(pipe.Start, pipe.End, tokens.Peek(1) is { Kind: LiquidTokenKind.Pipe } next && next.Start == pipe.End
                ? "Liquid writes `or`, not `||`: e.g. {% if a or b %}."
                : $"Filters cannot be used in a `{segment.Name}` tag here: assign the filtered value first, e.g. {{% assign x = value | filter %}}.");
            return;
        }

        if (tokens.Current.Kind is not (LiquidTokenKind.Eof or LiquidTokenKind.Invalid) && !tokens.Failed)
        {
            var what = segment.Kind == LiquidSegmentKind.Output ? "output" : $"`{segment.Name}` tag";
            var hint = tokens.Current.Kind == LiquidTokenKind.Identifier || tokens.Current.Kind == LiquidTokenKind.String
                ? " Join values with an operator (==, and, or, contains) or a filter (|), or quote text."
                : " Remove it.";
            Error(tokens.Current.Start, tokens.Current.End, $"Unexpected {Describe(tokens.Current)} in this {what}.{hint}");
        }
    }

    private static string Describe(LiquidToken token) => token.Kind switch
    {
        LiquidTokenKind.Eof => "the end of the tag",
        LiquidTokenKind.String => $"the string \"{token.Text}\"",
        _ => $"`{token.Text}`",
    };

    /// <summary>Suggests the closest known name ("Did you mean `if`?") or lists what exists.</summary>
    internal static string Suggest(string name, IEnumerable<string> known, string kind)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in known)
        {
            var distance = Distance(name, candidate);
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best is not null && bestDistance <= Math.Max(1, name.Length / 3)
            ? $"Did you mean `{best}`?"
            : $"Check the spelling; docs/liquid.md lists the supported Liquid {kind}s.";
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
