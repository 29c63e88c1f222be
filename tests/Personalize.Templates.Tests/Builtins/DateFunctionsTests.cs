using System.Globalization;
using static Personalize.Templates.Tests.Builtins.BuiltinHarness;

namespace Personalize.Templates.Tests.Builtins;

public sealed class DateFunctionsTests
{
    private static readonly DateTime Sample = new(2016, 1, 5, 21, 22, 23, 24);

    [Theory]
    [InlineData("%a", "Tue")]
    [InlineData("%A", "Tuesday")]
    [InlineData("%b", "Jan")]
    [InlineData("%B", "January")]
    [InlineData("%c", "Tue Jan 05 21:22:23 2016")]
    [InlineData("%C", "20")]
    [InlineData("%d", "05")]
    [InlineData("%D", "01/05/16")]
    [InlineData("%e", " 5")]
    [InlineData("%F", "2016-01-05")]
    [InlineData("%H", "21")]
    [InlineData("%I", "09")]
    [InlineData("%j", "005")]
    [InlineData("%k", "21")]
    [InlineData("%l", " 9")]
    [InlineData("%L", "024")]
    [InlineData("%m", "01")]
    [InlineData("%M", "22")]
    [InlineData("%N", "024000000")]
    [InlineData("%3N", "024")]
    [InlineData("%p", "PM")]
    [InlineData("%P", "pm")]
    [InlineData("%r", "09:22:23 PM")]
    [InlineData("%R", "21:22")]
    [InlineData("%S", "23")]
    [InlineData("%T", "21:22:23")]
    [InlineData("%u", "2")]
    [InlineData("%U", "02")]
    [InlineData("%v", " 5-JAN-2016")]
    [InlineData("%V", "01")]
    [InlineData("%W", "02")]
    [InlineData("%w", "2")]
    [InlineData("%x", "01/05/2016")]
    [InlineData("%X", "21:22:23")]
    [InlineData("%y", "16")]
    [InlineData("%Y", "2016")]
    [InlineData("%Z", "+00:00")]
    [InlineData("%%", "%")]
    [InlineData("%-d/%-m", "5/1")]
    [InlineData("%^a %_5Y|%05d", "TUE  2016|00005")]
    [InlineData("%q", "%q")]
    [InlineData("%g", " 05 Jan 2016")]
    [InlineData("100%", "100%")]
    public void Strftime_directives(string pattern, string expected) => Assert.Equal(expected, Text("date.to_string", Sample, pattern));

    [Fact]
    public void Parse_and_shift()
    {
        var context = Context();
        var date = Call(context, "date.parse", "2016/01/05");
        Assert.Equal("05 Jan 2016", context.ToText(date));
        Assert.Equal("06 Jan 2016", Text(context, "date.add_days", date, 1));
        Assert.Equal("05 Feb 2016", Text(context, "date.add_months", date, 1));
        Assert.Equal("05 Jan 2017", Text(context, "date.add_years", date, 1));
        Assert.Equal("2016-01-05 01:00", Text(context, "date.to_string", Call(context, "date.add_hours", date, 1), "%F %R"));
        Assert.Equal("17 Jun 2018", Text("date.parse", "2018--06--17", "%Y--%m--%d"));
        Assert.Equal("30 Nov 2021", Text("date.parse", "2021/11/30 09:50:23Z"));
        Assert.Equal("20 Jan 2022", BuiltinHarness.Context().ToText(CallNamed(Context(), "date.parse", ["20/01/2022 08:32:48 +00:00"], [("culture", "en-GB")])));
        Assert.Null(Call(Context(), "date.parse", [null]));
        Assert.Null(Call(Context(), "date.parse", "not a date"));
        Assert.Null(Call(Context(), "date.add_days", null, 1));
        Assert.Null(Call(Context(), "date.to_string", null, "%d"));
    }

    [Fact]
    public void Parse_to_string_with_input_pattern_and_cultures()
    {
        Assert.Equal("2016--01--05", Text("date.parse_to_string", "2016/01/05", "%Y--%m--%d"));
        Assert.Equal("Mar 14, 16", Text("date.parse_to_string", "March 14, 2016", "%b %d, %y"));
        var context = Context();
        Assert.Equal("Mar 14, 16", context.ToText(CallNamed(context, "date.parse_to_string", ["03 14, 2016", "%b %d, %y"], [("input_pattern", "%m %d, %Y")])));
        Assert.Equal("02:01:23 PM", context.ToText(CallNamed(context, "date.parse_to_string", ["2025-01-01 14:01:23", "%r"], [("input_pattern", "%Y-%m-%d %k:%M:%S")])));
        Assert.Equal("2025-03-01", context.ToText(CallNamed(context, "date.parse_to_string", ["03/01/2025 14:01:23", "%F"], [("input_culture", "en-US"), ("output_culture", "en-GB")])));
    }

