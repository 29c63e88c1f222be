using System.Globalization;
using System.Text;
using Personalize.Templates.Runtime;

namespace Personalize.Templates.Builtins;

/// <summary>
/// Ruby-style <c>strftime</c> date formatting and parsing, shared by <c>date.to_string</c>, <c>date.parse</c> and the
/// Liquid <c>date</c> filter. Month and day names come from the culture; <c>%g</c> switches to the invariant culture.
/// A directive may carry flags (<c>-</c> no padding, <c>_</c> space padding, <c>0</c> zero padding, <c>^</c> upper case)
/// and a width (<c>%10Y</c>); widths are bounded by <see cref="TemplateLimits.MaxStringLength"/>.
/// </summary>
internal static class Strftime
{
    /// <summary>The default format of dates (<c>date.default_format</c>): <c>%d %b %Y</c>.</summary>
    public const string DefaultFormat = "%d %b %Y";

    /// <summary>Formats <paramref name="date"/> with the strftime <paramref name="pattern"/>.</summary>
    public static string Format(TemplateContext context, DateTime date, string pattern, CultureInfo culture)
    {
        if (pattern == "%g")
        {
            pattern = "%g " + DefaultFormat;
        }

        var builder = new StringBuilder(pattern.Length * 2);
        var genitive = HasDayOfMonth(pattern);
        Append(context, builder, date, pattern, culture, genitive, 0);
        context.CheckStringLength(builder.Length);
        return builder.ToString();
    }

    private static void Append(TemplateContext context, StringBuilder builder, DateTime date, string pattern, CultureInfo culture, bool genitive, int nesting)
    {
        var format = culture.DateTimeFormat;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c != '%' || i + 1 >= pattern.Length)
            {
                builder.Append(c);
                continue;
            }

            var start = i;
            i++;

            // Flags.
            var noPad = false;
            var upper = false;
            char? padChar = null;
            while (i < pattern.Length && pattern[i] is '-' or '_' or '0' or '^' or '#')
            {
                switch (pattern[i])
                {
                    case '-': noPad = true; break;
                    case '_': padChar = ' '; break;
                    case '0': padChar = '0'; break;
                    default: upper = true; break;
                }

                i++;
            }

            // Width.
            long width = -1;
            while (i < pattern.Length && char.IsAsciiDigit(pattern[i]))
            {
                width = Math.Max(0, width) * 10 + (pattern[i] - '0');
                if (width > int.MaxValue)
                {
                    width = int.MaxValue;
                }

                i++;
            }

            if (width >= 0)
            {
                context.CheckStringLength(width);
            }

            if (i >= pattern.Length)
            {
                builder.Append(pattern, start, pattern.Length - start);
                break;
            }

