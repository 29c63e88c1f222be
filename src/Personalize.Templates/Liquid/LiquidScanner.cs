using Personalize.Templates.Syntax;

namespace Personalize.Templates.Liquid;

/// <summary>
/// Splits a Liquid template into text, outputs and tags; applies <c>{%- -%}</c>/<c>{{- -}}</c> whitespace control; keeps
/// <c>raw</c> blocks verbatim; drops <c>comment</c> blocks and <c># …</c> inline comments; expands the lines of a <c>liquid</c> tag
/// into tags. Never throws: unclosed delimiters become diagnostics.
/// </summary>
internal static class LiquidScanner
{
    public static List<LiquidSegment> Scan(string source, DiagnosticBag diagnostics)
    {
        var segments = new List<LiquidSegment>();
        var groups = 0;
        var position = 0;
        var trimNext = false;
        while (position < source.Length)
        {
            var open = FindOpen(source, position);
            if (open < 0)
            {
                AddText(segments, source, position, source.Length, trimNext, false);
                break;
            }

            var isOutput = source[open + 1] == '{';
            var trimBefore = open + 2 < source.Length && source[open + 2] == '-';
            var contentStart = open + (trimBefore ? 3 : 2);
            var closer = isOutput ? "}}" : "%}";
            var close = source.IndexOf(closer, contentStart, StringComparison.Ordinal);
            if (close < 0)
            {
                diagnostics.Error(open, open + 2, isOutput
                    ? "This output `{{` is never closed: add `}}` after the value, e.g. {{ customer.name }}."
                    : "This tag `{%` is never closed: add `%}` after the tag, e.g. {% if x %}.");
                AddText(segments, source, position, open, trimNext, trimBefore);
                break;
            }

            AddText(segments, source, position, open, trimNext, trimBefore);
            var trimAfter = close > contentStart && source[close - 1] == '-';
            var contentEnd = trimAfter ? close - 1 : close;
            var end = close + 2;
            trimNext = trimAfter;
            position = end;
            if (isOutput)
            {
                segments.Add(new LiquidSegment(LiquidSegmentKind.Output, open, end, string.Empty, contentStart, contentStart, contentEnd));
                continue;
            }

            var (name, nameStart, markupStart) = ReadName(source, contentStart, contentEnd);
            switch (name)
            {
                case "#":
                    CheckInlineComment(source, markupStart, contentEnd, diagnostics);
                    continue;
                case "raw":
                    var endRaw = FindEndTag(source, end, "endraw", out var rawTrimBefore, out var rawTrimAfter, out var rawEnd);
                    if (endRaw < 0)
                    {
                        diagnostics.Error(open, end, "This `{% raw %}` is never closed: add `{% endraw %}` after the text to keep verbatim.");
                        AddText(segments, source, end, source.Length, trimAfter, false, raw: true);
                        return segments;
                    }

                    AddText(segments, source, end, endRaw, trimAfter, rawTrimBefore, raw: true);
                    position = rawEnd;
                    trimNext = rawTrimAfter;
                    continue;
                case "doc":
                    if (!source.AsSpan(markupStart, contentEnd - markupStart).IsWhiteSpace())
                    {
                        diagnostics.Error(markupStart, contentEnd, "`doc` takes nothing after its name: write {% doc %}…{% enddoc %}.");
                    }

                    var endDoc = FindEndTag(source, end, "enddoc", out _, out var docTrimAfter, out var docEnd);
                    if (endDoc < 0)
                    {
                        diagnostics.Error(open, end, "This `{% doc %}` is never closed: add `{% enddoc %}` where the documentation ends.");
                        return segments;
                    }

                    if (FindEndTag(source[..endDoc], end, "doc", out _, out _, out _) is var nested and >= 0)
                    {
                        diagnostics.Error(nested, nested + 2, "A `doc` block cannot contain another `{% doc %}`: remove the inner one.");
                    }

                    position = docEnd;
                    trimNext = docTrimAfter;
                    continue;
                case "comment":
                    var endComment = FindTag(source, end, "endcomment", "comment", out _, out var commentTrimAfter, out var commentEnd);
                    if (endComment < 0)
                    {
                        diagnostics.Error(open, end, "This `{% comment %}` is never closed: add `{% endcomment %}` where the comment ends.");
                        return segments;
                    }

                    position = commentEnd;
                    trimNext = commentTrimAfter;
                    continue;
                case "liquid":
                    ExpandLiquidTag(source, markupStart, contentEnd, segments, ++groups);
                    continue;
                default:
                    segments.Add(new LiquidSegment(LiquidSegmentKind.Tag, open, end, name, nameStart, markupStart, contentEnd));
                    continue;
            }
        }

        return segments;
    }

    private static int FindOpen(string source, int from)
    {
        while (true)
        {
            var brace = source.IndexOf('{', from);
            if (brace < 0 || brace + 1 >= source.Length)
            {
                return -1;
            }

            if (source[brace + 1] is '{' or '%')
            {
                return brace;
            }

            from = brace + 1;
        }
    }

    private static (string Name, int NameStart, int MarkupStart) ReadName(string source, int start, int end)
    {
        var i = start;
        while (i < end && char.IsWhiteSpace(source[i]))
        {
            i++;
        }

        var nameStart = i;
        if (i < end && source[i] == '#')
        {
            return ("#", nameStart, i + 1);
        }

        while (i < end && (char.IsAsciiLetterOrDigit(source[i]) || source[i] == '_'))
        {
            i++;
        }

        return (source[nameStart..i], nameStart, i);
    }

