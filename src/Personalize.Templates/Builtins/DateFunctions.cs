using System.Globalization;
using Personalize.Templates.Runtime;

namespace Personalize.Templates.Builtins;

/// <summary>
/// The <c>date</c> builtin object. Dates are <see cref="DateTime"/> values; members <c>.year</c>, <c>.month</c>, <c>.day</c>,
/// <c>.day_of_year</c>, <c>.hour</c>, <c>.minute</c>, <c>.second</c>, <c>.millisecond</c> read them. <c>date.now</c> reads the
/// render's <see cref="TimeProvider"/> in the render's time zone; formatting uses the render's culture unless a culture is given.
/// A null date gives null.
/// </summary>
internal static class DateFunctions
{
    /// <summary><c>date.now</c>: the current time in the render's time zone (from <see cref="RenderOptions.TimeProvider"/>).</summary>
    public static DateTime Now(TemplateContext context)
    {
        var utc = context.TimeProvider.GetUtcNow();
        return context.TimeZone == TimeZoneInfo.Utc ? utc.UtcDateTime : TimeZoneInfo.ConvertTime(utc, context.TimeZone).DateTime;
    }

    /// <summary><c>date.utc_now</c>: the current UTC time (from <see cref="RenderOptions.TimeProvider"/>).</summary>
    public static DateTime UtcNow(TemplateContext context) => context.TimeProvider.GetUtcNow().UtcDateTime;

    /// <summary><c>date.add_days</c>: the date plus <paramref name="days"/> (may be fractional or negative).</summary>
    public static DateTime? AddDays(TemplateContext context, object? date, double days) => Shift(context, date, Unit.Days, days);

    /// <summary><c>date.add_months</c>: the date plus <paramref name="months"/>.</summary>
    public static DateTime? AddMonths(TemplateContext context, object? date, int months) => Shift(context, date, Unit.Months, months);

    /// <summary><c>date.add_years</c>: the date plus <paramref name="years"/>.</summary>
    public static DateTime? AddYears(TemplateContext context, object? date, int years) => Shift(context, date, Unit.Years, years);

    /// <summary><c>date.add_hours</c>: the date plus <paramref name="hours"/>.</summary>
    public static DateTime? AddHours(TemplateContext context, object? date, double hours) => Shift(context, date, Unit.Hours, hours);

    /// <summary><c>date.add_minutes</c>: the date plus <paramref name="minutes"/>.</summary>
    public static DateTime? AddMinutes(TemplateContext context, object? date, double minutes) => Shift(context, date, Unit.Minutes, minutes);

    /// <summary><c>date.add_seconds</c>: the date plus <paramref name="seconds"/>.</summary>
    public static DateTime? AddSeconds(TemplateContext context, object? date, double seconds) => Shift(context, date, Unit.Seconds, seconds);

    /// <summary><c>date.add_milliseconds</c>: the date plus <paramref name="millis"/>.</summary>
    public static DateTime? AddMilliseconds(TemplateContext context, object? date, double millis) => Shift(context, date, Unit.Milliseconds, millis);

    /// <summary>
    /// <c>date.parse</c>: reads a date from <paramref name="text"/>, with a strftime <paramref name="pattern"/> (<c>%Y-%m-%d</c>)
    /// or any common layout, in <paramref name="culture"/> (the render's culture by default). A text with an offset or
    /// <c>Z</c> is converted to the render's time zone. Null or unreadable text gives null.
    /// </summary>
    public static DateTime? Parse(TemplateContext context, string? text, string? pattern = null, string? culture = null)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var parseCulture = BuiltinHelpers.Culture(context, culture);
        if (!string.IsNullOrEmpty(pattern))
        {
            var format = Strftime.ToParseFormat(pattern, out var unsupported)
                ?? throw context.Error($"`date.parse` cannot read the directive `{unsupported}` of the pattern `{pattern}`. Use %Y %y %m %d %e %b %B %a %A %H %k %I %l %M %S %L %p %z or the composites %F %D %T %R %r.");
            if (!DateTime.TryParseExact(text.Trim(), format, parseCulture, DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.RoundtripKind, out var exact))
            {
                return null;
            }

            return ToRenderZone(context, exact, text, format, parseCulture);
        }

