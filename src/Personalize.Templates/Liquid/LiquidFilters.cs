using System.Globalization;
using System.Text;
using Personalize.Templates.Builtins;
using Personalize.Templates.Runtime;

namespace Personalize.Templates.Liquid;

/// <summary>
/// The standard Liquid filters with Shopify semantics (<c>divided_by</c> floors for integers, <c>round</c> with digits,
/// <c>truncate</c> 50 with <c>...</c>, <c>default</c> replacing nil, false and empty values, …). Wrong-typed input never crashes:
/// text filters print the value, number filters read text as a number (0 when it is not one), list filters see one value as a
/// one-item list. Shared by every template and render (stateless).
/// </summary>
internal static partial class LiquidFilters
{
    private static readonly Dictionary<string, LiquidFilter> Table = Create();

    /// <summary>Gets the names of all filters, for suggestions.</summary>
    public static IEnumerable<string> Names => Table.Keys;

    public static bool TryGet(string name, out LiquidFilter filter) => Table.TryGetValue(name, out filter!);

    private static Dictionary<string, LiquidFilter> Create()
    {
        var table = new Dictionary<string, LiquidFilter>(StringComparer.Ordinal);
        void Add(string name, int min, int max, string usage, Func<TemplateContext, ScriptArguments, object?> body) =>
            table.Add(name, new LiquidFilter(name, min, max, usage, body));

        // Numbers.
        Add("abs", 0, 0, "abs", static (c, a) => Abs(Num(a, 0)));
        Add("at_least", 1, 1, "at_least: 5", static (c, a) => ScriptOperators.Compare(c, Num(a, 0), Num(a, 1)) < 0 ? Num(a, 1) : Num(a, 0));
        Add("at_most", 1, 1, "at_most: 5", static (c, a) => ScriptOperators.Compare(c, Num(a, 0), Num(a, 1)) > 0 ? Num(a, 1) : Num(a, 0));
        Add("ceil", 0, 0, "ceil", static (c, a) => RoundTo(Num(a, 0), Math.Ceiling));
        Add("floor", 0, 0, "floor", static (c, a) => RoundTo(Num(a, 0), Math.Floor));
        Add("round", 0, 1, "round: 2", static (c, a) => Round(Num(a, 0), a.Count > 1 ? Num(a, 1) : 0));
        Add("plus", 1, 1, "plus: 1", static (c, a) => Arithmetic(c, '+', Num(a, 0), Num(a, 1)));
        Add("minus", 1, 1, "minus: 1", static (c, a) => Arithmetic(c, '-', Num(a, 0), Num(a, 1)));
        Add("times", 1, 1, "times: 2", static (c, a) => Arithmetic(c, '*', Num(a, 0), Num(a, 1)));
        Add("divided_by", 1, 1, "divided_by: 2", static (c, a) => Divide(c, Num(a, 0), Num(a, 1)));
        Add("modulo", 1, 1, "modulo: 2", static (c, a) => Modulo(c, Num(a, 0), Num(a, 1)));

        // Text.
        Add("append", 1, 1, "append: \".html\"", static (c, a) => Concat(c, Text(c, a, 0), Text(c, a, 1)));
        Add("prepend", 1, 1, "prepend: \"Dear \"", static (c, a) => Concat(c, Text(c, a, 1), Text(c, a, 0)));
        Add("capitalize", 0, 0, "capitalize", static (c, a) => Capitalize(c, Text(c, a, 0)));
        Add("downcase", 0, 0, "downcase", static (c, a) => StringFunctions.Downcase(c, Text(c, a, 0)));
        Add("upcase", 0, 0, "upcase", static (c, a) => Upcase(c, Text(c, a, 0)));
        Add("escape", 0, 0, "escape", static (c, a) => a[0] is null ? null : HtmlFunctions.EscapeMarkup(c, Text(c, a, 0)));
        Add("escape_once", 0, 0, "escape_once", static (c, a) => a[0] is null ? null : EscapeOnce(c, Text(c, a, 0)));
        Add("lstrip", 0, 0, "lstrip", static (c, a) => StringFunctions.Lstrip(Text(c, a, 0)));
        Add("rstrip", 0, 0, "rstrip", static (c, a) => StringFunctions.Rstrip(Text(c, a, 0)));
        Add("strip", 0, 0, "strip", static (c, a) => StringFunctions.Strip(Text(c, a, 0)));
        Add("strip_html", 0, 0, "strip_html", static (c, a) => HtmlFunctions.Strip(Text(c, a, 0)));
        Add("strip_newlines", 0, 0, "strip_newlines", static (c, a) => StringFunctions.StripNewlines(Text(c, a, 0)));
        Add("newline_to_br", 0, 0, "newline_to_br", static (c, a) => NewlineToBr(c, Text(c, a, 0)));
        AddTextFilters(Add);
        // Nil stays nil (as Shopify's `return if input.nil?`), so `{% case x %}{% when nil %}` still matches after them.
        Add("truncate", 0, 2, "truncate: 20, \"...\"", static (c, a) => ScriptValue.Normalize(a[0]) is null ? null : Truncate(c, a));
        Add("truncatewords", 0, 2, "truncatewords: 15, \"...\"", static (c, a) => ScriptValue.Normalize(a[0]) is null ? null : TruncateWords(c, a));
        Add("split", 1, 1, "split: \",\"", static (c, a) => Split(c, Text(c, a, 0), Text(c, a, 1)));
        Add("url_encode", 0, 0, "url_encode", static (c, a) => a[0] is null ? null : UrlEncode(c, Text(c, a, 0)));
        Add("url_decode", 0, 0, "url_decode", static (c, a) => a[0] is null ? null : UrlDecode(Text(c, a, 0)));
        Add("date", 1, 1, "date: \"%Y-%m-%d\"", static (c, a) => Date(c, a[0], a[1]));

        // Lists (and size/slice, which also take text).
        Add("size", 0, 0, "size", static (c, a) => Size(c, a[0]));
        Add("slice", 1, 2, "slice: 0, 3", static (c, a) => Slice(c, a));
        Add("first", 0, 0, "first", static (c, a) => FirstOrLast(c, a[0], first: true));
        Add("last", 0, 0, "last", static (c, a) => FirstOrLast(c, a[0], first: false));
        Add("join", 0, 1, "join: \", \"", static (c, a) => Join(c, a[0], a.Count > 1 ? Text(c, a, 1) : " "));
        Add("reverse", 0, 0, "reverse", static (c, a) => Reverse(c, a[0]));
        Add("concat", 1, 1, "concat: other_array", static (c, a) => ConcatLists(c, a[0], a[1]));
        AddListFilters(Add);

        // Fallbacks.
        Add("default", 0, 1, "default: \"fallback\"", static (c, a) => Default(a));
        return table;
    }

