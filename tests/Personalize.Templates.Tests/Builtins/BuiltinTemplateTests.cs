using System.Globalization;

namespace Personalize.Templates.Tests.Builtins;

/// <summary>Builtins used from real templates: culture, time zone, clock, eval, date arithmetic and limits end to end.</summary>
public sealed class BuiltinTemplateTests
{
    private static readonly FixedTimeProvider Clock = new(new DateTimeOffset(2026, 3, 15, 9, 0, 0, TimeSpan.Zero));

    private static string Render(string source, RenderOptions? options = null, object? model = null, TemplateLimits? limits = null)
    {
        var template = Template.ParseOrThrow(source, new TemplateOptions { Limits = limits ?? TemplateLimits.Default });
        return template.Render(model, options ?? new RenderOptions { TimeProvider = Clock });
    }

    [Fact]
    public void German_and_us_customers_get_their_own_date_and_number_formats()
    {
        const string source = """{{ date.now | date.to_string "%-d. %B %Y" }} | {{ date.now | date.to_string "%B %-d, %Y" }} | {{ price | math.format "N2" }} | {{ 1234.5 }}""";
        var model = new Dictionary<string, object?> { ["price"] = 1234.5m };
        var german = new RenderOptions { TimeProvider = Clock }.WithCulture("de-DE");
        var us = new RenderOptions { TimeProvider = Clock }.WithCulture("en-US");
        Assert.Equal("15. März 2026 | März 15, 2026 | 1.234,50 | 1234,5", Render(source, german, model));
        Assert.Equal("15. March 2026 | March 15, 2026 | 1,234.50 | 1234.5", Render(source, us, model));
        Assert.Equal("15. March 2026 | March 15, 2026 | 1,234.50 | 1234.5", Render(source, model: model));
    }

    [Fact]
    public void Date_now_comes_from_the_injected_clock_in_the_render_time_zone()
    {
        var late = new FixedTimeProvider(new DateTimeOffset(2026, 12, 31, 23, 30, 0, TimeSpan.Zero));
        Assert.Equal("2026-12-31 23:30", Render("""{{ date.now | date.to_string "%F %R" }}""", new RenderOptions { TimeProvider = late }));
        Assert.Equal("2027-01-01 00:30 2027", Render("""{{ date.now | date.to_string "%F %R" }} {{ date.now.year }}""", new RenderOptions { TimeProvider = late }.WithTimeZone("Europe/Berlin")));
    }

    [Fact]
    public void Eval_sees_the_render_variables()
    {
        Assert.Equal("3", Render("""{{ "1 + 2" | object.eval }}"""));
        Assert.Equal("12", Render("""{{ x = 4; "x * 3" | object.eval }}"""));
        Assert.Equal("Hello Ada! 10", Render("""{{ name = "Ada"; "Hello {{ name }}! {{ y = 5 }}{{ y * 2 }}" | object.eval_template }}"""));
        Assert.Equal("5", Render("""{{ 5 | object.eval }}"""));
        var error = Assert.ThrowsAny<TemplateRuntimeException>(() => Render("""{{ "1 +" | object.eval }}"""));
        Assert.Contains("object.eval", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Eval_that_calls_itself_hits_the_recursion_limit()
    {
        var error = Assert.Throws<TemplateLimitExceededException>(() => Render("""{{ x = "object.eval x"; object.eval x }}"""));
        Assert.Equal(nameof(TemplateLimits.MaxRecursionDepth), error.LimitName);
    }

    [Fact]
    public void Dates_and_time_spans_support_the_documented_operators()
    {
        Assert.Equal("3.12:00:00 84 | 06 Jan 2016 | true | 04:00:00", Render("""{{ d = date.parse '2016/01/05'; d2 = date.parse '2016/01/08 12:00' }}{{ d2 - d }} {{ (d2 - d).total_hours }} | {{ d + (timespan.from_days 1) }} | {{ d < d2 }} | {{ (timespan.from_hours 2) * 2 }}"""));
    }

    [Fact]
    public void Ranges_are_reported_as_ranges()
    {
        Assert.Equal("iterator range array int", Render("""{{ 1..5 | object.typeof }} {{ 1..5 | object.kind }} {{ 1..5 | array.reverse | object.kind }} {{ -5 | object.kind }}"""));
    }

    [Fact]
    public void Json_numbers_keep_their_integer_kind()
    {
        using var model = System.Text.Json.JsonDocument.Parse("""{"n": 5, "big": 5000000000, "f": 1.5}""");
        Assert.Equal("int long double | int", Render("""{{ n | object.kind }} {{ big | object.kind }} {{ f | object.kind }} | {{ (`{"a": 7}` | object.from_json).a | object.kind }}""", model: model.RootElement));
    }

    [Fact]
    public void Date_format_is_read_only()
    {
        Assert.ThrowsAny<TemplateRuntimeException>(() => Render("""{{ date.format = "%Y" }}"""));
        Assert.Equal("%d %b %Y", Render("""{{ date.format }}"""));
    }

    [Fact]
    public void Builtins_are_bounded_inside_templates()
    {
        Assert.Equal(nameof(TemplateLimits.MaxStringLength), Assert.Throws<TemplateLimitExceededException>(() => Render("""{{ "x" | string.pad_left 1000000000 }}""")).LimitName);
        Assert.Equal(nameof(TemplateLimits.MaxStringLength), Assert.Throws<TemplateLimitExceededException>(() => Render("""{{ date.now | date.to_string "%999999999Y" }}""")).LimitName);
        var loops = TemplateLimits.Default with { MaxLoopIterations = 1000 };
        Assert.Equal(nameof(TemplateLimits.MaxLoopIterations), Assert.Throws<TemplateLimitExceededException>(() => Render("""{{ (1..5000) | array.join "," }}""", limits: loops)).LimitName);
        Assert.Equal(nameof(TemplateLimits.MaxLoopIterations), Assert.Throws<TemplateLimitExceededException>(() => Render("""{{ a = [1,2,3,4]; for i in 1..20; a = a | array.add_range a; end }}""", limits: loops)).LimitName);
        var regex = TemplateLimits.Default with { RegexTimeout = TimeSpan.FromMilliseconds(20) };
        Assert.Equal(nameof(TemplateLimits.RegexTimeout), Assert.Throws<TemplateLimitExceededException>(() => Render("""{{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!" | regex.match "^(?=a)(a+)+$" }}""", limits: regex)).LimitName);
    }

    [Fact]
    public void Culture_argument_with_an_unknown_name_names_the_problem_and_position()
    {
        var error = Assert.ThrowsAny<TemplateRuntimeException>(() => Render("""{{ 5 | math.format "N2" "xx-NOPE" }}"""));
        Assert.Contains("Unknown culture `xx-NOPE`", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, error.Line);
    }

    [Fact]
    public void Rendering_does_not_depend_on_the_thread_culture()
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("fr-FR");
            Assert.Equal("Sunday 1.5 [\"b\", \"c\"]", Render("""{{ date.now | date.to_string "%A" }} {{ 1.5 }} {{ ["c", "b"] | array.sort }}"""));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }
}