        if (!DateTime.TryParse(text, parseCulture, DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.RoundtripKind, out var parsed))
        {
            return null;
        }

        return ToRenderZone(context, parsed, text, null, parseCulture);
    }

    /// <summary>
    /// <c>date.parse_to_string</c>: parses <paramref name="text"/> (with <paramref name="inputPattern"/> in
    /// <paramref name="inputCulture"/>) and formats it with <paramref name="outputPattern"/> in <paramref name="outputCulture"/>.
    /// </summary>
    public static string? ParseToString(TemplateContext context, string? text, string? outputPattern = null, string? outputCulture = null, string? inputPattern = null, string? inputCulture = null)
    {
        var date = Parse(context, text, inputPattern, inputCulture);
        return date is null ? null : ToString(context, date, outputPattern, outputCulture);
    }

    /// <summary>
    /// <c>date.to_string</c>: formats the date with a strftime <paramref name="pattern"/> (<c>%d %b %Y</c> by default) in
    /// <paramref name="culture"/> (the render's culture by default; <c>%g</c> in the pattern switches to the invariant culture).
    /// </summary>
    public static string? ToString(TemplateContext context, object? datetime, string? pattern = null, string? culture = null)
    {
        var date = ToDate(context, datetime, "datetime");
        if (date is null)
        {
            return null;
        }

        return Strftime.Format(context, date.Value, string.IsNullOrEmpty(pattern) ? Strftime.DefaultFormat : pattern, BuiltinHelpers.Culture(context, culture));
    }

    /// <summary>
    /// Sees a value as a date: a <see cref="DateTime"/> as is, a <see cref="DateTimeOffset"/> in the render's time zone,
    /// a text read like <c>date.parse</c> (ISO 8601 from JSON models included); null (or unreadable text) gives null.
    /// </summary>
    internal static DateTime? ToDate(TemplateContext context, object? value, string parameter) => value switch
    {
        null => null,
        DateTime date => date,
        DateTimeOffset offset => context.TimeZone == TimeZoneInfo.Utc ? offset.UtcDateTime : TimeZoneInfo.ConvertTime(offset, context.TimeZone).DateTime,
        string text => Parse(context, text),
        _ => throw context.Error($"Expected a date for `{parameter}`, not `{context.ToText(value)}` ({ScriptValue.TypeName(value)}). Use `date.parse` to read a date from text."),
    };

    private static DateTime? ToRenderZone(TemplateContext context, DateTime parsed, string text, string? exactFormat, CultureInfo culture)
    {
        if (parsed.Kind == DateTimeKind.Unspecified)
        {
            return parsed;
        }

        // The text carried an offset (Kind Utc for `Z`, Local otherwise): read the instant without the machine's zone.
        DateTimeOffset instant;
        var ok = exactFormat is null
            ? DateTimeOffset.TryParse(text, culture, DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeUniversal, out instant)
            : DateTimeOffset.TryParseExact(text.Trim(), exactFormat, culture, DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeUniversal, out instant);
        if (!ok)
        {
            return null;
        }

        return context.TimeZone == TimeZoneInfo.Utc ? instant.UtcDateTime : TimeZoneInfo.ConvertTime(instant, context.TimeZone).DateTime;
    }

    private static DateTime? Shift(TemplateContext context, object? value, Unit unit, double amount)
    {
        var date = ToDate(context, value, "date");
        if (date is null)
        {
            return null;
        }

        try
        {
            var d = date.Value;
            return unit switch
            {
                Unit.Days => d.AddDays(amount),
                Unit.Months => d.AddMonths((int)amount),
                Unit.Years => d.AddYears((int)amount),
                Unit.Hours => d.AddHours(amount),
                Unit.Minutes => d.AddMinutes(amount),
                Unit.Seconds => d.AddSeconds(amount),
                _ => d.AddMilliseconds(amount),
            };
        }
        catch (ArgumentException)
        {
            throw context.Error($"The date `{date.Value.ToString("O", CultureInfo.InvariantCulture)}` moved out of the supported range (years 1 to 9999).");
        }
    }

    private enum Unit
    {
        Days,
        Months,
        Years,
        Hours,
        Minutes,
        Seconds,
        Milliseconds,
    }
}