    private static int ToInteger(TemplateContext c, object? value, string filter) => LiquidValue.ToInteger(c, value, $"`{filter}`");

    private static object Num(ScriptArguments a, int index) => LiquidValue.ToNumber(index < a.Count ? a[index] : null);

    private static string Text(TemplateContext c, ScriptArguments a, int index) => index < a.Count ? LiquidValue.ToText(c, a[index]) : string.Empty;

    private static string Concat(TemplateContext c, string left, string right)
    {
        c.CheckStringLength((long)left.Length + right.Length);
        return left + right;
    }

    private static object Abs(object n) => n switch
    {
        int i => i == int.MinValue ? -(long)i : Math.Abs(i),
        long l => l == long.MinValue ? (object)-(System.Numerics.BigInteger)l : Math.Abs(l),
        double d => Math.Abs(d),
        decimal m => Math.Abs(m),
        System.Numerics.BigInteger b => System.Numerics.BigInteger.Abs(b),
        _ => n,
    };

    private static object RoundTo(object n, Func<double, double> round)
    {
        if (LiquidValue.IsInteger(n))
        {
            return n;
        }

        var d = n is decimal m ? (double)m : Convert.ToDouble(n, CultureInfo.InvariantCulture);
        var r = round(d);
        return double.IsFinite(r) && Math.Abs(r) < 9e18 ? ScriptOperators.Narrow((long)r) : r;
    }