    /// <summary>Finds the tag <paramref name="name"/> from <paramref name="from"/>, skipping nested <paramref name="nested"/> blocks; returns its start or -1.</summary>
    private static int FindTag(string source, int from, string name, string? nested, out bool trimBefore, out bool trimAfter, out int end)
    {
        var depth = 0;
        var position = from;
        while (true)
        {
            var open = source.IndexOf("{%", position, StringComparison.Ordinal);
            trimBefore = trimAfter = false;
            end = -1;
            if (open < 0)
            {
                return -1;
            }

            var close = source.IndexOf("%}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                return -1;
            }

            trimBefore = open + 2 < close && source[open + 2] == '-';
            trimAfter = close - 1 > open + 1 && source[close - 1] == '-';
            var contentStart = open + (trimBefore ? 3 : 2);
            var contentEnd = trimAfter ? close - 1 : close;
            var (tag, _, markupStart) = ReadName(source, contentStart, contentEnd);
            position = close + 2;
            if (tag == "raw" && nested is not null)
            {
                // A raw block inside a comment hides what it holds, even a closing tag.
                if (FindEndTag(source, position, "endraw", out _, out _, out var rawEnd) < 0)
                {
                    return -1;
                }

                position = rawEnd;
                continue;
            }

            if (nested is not null && tag == nested)
            {
                depth++;
            }
            else if (tag == name && source.AsSpan(markupStart, contentEnd - markupStart).IsWhiteSpace())
            {
                if (depth == 0)
                {
                    end = close + 2;
                    return open;
                }

                depth--;
            }
        }
    }

    /// <summary>
    /// Finds <c>{% name %}</c> (whitespace control allowed, nothing else inside) from <paramref name="from"/> without reading
    /// what comes before it as tags: the end of a raw or doc block. Returns its start or -1.
    /// </summary>
    private static int FindEndTag(string source, int from, string name, out bool trimBefore, out bool trimAfter, out int end)
    {
        for (var open = source.IndexOf("{%", from, StringComparison.Ordinal); open >= 0; open = source.IndexOf("{%", open + 2, StringComparison.Ordinal))
        {
            var i = open + 2;
            trimBefore = i < source.Length && source[i] == '-';
            if (trimBefore)
            {
                i++;
            }

            while (i < source.Length && char.IsWhiteSpace(source[i]))
            {
                i++;
            }

            if (string.CompareOrdinal(source, i, name, 0, name.Length) != 0)
            {
                continue;
            }

            i += name.Length;
            while (i < source.Length && char.IsWhiteSpace(source[i]))
            {
                i++;
            }

            trimAfter = i < source.Length && source[i] == '-';
            if (trimAfter)
            {
                i++;
            }

            if (i + 1 < source.Length && source[i] == '%' && source[i + 1] == '}')
            {
                end = i + 2;
                return open;
            }
        }

        trimBefore = trimAfter = false;
        end = -1;
        return -1;
    }

    /// <summary>An inline comment spread over lines needs a <c>#</c> at the start of every line.</summary>
    private static void CheckInlineComment(string source, int start, int end, DiagnosticBag diagnostics)
    {
        var newline = source.IndexOf('\n', start, end - start);
        while (newline >= 0)
        {
            var lineStart = newline + 1;
            var next = lineStart < end ? source.IndexOf('\n', lineStart, end - lineStart) : -1;
            var line = source.AsSpan(lineStart, (next < 0 ? end : next) - lineStart).Trim();
            if (line.Length > 0 && line[0] != '#')
            {
                diagnostics.Error(lineStart, next < 0 ? end : next, "Every line of an inline comment must start with `#`: add `#` here, or close the comment with `%}` before this line.");
                return;
            }

            newline = next;
        }
    }

    private static void ExpandLiquidTag(string source, int start, int end, List<LiquidSegment> segments, int group)
    {
        var lineStart = start;
        var commentDepth = 0;
        while (lineStart < end)
        {
            var newline = source.IndexOf('\n', lineStart, end - lineStart);
            var lineEnd = newline < 0 ? end : newline;
            var (name, nameStart, markupStart) = ReadName(source, lineStart, lineEnd);
            while (name == "liquid" && commentDepth == 0)
            {
                // `liquid` inside a `liquid` tag: the rest of its line is one more line of tags.
                (name, nameStart, markupStart) = ReadName(source, markupStart, lineEnd);
            }

            if (name == "comment")
            {
                commentDepth++;
            }
            else if (name == "endcomment" && commentDepth > 0)
            {
                commentDepth--;
            }
            else if (commentDepth == 0 && name.Length > 0 && name != "#")
            {
                segments.Add(new LiquidSegment(LiquidSegmentKind.Tag, nameStart, lineEnd, name, nameStart, markupStart, lineEnd) { Group = group });
            }

            lineStart = lineEnd + 1;
        }
    }

    private static void AddText(List<LiquidSegment> segments, string source, int start, int end, bool trimStart, bool trimEnd, bool raw = false)
    {
        if (trimStart)
        {
            while (start < end && char.IsWhiteSpace(source[start]))
            {
                start++;
            }
        }

        if (trimEnd)
        {
            while (end > start && char.IsWhiteSpace(source[end - 1]))
            {
                end--;
            }
        }

        if (end > start)
        {
            segments.Add(new LiquidSegment(LiquidSegmentKind.Text, start, end, string.Empty, start, start, end, source[start..end]) { Raw = raw });
        }
    }
}