            var directive = pattern[i];
            string? text = null;
            var numeric = true;
            var defaultWidth = 0;
            var defaultPad = '0';
            switch (directive)
            {
                case 'g':
                    culture = CultureInfo.InvariantCulture;
                    format = culture.DateTimeFormat;
                    continue;
                case 'a': text = format.GetAbbreviatedDayName(date.DayOfWeek); numeric = false; break;
                case 'A': text = format.GetDayName(date.DayOfWeek); numeric = false; break;
                case 'b' or 'h': text = (genitive ? format.AbbreviatedMonthGenitiveNames : format.AbbreviatedMonthNames)[date.Month - 1]; numeric = false; break;
                case 'B': text = (genitive ? format.MonthGenitiveNames : format.MonthNames)[date.Month - 1]; numeric = false; break;
                case 'C': text = Number(date.Year / 100); defaultWidth = 2; break;
                case 'd': text = Number(date.Day); defaultWidth = 2; break;
                case 'e': text = Number(date.Day); defaultWidth = 2; defaultPad = ' '; break;
                case 'H': text = Number(date.Hour); defaultWidth = 2; break;
                case 'I': text = Number(Hour12(date)); defaultWidth = 2; break;
                case 'j': text = Number(date.DayOfYear); defaultWidth = 3; break;
                case 'k': text = Number(date.Hour); defaultWidth = 2; defaultPad = ' '; break;
                case 'l': text = Number(Hour12(date)); defaultWidth = 2; defaultPad = ' '; break;
                case 'L': text = Number(date.Millisecond); defaultWidth = 3; break;
                case 'm': text = Number(date.Month); defaultWidth = 2; break;
                case 'M': text = Number(date.Minute); defaultWidth = 2; break;
                case 'N':
                    // Fractional seconds: 9 digits by default, or the first `width` digits (%3N = milliseconds).
                    var fraction = (date.Ticks % TimeSpan.TicksPerSecond * 100).ToString("D9", CultureInfo.InvariantCulture);
                    text = width < 0 ? fraction : width <= 9 ? fraction[..(int)width] : fraction.PadRight((int)width, '0');
                    width = -1;
                    break;
                case 'p': text = AmPm(date, format); numeric = false; break;
                case 'P': text = AmPm(date, format).ToLower(culture); numeric = false; break;
                case 's': text = ToUnixSeconds(context, date).ToString(CultureInfo.InvariantCulture); break;
                case 'S': text = Number(date.Second); defaultWidth = 2; break;
                case 'u': text = Number(date.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)date.DayOfWeek); break;
                case 'U': text = Number(CultureInfo.InvariantCulture.Calendar.GetWeekOfYear(date, CalendarWeekRule.FirstDay, DayOfWeek.Sunday)); defaultWidth = 2; break;
                case 'V': text = Number(ISOWeek.GetWeekOfYear(date)); defaultWidth = 2; break;
                case 'G': text = Number(ISOWeek.GetYear(date)); defaultWidth = 4; break;
                case 'W': text = Number(CultureInfo.InvariantCulture.Calendar.GetWeekOfYear(date, CalendarWeekRule.FirstDay, DayOfWeek.Monday)); defaultWidth = 2; break;
                case 'w': text = Number((int)date.DayOfWeek); break;
                case 'y': text = Number(date.Year % 100); defaultWidth = 2; break;
                case 'Y': text = Number(date.Year); defaultWidth = 4; break;
                case 'z': text = Offset(context, date, colon: false); numeric = false; break;
                case 'Z': text = Offset(context, date, colon: true); numeric = false; break;
                case 'x': text = date.ToString("d", culture); numeric = false; break;
                case 'X': text = date.ToString("T", culture); numeric = false; break;
                case 'n': text = "\n"; numeric = false; break;
                case 't': text = "\t"; numeric = false; break;
                case '%': text = "%"; numeric = false; break;
                case 'c' or 'D' or 'F' or 'r' or 'R' or 'T' or 'v':
                    if (nesting > 1)
                    {
                        break;
                    }