    private static object Round(object n, object digits)
    {
        var places = ScriptValue.TryToInt32(digits, out var p) ? Math.Clamp(p, -18, 15) : 0;
        if (places < 0)
        {
            // Negative digits round to tens, hundreds, …: always a whole number.
            var scale = Math.Pow(10, -places);
            ScriptValue.TryToDouble(n, out var whole);
            return RoundTo(Math.Round(whole / scale, MidpointRounding.AwayFromZero) * scale, static x => x);
        }

        if (LiquidValue.IsInteger(n))
        {
            return n;
        }

        var d = n is decimal m ? (double)m : (double)n;
        if (places == 0)
        {
            return RoundTo(d, static x => Math.Round(x, MidpointRounding.AwayFromZero));
        }

        if (TryDecimal(d, out var exact))
        {
            return (double)Math.Round(exact, places, MidpointRounding.AwayFromZero);
        }

        return Math.Round(d, places, MidpointRounding.AwayFromZero);
    }

    private static object? Divide(TemplateContext c, object left, object right)
    {
        if (LiquidValue.IsInteger(left) && LiquidValue.IsInteger(right))
        {
            if (ScriptValue.TryToInt64(right, out var divisor) && divisor == 0)
            {
                throw c.Error("divided by 0: `divided_by` needs a divisor that is not zero. Guard it with {% if divisor != 0 %} or use `| default: 1` on the divisor.");
            }

            if (ScriptValue.TryToInt64(left, out var dividend) && ScriptValue.TryToInt64(right, out divisor))
            {
                if (dividend == long.MinValue && divisor == -1)
                {
                    return -(System.Numerics.BigInteger)dividend;
                }

                var quotient = dividend / divisor;
                if ((dividend % divisor != 0) && ((dividend < 0) ^ (divisor < 0)))
                {
                    quotient--;
                }

                return ScriptOperators.Narrow(quotient);
            }
        }

        if (TryDecimal(left, out var dl) && TryDecimal(right, out var dr) && dr != 0)
        {
            try
            {
                return (double)(dl / dr);
            }
            catch (OverflowException)
            {
                // Beyond decimal's range: floating point below.
            }
        }

        ScriptValue.TryToDouble(left, out var l);
        ScriptValue.TryToDouble(right, out var r);
        if (r == 0 && LiquidValue.IsInteger(right))
        {
            throw c.Error("divided by 0: `divided_by` needs a divisor that is not zero.");
        }

        return l / r;
    }

    private static object? Modulo(TemplateContext c, object left, object right)
    {
        if (LiquidValue.IsInteger(left) && LiquidValue.IsInteger(right) && ScriptValue.TryToInt64(left, out var a) && ScriptValue.TryToInt64(right, out var b))
        {
            if (b == 0)
            {
                throw c.Error("divided by 0: `modulo` needs a divisor that is not zero.");
            }

            if (b == -1)
            {
                return 0;
            }

            var r = a % b;
            if (r != 0 && ((r < 0) ^ (b < 0)))
            {
                r += b;
            }

            return ScriptOperators.Narrow(r);
        }

        if (TryDecimal(right, out var divisor) && divisor == 0)
        {
            throw c.Error("divided by 0: `modulo` needs a divisor that is not zero.");
        }

        return Arithmetic(c, '%', left is double ? left : (object)(ScriptValue.TryToDouble(left, out var x) ? x : 0d), right);
    }