    [Fact]
    public void Unsupported_parse_directive_is_a_clear_error()
    {
        var error = Assert.ThrowsAny<TemplateRuntimeException>(() => Call(Context(), "date.parse", "2016", "%Y %U"));
        Assert.Contains("%U", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Now_reads_the_injected_clock_in_the_render_time_zone()
    {
        var clock = new FixedTimeProvider(new DateTimeOffset(2026, 3, 15, 23, 30, 0, TimeSpan.Zero));
        var utc = Context(new RenderOptions { TimeProvider = clock });
        Assert.Equal("2026-03-15 23:30 +00:00", Text(utc, "date.to_string", Call(utc, "date.now"), "%F %R %Z"));
        Assert.Equal("2026-03-15 23:30", Text(utc, "date.to_string", Call(utc, "date.utc_now"), "%F %R"));

        var berlin = Context(new RenderOptions { TimeProvider = clock }.WithTimeZone("Europe/Berlin"));
        Assert.Equal("2026-03-16 00:30 +01:00", Text(berlin, "date.to_string", Call(berlin, "date.now"), "%F %R %Z"));
        Assert.Equal("2026-03-15 23:30", Text(berlin, "date.to_string", Call(berlin, "date.utc_now"), "%F %R"));
        Assert.Equal(2026, ((DateTime)Call(berlin, "date.now")!).Year);
    }

    [Fact]
    public void Dates_with_an_offset_are_converted_to_the_render_time_zone()
    {
        var newYork = Context(RenderOptions.Default.WithTimeZone("America/New_York"));
        Assert.Equal("2021-11-30 04:50", Text(newYork, "date.to_string", Call(newYork, "date.parse", "2021-11-30 09:50:00Z"), "%F %R"));
        Assert.Equal("2021-11-30 09:50", Text(newYork, "date.to_string", Call(newYork, "date.parse", "2021-11-30 09:50:00"), "%F %R"));
    }

    [Fact]
    public void Offsets_and_iso_text_from_models_are_dates_in_the_render_time_zone()
    {
        var berlin = Context(RenderOptions.Default.WithTimeZone("Europe/Berlin"));
        var instant = new DateTimeOffset(2026, 3, 15, 23, 30, 0, TimeSpan.Zero);
        Assert.Equal("2026-03-16 00:30", Text(berlin, "date.to_string", instant, "%F %R"));
        Assert.Equal("2026-03-16 00:30", Text(berlin, "date.to_string", "2026-03-15T23:30:00Z", "%F %R"));
        Assert.Equal("2026-03-17 00:30", Text(berlin, "date.to_string", Call(berlin, "date.add_days", instant, 1), "%F %R"));
        var error = Assert.ThrowsAny<TemplateRuntimeException>(() => Call(berlin, "date.to_string", 42, "%F"));
        Assert.Contains("Expected a date", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Timespan_functions()
    {
        Assert.Equal(TimeSpan.FromDays(5), Call(Context(), "timespan.from_days", 5));
        Assert.Equal(TimeSpan.FromHours(5), Call(Context(), "timespan.from_hours", 5));
        Assert.Equal(TimeSpan.FromMinutes(1.5), Call(Context(), "timespan.from_minutes", 1.5));
        Assert.Equal(TimeSpan.FromSeconds(5), Call(Context(), "timespan.from_seconds", 5));
        Assert.Equal(TimeSpan.FromMilliseconds(5), Call(Context(), "timespan.from_milliseconds", 5));
        Assert.Equal(new TimeSpan(1, 2, 3, 4), Call(Context(), "timespan.parse", "1.02:03:04"));
        Assert.Null(Call(Context(), "timespan.parse", "soon"));
        Assert.ThrowsAny<TemplateRuntimeException>(() => Call(Context(), "timespan.from_days", 1e300));
        var timespan = (Runtime.ScriptObject)Personalize.Templates.Builtins.BuiltinObjects.Root["timespan"]!;
        Assert.Equal(TimeSpan.Zero, timespan["zero"]);
    }

    [Fact]
    public void Date_format_values_are_exposed()
    {
        var date = (Runtime.ScriptObject)Personalize.Templates.Builtins.BuiltinObjects.Root["date"]!;
        Assert.Equal("%d %b %Y", date["default_format"]);
        Assert.Equal("%d %b %Y", date["format"]);
    }

    [Fact]
    public void Invariant_text_does_not_depend_on_the_thread_culture()
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            Assert.Equal("Tue 05 January 2016", Text("date.to_string", Sample, "%a %d %B %Y"));
            Assert.Equal("1.5", Text("math.format", 1.5, "0.0"));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }
}