                    var composite = new StringBuilder();
                    var compositeCulture = directive == 'v' ? CultureInfo.InvariantCulture : culture;
                    Append(context, composite, date, Composite(directive), compositeCulture, genitive, nesting + 1);
                    text = directive == 'v' ? composite.ToString().ToUpperInvariant() : composite.ToString();
                    numeric = false;
                    break;
            }

            if (text is null)
            {
                // Unknown directive: print it as written.
                builder.Append(pattern, start, i - start + 1);
                continue;
            }

            if (upper)
            {
                text = text.ToUpper(culture);
            }

            var targetWidth = noPad ? 0 : width >= 0 ? (int)width : defaultWidth;
            if (text.Length < targetWidth)
            {
                var pad = padChar ?? (numeric ? defaultPad : ' ');
                if (pad == '0' && text.StartsWith('-'))
                {
                    builder.Append('-').Append('0', targetWidth - text.Length).Append(text, 1, text.Length - 1);
                }
                else
                {
                    builder.Append(pad, targetWidth - text.Length).Append(text);
                }
            }
            else
            {
                builder.Append(text);
            }

            context.EnsureStringLength(builder.Length);
        }
    }

    /// <summary>
    /// Converts a strftime pattern to a .NET exact-parse format (<c>%Y-%m-%d</c> → <c>yyyy-MM-dd</c>), or null with the
    /// unsupported directive in <paramref name="unsupported"/>.
    /// </summary>
    public static string? ToParseFormat(string pattern, out string? unsupported)
    {
        unsupported = null;
        var builder = new StringBuilder(pattern.Length * 2);
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c != '%' || i + 1 >= pattern.Length)
            {
                // Literal: escaped, except white space (which AllowWhiteSpaces matches loosely).
                (char.IsWhiteSpace(c) ? builder : builder.Append('\\')).Append(c);
                continue;
            }

            i++;
            while (i < pattern.Length && pattern[i] is '-' or '_' or '0' or '^' or '#')
            {
                i++;
            }

            if (i >= pattern.Length)
            {
                break;
            }

            var part = pattern[i] switch
            {
                'Y' => "yyyy",
                'y' => "yy",
                'm' => "M",
                'd' or 'e' => "d",
                'b' or 'h' => "MMM",
                'B' => "MMMM",
                'a' => "ddd",
                'A' => "dddd",
                'H' or 'k' => "H",
                'I' or 'l' => "h",
                'M' => "mm",
                'S' => "ss",
                'L' => "fff",
                'N' => "FFFFFFF",
                'p' or 'P' => "tt",
                'F' => "yyyy-M-d",
                'D' => "M/d/yy",
                'T' => "H:mm:ss",
                'R' => "H:mm",
                'r' => "h:mm:ss tt",
                'z' or 'Z' => "zzz",
                'n' => "\\\n",
                't' => "\\\t",
                '%' => "\\%",
                'g' => string.Empty,
                _ => null,
            };

            if (part is null)
            {
                unsupported = "%" + pattern[i];
                return null;
            }

            // The .NET separators `/` and `:` are culture-specific: make them literal.
            builder.Append(part.Replace("/", "\\/", StringComparison.Ordinal).Replace(":", "\\:", StringComparison.Ordinal));
        }

        return builder.ToString();
    }

    /// <summary>Whether the pattern prints the day of the month (then month names use the genitive form, like .NET's <c>d MMMM</c>).</summary>
    private static bool HasDayOfMonth(string pattern)
    {
        for (var i = 0; i < pattern.Length - 1; i++)
        {
            if (pattern[i] != '%')
            {
                continue;
            }

            var j = i + 1;
            while (j < pattern.Length && (pattern[j] is '-' or '_' or '0' or '^' or '#' || char.IsAsciiDigit(pattern[j])))
            {
                j++;
            }

            if (j < pattern.Length && pattern[j] is 'd' or 'e' or 'c' or 'D' or 'F' or 'v' or 'x')
            {
                return true;
            }

            i = j;
        }

        return false;
    }

    private static string Composite(char directive) => directive switch
    {
        'c' => "%a %b %d %T %Y",
        'D' => "%m/%d/%y",
        'F' => "%Y-%m-%d",
        'r' => "%I:%M:%S %p",
        'R' => "%H:%M",
        'T' => "%H:%M:%S",
        _ => "%e-%b-%Y",
    };

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static int Hour12(DateTime date) => date.Hour % 12 == 0 ? 12 : date.Hour % 12;

    private static string AmPm(DateTime date, DateTimeFormatInfo format)
    {
        var designator = date.Hour < 12 ? format.AMDesignator : format.PMDesignator;
        return designator.Length > 0 ? designator : date.Hour < 12 ? "AM" : "PM";
    }

    private static TimeSpan UtcOffset(TemplateContext context, DateTime date) =>
        date.Kind == DateTimeKind.Utc ? TimeSpan.Zero : context.TimeZone.GetUtcOffset(DateTime.SpecifyKind(date, DateTimeKind.Unspecified));

    private static string Offset(TemplateContext context, DateTime date, bool colon)
    {
        var offset = UtcOffset(context, date);
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        offset = offset.Duration();
        return colon
            ? string.Create(CultureInfo.InvariantCulture, $"{sign}{offset.Hours:D2}:{offset.Minutes:D2}")
            : string.Create(CultureInfo.InvariantCulture, $"{sign}{offset.Hours:D2}{offset.Minutes:D2}");
    }

    private static long ToUnixSeconds(TemplateContext context, DateTime date) =>
        new DateTimeOffset(DateTime.SpecifyKind(date, DateTimeKind.Unspecified), UtcOffset(context, date)).ToUnixTimeSeconds();
}
