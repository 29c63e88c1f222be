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
                    continue;
                case "raw":
                    var endRaw = FindTag(source, end, "endraw", null, out var rawTrimBefore, out var rawTrimAfter, out var rawEnd);
                    if (endRaw < 0)
                    {
                        diagnostics.Error(open, end, "This `{% raw %}` is never closed: add `{% endraw %}` after the text to keep verbatim.");
                        AddText(segments, source, end, source.Length, trimAfter, false);
                        return segments;
                    }

                    AddText(segments, source, end, endRaw, trimAfter, rawTrimBefore);
                    position = rawEnd;
                    trimNext = rawTrimAfter;
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
                    ExpandLiquidTag(source, markupStart, contentEnd, segments);
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

    private static void ExpandLiquidTag(string source, int start, int end, List<LiquidSegment> segments)
    {
        var lineStart = start;
        var commentDepth = 0;
        while (lineStart < end)
        {
            var newline = source.IndexOf('\n', lineStart, end - lineStart);
            var lineEnd = newline < 0 ? end : newline;
            var (name, nameStart, markupStart) = ReadName(source, lineStart, lineEnd);
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
                segments.Add(new LiquidSegment(LiquidSegmentKind.Tag, nameStart, lineEnd, name, nameStart, markupStart, lineEnd));
            }

            lineStart = lineEnd + 1;
        }
    }

    private static void AddText(List<LiquidSegment> segments, string source, int start, int end, bool trimStart, bool trimEnd)
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
            segments.Add(new LiquidSegment(LiquidSegmentKind.Text, start, end, string.Empty, start, start, end, source[start..end]));
        }
    }
}