    private static string Capitalize(TemplateContext c, string text)
    {
        if (text.Length == 0)
        {
            return text;
        }

        // The first character (a whole code point) in title case, as Ruby's String#capitalize: `ß` becomes `Ss`.
        var first = char.IsHighSurrogate(text[0]) && text.Length > 1 && char.IsLowSurrogate(text[1]) ? 2 : 1;
        var head = FullUpper(text[0], title: true) is { } special && first == 1 ? special : text[..first].ToUpper(c.Culture);
        return string.Concat(head, text[first..].ToLower(c.Culture));
    }

    /// <summary>
    /// Upper case as Ruby's String#upcase (Shopify's <c>upcase</c>): .NET's simple case mapping, plus the characters whose
    /// upper case is more than one character (<c>ß</c> → <c>SS</c>, <c>ﬁ</c> → <c>FI</c>), which .NET leaves as they are.
    /// </summary>
    private static string Upcase(TemplateContext c, string text)
    {
        var upper = StringFunctions.Upcase(c, text)!;
        if (upper.AsSpan().IndexOfAny(MultiCharacterUpper) < 0)
        {
            return upper;
        }

        var builder = new StringBuilder(upper.Length + 8);
        foreach (var ch in upper)
        {
            if (FullUpper(ch, title: false) is { } special)
            {
                builder.Append(special);
            }
            else
            {
                builder.Append(ch);
            }
        }

        c.CheckStringLength(builder.Length);
        return builder.ToString();
    }

    private static readonly System.Buffers.SearchValues<char> MultiCharacterUpper = System.Buffers.SearchValues.Create("\u00DF\u0149\u0587\uFB00\uFB01\uFB02\uFB03\uFB04\uFB05\uFB06");

    /// <summary>The unconditional multi-character upper (or title) case mappings of Unicode's SpecialCasing.txt for Latin and Armenian.</summary>
    private static string? FullUpper(char ch, bool title) => ch switch
    {
        '\u00DF' => title ? "Ss" : "SS",
        '\u0149' => "\u02BCN",
        '\u0587' => title ? "\u0535\u0582" : "\u0535\u0552",
        '\uFB00' => title ? "Ff" : "FF",
        '\uFB01' => title ? "Fi" : "FI",
        '\uFB02' => title ? "Fl" : "FL",
        '\uFB03' => title ? "Ffi" : "FFI",
        '\uFB04' => title ? "Ffl" : "FFL",
        '\uFB05' or '\uFB06' => title ? "St" : "ST",
        _ => null,
    };

    private static string EscapeOnce(TemplateContext c, string text)
    {
        // The result is at least as long as the input (as for every escaping filter): refuse one already over the limit first.
        c.EnsureStringLength(text.Length);
        var builder = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            switch (ch)
            {
                case '&':
                    builder.Append(IsEntity(text, i) ? "&" : "&amp;");
                    break;
                case '<': builder.Append("&lt;"); break;
                case '>': builder.Append("&gt;"); break;
                case '"': builder.Append("&quot;"); break;
                case '\'': builder.Append("&#39;"); break;
                default: builder.Append(ch); break;
            }
        }

