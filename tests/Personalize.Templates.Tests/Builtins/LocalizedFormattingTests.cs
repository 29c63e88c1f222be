using System.Globalization;
using static Personalize.Templates.Tests.Builtins.BuiltinHarness;

namespace Personalize.Templates.Tests.Builtins;

public sealed class LocalizedFormattingTests
{
    private static readonly DateTime Ides = new(2026, 3, 15);

    [Fact]
    public void German_customer_sees_german_month_names()
    {
        var german = Context(RenderOptions.Default.WithCulture("de-DE"));
        Assert.Equal("15. März 2026", Text(german, "date.to_string", Ides, "%-d. %B %Y"));
        Assert.Equal("Sonntag, 15. März", Text(german, "date.to_string", Ides, "%A, %-d. %B"));
    }

    [Fact]
    public void Us_customer_sees_english_month_names()
    {
        var us = Context(RenderOptions.Default.WithCulture("en-US"));
        Assert.Equal("March 15, 2026", Text(us, "date.to_string", Ides, "%B %-d, %Y"));
        Assert.Equal("3/15/2026", Text(us, "date.to_string", Ides, "%x"));
    }

    [Fact]
    public void The_culture_argument_overrides_the_render_culture_and_g_forces_invariant()
    {
        var german = Context(RenderOptions.Default.WithCulture("de-DE"));
        Assert.Equal("05 janvier 2016", Text(german, "date.to_string", new DateTime(2016, 1, 5), "%d %B %Y", "fr-FR"));
        Assert.Equal("15 March 2026", Text(german, "date.to_string", Ides, "%g%d %B %Y"));
    }

    [Fact]
    public void Number_formatting_follows_the_culture()
    {
        var german = Context(RenderOptions.Default.WithCulture("de-DE"));
        var us = Context(RenderOptions.Default.WithCulture("en-US"));
        Assert.Equal("1.234,50", Text(german, "math.format", 1234.5, "N2"));
        Assert.Equal("1,234.50", Text(us, "math.format", 1234.5, "N2"));
        Assert.Equal("1234,5", german.ToText(1234.5));
        Assert.Equal("1234.5", Context().ToText(1234.5));
        Assert.Equal("1,234.50", Text(german, "math.format", 1234.5, "N2", "en-US"));
    }

    [Fact]
    public void Default_is_invariant()
    {
        Assert.Same(CultureInfo.InvariantCulture, RenderOptions.Default.Culture);
        Assert.Equal(TimeZoneInfo.Utc, RenderOptions.Default.TimeZone);
        Assert.Equal("Sunday 15 March 2026", Text("date.to_string", Ides, "%A %d %B %Y"));
    }

    [Fact]
    public void Unknown_culture_names_are_clear_errors()
    {
        var options = Assert.Throws<CultureNotFoundException>(() => RenderOptions.Default.WithCulture("xx-NOPE"));
        Assert.Contains("xx-NOPE", options.Message, StringComparison.Ordinal);
        Assert.Contains("de-DE", options.Message, StringComparison.Ordinal);

        var render = Assert.ThrowsAny<TemplateRuntimeException>(() => Call(Context(), "date.to_string", Ides, "%B", "xx-NOPE"));
        Assert.Contains("Unknown culture `xx-NOPE`", render.Message, StringComparison.Ordinal);
        Assert.ThrowsAny<TemplateRuntimeException>(() => Call(Context(), "math.format", 1, "N2", "klingon"));
    }

    [Fact]
    public void Unknown_time_zone_is_a_clear_error()
    {
        var error = Assert.Throws<TimeZoneNotFoundException>(() => RenderOptions.Default.WithTimeZone("Mars/Olympus"));
        Assert.Contains("Mars/Olympus", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invariant_name_is_accepted()
    {
        Assert.Same(CultureInfo.InvariantCulture, RenderOptions.Default.WithCulture("invariant").Culture);
    }
}