        c.CheckStringLength(builder.Length);
        return builder.ToString();
    }

    private static bool IsEntity(string text, int ampersand)
    {
        var i = ampersand + 1;
        if (i < text.Length && text[i] == '#')
        {
            i++;
            var hex = i < text.Length && text[i] is 'x' or 'X';
            if (hex)
            {
                i++;
            }

            var start = i;
            while (i < text.Length && (hex ? char.IsAsciiHexDigit(text[i]) : char.IsAsciiDigit(text[i])))
            {
                i++;
            }

            return i > start && i < text.Length && text[i] == ';';
        }

        var nameStart = i;
        while (i < text.Length && char.IsAsciiLetterOrDigit(text[i]))
        {
            i++;
        }

        return i > nameStart && i < text.Length && text[i] == ';';
    }

    private static string Truncate(TemplateContext c, ScriptArguments a)
    {
        var text = Text(c, a, 0);
        var length = a.Count > 1 ? ToInteger(c, a[1], "truncate") : 50;
        var ellipsis = a.Count > 2 ? Text(c, a, 2) : "...";

        var keep = TruncateKeep(text, length, ellipsis);
        return keep < 0 ? text : string.Concat(text.AsSpan(0, keep), ellipsis);
    }

    /// <summary>
    /// How many UTF-16 units of <paramref name="text"/> <c>truncate</c> keeps before <paramref name="ellipsis"/>, or -1 when
    /// the text is kept whole. Lengths count characters (code points) as Ruby does: an emoji is one character. Shared with the
    /// output fast path that writes a truncated value straight out.
    /// </summary>
    internal static int TruncateKeep(string text, int length, string ellipsis)
    {
        if (text.Length <= length)
        {
            return -1;
        }

        if (!HasMoreRunesThan(text, length))
        {
            return -1;
        }

        var keep = Math.Max(0, length - CountRunes(ellipsis));
        var offset = 0;
        for (var i = 0; i < keep && offset < text.Length; i++)
        {
            offset += char.IsHighSurrogate(text[offset]) && offset + 1 < text.Length && char.IsLowSurrogate(text[offset + 1]) ? 2 : 1;
        }

        return offset;
    }

    private static string TruncateWords(TemplateContext c, ScriptArguments a)
    {
        var text = Text(c, a, 0);
        var count = a.Count > 1 ? Math.Max(1, ToInteger(c, a[1], "truncatewords")) : 15;
        var ellipsis = a.Count > 2 ? Text(c, a, 2) : "...";
        var words = text.Split((char[]?)null, count + 1, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length <= count)
        {
            return text;
        }

        return string.Join(' ', words, 0, count) + ellipsis;
    }

    private static ScriptArray Split(TemplateContext c, string text, string separator)
    {
        var result = new ScriptArray();
        if (text.Length == 0)
        {
            return result;
        }

        if (separator == " ")
        {
            foreach (var word in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            {
                c.ChargeLoopIterations();
                result.Add(word);
            }

            return result;
        }

        if (separator.Length == 0)
        {
            c.ChargeLoopIterations(text.Length);
            foreach (var ch in text)
            {
                result.Add(ch.ToString());
            }

            return result;
        }

        foreach (var part in text.Split(separator))
        {
            c.ChargeLoopIterations();
            result.Add(part);
        }

        // Like Ruby's String#split, trailing empty parts are dropped.
        while (result.Count > 0 && result[^1] is string { Length: 0 })
        {
            result.RemoveAt(result.Count - 1);
        }

        return result;
    }

    private static string UrlEncode(TemplateContext c, string text)
    {
        c.EnsureStringLength(text.Length);
        var bytes = Encoding.UTF8.GetBytes(text);
        var builder = new StringBuilder(bytes.Length * 3 / 2);
        foreach (var b in bytes)
        {
            var ch = (char)b;
            if (char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_' or '.' or '~' or '*')
            {
                builder.Append(ch);
            }
            else if (ch == ' ')
            {
                builder.Append('+');
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        c.CheckStringLength(builder.Length);
        return builder.ToString();
    }

    private static string UrlDecode(string text)
    {
        try
        {
            return Uri.UnescapeDataString(text.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            return text;
        }
    }

    private static object? Date(TemplateContext c, object? input, object? format)
    {
        input = ScriptValue.Normalize(input);
        var pattern = LiquidValue.ToText(c, format);
        if (input is null || pattern.Length == 0 || input is string { Length: 0 })
        {
            return input;
        }

        DateTime? date = input switch
        {
            DateTime d => d,
            DateTimeOffset o => DateFunctions.ToDate(c, o, "date"),
            "now" or "today" => DateFunctions.Now(c),
            int or long => FromUnix(c, ScriptValue.TryToInt64(input, out var seconds) ? seconds : 0),
            string s when s.Length > 0 && s.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0 && long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var unix) => FromUnix(c, unix),
            string s when s.StartsWith('-') && s.AsSpan(1).IndexOfAnyExceptInRange('0', '9') < 0 => null,
            string s => DateFunctions.Parse(c, s),
            _ => null,
        };
        if (date is null)
        {
            return input;
        }

        return Strftime.Format(c, date.Value, pattern, c.Culture);
    }

    private static DateTime? FromUnix(TemplateContext c, long seconds)
    {
        if (seconds is < -62135596800L or > 253402300799L)
        {
            return null;
        }

        var instant = DateTimeOffset.FromUnixTimeSeconds(seconds);
        return DateFunctions.ToDate(c, instant, "date");
    }

    private static object Size(TemplateContext c, object? input)
    {
        input = ScriptValue.Normalize(input);
        return input switch
        {
            null => 0,
            string s => CountRunes(s),
            int or long => 8, // Ruby's Integer#size: the bytes of a machine word, as Shopify prints it.
            _ when LiquidValue.IsList(input) => LiquidValue.ToList(c, input).Count,
            ScriptObject o => o.Count,
            System.Collections.IDictionary d => d.Count,
            System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Object } json => CountMembers(json),
            _ => c.TryGetMember(input, "size", out var size) && size is not null ? size : 0,
        };
    }

    /// <summary>
    /// Whether <paramref name="text"/> has more than <paramref name="limit"/> characters (code points; a lone surrogate counts
    /// as one, as <see cref="string.EnumerateRunes"/> does), walking only as far as needed: <c>truncate</c> on a long
    /// description costs its length argument, not the description's length.
    /// </summary>
    private static bool HasMoreRunesThan(string text, int limit)
    {
        var count = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }

            if (++count > limit)
            {
                return true;
            }
        }

        return false;
    }

    private static int CountRunes(string text)
    {
        var count = 0;
        foreach (var unused in text.EnumerateRunes())
        {
            count++;
        }

        return count;
    }

    private static int CountMembers(System.Text.Json.JsonElement json)
    {
        var count = 0;
        foreach (var unused in json.EnumerateObject())
        {
            count++;
        }

        return count;
    }

    private static string NewlineToBr(TemplateContext c, string text)
    {
        if (text.IndexOf('\n', StringComparison.Ordinal) < 0)
        {
            return text;
        }

        c.EnsureStringLength(text.Length);
        var builder = new StringBuilder(text.Length + 16);
        foreach (var ch in text)
        {
            if (ch == '\n')
            {
                if (builder.Length > 0 && builder[^1] == '\r')
                {
                    builder.Length--;
                }

                builder.Append("<br />\n");
            }
            else
            {
                builder.Append(ch);
            }
        }

        c.CheckStringLength(builder.Length);
        return builder.ToString();
    }

    private static object? Slice(TemplateContext c, ScriptArguments a)
    {
        var input = ScriptValue.Normalize(a[0]);
        if (input is ScriptArray { IsRange: true })
        {
            // Shopify slices arrays only; a range is sliced as its text (`1..4`).
            input = LiquidValue.ToText(c, input);
        }

        var offset = ToInteger(c, a[1], "slice");
        var length = a.Count > 2 && a[2] is not null ? ToInteger(c, a[2], "slice") : 1;
        if (LiquidValue.IsList(input))
        {
            var list = LiquidValue.ToList(c, input);
            var (start, count) = SliceBounds(list.Count, offset, length);
            var result = new ScriptArray(count);
            for (var i = 0; i < count; i++)
            {
                result.Add(list[start + i]);
            }

            return result;
        }

        if (input is null)
        {
            return null;
        }

        // Text is sliced by characters (code points), as Ruby does: an emoji is one character, not two UTF-16 units.
        var text = LiquidValue.ToText(c, input);
        var runes = text.EnumerateRunes().ToArray();
        var (from, take) = SliceBounds(runes.Length, offset, length);
        var slice = new System.Text.StringBuilder(take * 2);
        for (var i = from; i < from + take; i++)
        {
            slice.Append(runes[i].ToString());
        }

        return slice.ToString();
    }

    private static (int Start, int Count) SliceBounds(int total, int offset, int length)
    {
        if (offset < 0)
        {
            offset += total;
        }

        if (offset < 0 || offset >= total || length <= 0)
        {
            return (0, 0);
        }

        return (offset, (int)Math.Min(length, (long)total - offset));
    }

    private static object? FirstOrLast(TemplateContext c, object? input, bool first)
    {
        input = ScriptValue.Normalize(input);
        if (first && LiquidValue.IsHash(input))
        {
            var pairs = LiquidValue.Pairs(c, input!);
            return pairs.Count == 0 ? null : pairs[0];
        }

        if (input is string text)
        {
            // Golden Liquid accepts "" or the character; Shopify's platform (Ruby with ActiveSupport) gives the character.
            return LiquidValue.FirstOrLastCharacter(text, first);
        }

        if (!LiquidValue.IsList(input))
        {
            return null;
        }

        var list = LiquidValue.ToList(c, input);
        return list.Count == 0 ? null : list[first ? 0 : list.Count - 1];
    }

    private static string Join(TemplateContext c, object? input, string separator)
    {
        var builder = new StringBuilder();
        var first = true;
        AppendJoined(c, builder, LiquidValue.ToList(c, input), separator, ref first, 0);
        c.CheckStringLength(builder.Length);
        return builder.ToString();
    }

    /// <summary>Joins like Ruby's <c>Array#join</c>: nested arrays are flattened into the same list.</summary>
    private static void AppendJoined(TemplateContext c, StringBuilder builder, List<object?> items, string separator, ref bool first, int depth)
    {
        if (depth > 64)
        {
            throw c.Error("Cannot join an array nested more than 64 levels deep (or one that contains itself).");
        }

        foreach (var item in items)
        {
            if (LiquidValue.IsList(item))
            {
                AppendJoined(c, builder, LiquidValue.ToList(c, item), separator, ref first, depth + 1);
                continue;
            }

            if (!first)
            {
                builder.Append(separator);
            }

            first = false;
            builder.Append(LiquidValue.ToText(c, item));
            c.EnsureStringLength(builder.Length);
        }
    }

    private static ScriptArray Reverse(TemplateContext c, object? input)
    {
        var list = LiquidValue.Flatten(c, input);
        list.Reverse();
        return new ScriptArray(list);
    }

    private static ScriptArray ConcatLists(TemplateContext c, object? input, object? other)
    {
        if (!LiquidValue.IsList(other))
        {
            throw c.Error($"`concat` expects an array argument, not {ScriptValue.TypeName(ScriptValue.Normalize(other))} `{LiquidValue.ToText(c, other)}`. Build one with `| split: \",\"`.");
        }

        var result = new ScriptArray(LiquidValue.Flatten(c, input));
        result.AddRange(LiquidValue.ToList(c, other));
        return result;
    }

    private static object? Default(ScriptArguments a)
    {
        var input = ScriptValue.Normalize(a[0]);
        var allowFalse = a.TryGetNamed("allow_false", out var flag) && ScriptValue.IsTruthy(flag);
        if (a.Count < 2)
        {
            return input is null or false || (input is not bool && !ScriptValue.IsNumber(input) && ScriptValue.IsEmpty(input)) ? string.Empty : input;
        }

        var useFallback = input switch
        {
            null => true,
            bool b => !b && !allowFalse,
            _ => !ScriptValue.IsNumber(input) && ScriptValue.IsEmpty(input),
        };
        return useFallback ? a[1] : input;
    }
}
