using System.Buffers;
using System.Globalization;
using System.Text;
using Personalize.Templates.Runtime;

namespace Personalize.Templates.Tests.Liquid;

public sealed class LiquidSyntaxTests
{
    private static readonly TemplateOptions Liquid = new() { Syntax = TemplateSyntax.Liquid };

    private static string Render(string source, object? model = null, RenderOptions? render = null) =>
        Template.ParseOrThrow(source, Liquid).Render(model, render);

    private sealed record Customer(string FirstName, int Points, string[] Tags);

    [Fact]
    public void Liquid_renders_a_POCO_model_with_snake_case_members()
    {
        var text = Render("{{ customer.first_name | upcase }} has {{ customer.points | plus: 5 }} points{% if customer.tags contains 'vip' %} (VIP){% endif %}",
            new { Customer = new Customer("Ada", 10, new[] { "vip" }) });

        Assert.Equal("ADA has 15 points (VIP)", text);
    }

    [Fact]
    public void The_same_loop_in_Liquid_and_Scriban_renders_the_same_text()
    {
        var model = new { Products = new[] { new { Title = "Vase", Price = 30 }, new { Title = "Pan", Price = 25 } } };
        var liquid = Render("{% for p in products %}{{ forloop.index }}. {{ p.title }}: {{ p.price | times: 2 }}\n{% endfor %}", model);
        var scriban = Template.ParseOrThrow("{{ for p in products }}{{ for.index + 1 }}. {{ p.title }}: {{ p.price * 2 }}\n{{ end }}").Render(model);

        Assert.Equal("1. Vase: 60\n2. Pan: 50\n", liquid);
        Assert.Equal(scriban, liquid);
    }

    [Fact]
    public void Utf8_and_TextWriter_rendering_give_the_same_text_as_strings()
    {
        var template = Template.ParseOrThrow("Grüße {{ name | append: ' ✓' }}{% for i in (1..3) %}{{ i }}{% endfor %}", Liquid);
        var buffer = new ArrayBufferWriter<byte>();
        template.RenderUtf8(buffer, new { Name = "Zoë" });
        var writer = new StringWriter();
        template.RenderTo(writer, new { Name = "Zoë" });

        Assert.Equal("Grüße Zoë ✓123", Encoding.UTF8.GetString(buffer.WrittenSpan));
        Assert.Equal("Grüße Zoë ✓123", writer.ToString());
    }

    [Theory]
    [InlineData("{% if 0 %}yes{% endif %}", "yes")]
    [InlineData("{% if '' %}yes{% endif %}", "yes")]
    [InlineData("{% if nil %}yes{% else %}no{% endif %}", "no")]
    [InlineData("{% if false %}yes{% else %}no{% endif %}", "no")]
    [InlineData("{% if missing %}yes{% else %}no{% endif %}", "no")]
    [InlineData("{% unless 0 %}yes{% else %}no{% endunless %}", "no")]
    public void Only_false_and_nil_are_falsy(string source, string expected) => Assert.Equal(expected, Render(source));

    [Fact]
    public void Scriban_builtin_objects_are_not_Liquid_variables_but_the_model_and_host_globals_are()
    {
        var globals = new ScriptObject();
        globals.SetValue("shop", "ACME");
        var template = Template.ParseOrThrow("[{{ date }}][{{ string }}][{{ include }}]{% if array %}never{% endif %}{{ shop }} {{ date.year }}", Liquid with { Globals = globals });

        Assert.Equal("[][][]ACME ", template.Render());
        Assert.Equal("[2026][][]ACME ", Template.ParseOrThrow("[{{ date }}][{{ string }}][{{ include }}]{{ shop }} ", Liquid with { Globals = globals }).Render(new { Date = 2026 }));
    }

    [Fact]
    public void Whitespace_control_trims_both_sides_of_a_tag()
    {
        Assert.Equal("a|b|", Render("{%- for x in list -%}\n   {{- x -}}  \n |\n{%- endfor -%}\n", new { List = new[] { "a", "b" } }));
        Assert.Equal("[ x ]", Render("[ {{ 'x' }} ]"));
    }

    [Fact]
    public void Increment_cycle_and_counters_restart_for_every_render()
    {
        var template = Template.ParseOrThrow("{% increment n %}{% increment n %}{% cycle 'a','b' %}{% cycle 'a','b' %}{% decrement d %}", Liquid);

        Assert.Equal("01ab-1", template.Render());
        Assert.Equal("01ab-1", template.Render());
    }

    [Fact]
    public void Concurrent_renders_of_one_template_do_not_share_state()
    {
        var template = Template.ParseOrThrow("{% for i in (1..50) %}{% cycle 'x','y' %}{% increment c %}{% endfor %}{{ name }}", Liquid);
        var expected = template.Render(new { Name = "n" });
        var results = new string[64];

        Parallel.For(0, results.Length, i => results[i] = template.Render(new { Name = "n" }));

        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Fact]
    public void Date_uses_the_render_clock_and_culture()
    {
        var render = new RenderOptions
        {
            TimeProvider = new FixedTimeProvider(new DateTimeOffset(2026, 3, 7, 9, 0, 0, TimeSpan.Zero)),
            Culture = CultureInfo.GetCultureInfo("de-DE"),
        };

        Assert.Equal("7. März 2026", Render("{{ 'now' | date: '%-d. %B %Y' }}", null, render));
        Assert.Equal("Samstag", Render("{{ 'today' | date: '%A' }}", null, render));
        Assert.Equal("March", Render("{{ 'now' | date: '%B' }}", null, render with { Culture = CultureInfo.InvariantCulture }));
    }

    [Fact]
    public void Host_functions_in_globals_can_be_used_as_filters()
    {
        var globals = new ScriptObject();
        globals.Import("shout", new Func<string, int, string>((text, times) => string.Concat(Enumerable.Repeat(text.ToUpperInvariant(), times))));
        var template = Template.ParseOrThrow("{{ 'hi' | shout: 2 }}", Liquid with { Globals = globals });

        Assert.Equal("HIHI", template.Render());
    }

    [Fact]
    public void Render_sees_only_its_arguments_while_include_sees_the_callers_variables()
    {
        var loader = new DictionaryLoader(new() { ["who"] = "[{{ name }}|{{ secret }}]" });
        var options = Liquid with { Loader = loader };
        var template = Template.ParseOrThrow("{% assign secret = 's' %}{% include 'who', name: 'inc' %}{% render 'who', name: 'ren' %}", options);

        Assert.Equal("[inc|s][ren|]", template.Render());
    }

    [Fact]
    public void Partials_render_with_the_model_and_can_be_rendered_for_each_item()
    {
        var loader = new DictionaryLoader(new() { ["row.liquid"] = "{{ row.title }}@{{ shop }};" });
        var template = Template.ParseOrThrow("{% render 'row' for rows as row %}", Liquid with { Loader = loader });

        Assert.Equal("a@S;b@S;", template.Render(new { Shop = "S", Rows = new[] { new { Title = "a" }, new { Title = "b" } } }));
    }

    [Fact]
    public void Strict_variables_reports_an_undefined_variable_with_its_position()
    {
        var template = Template.ParseOrThrow("ok\n{{ missing }}", Liquid with { StrictVariables = true });

        var ex = Assert.Throws<TemplateRuntimeException>(() => template.Render());
        Assert.Equal(2, ex.Line);
        Assert.Contains("missing", ex.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_parse_error_is_a_diagnostic_and_ParseOrThrow_shows_the_line()
    {
        var template = Template.Parse("line 1\n  {% for p in products %}{{ p }}", Liquid);

        var diagnostic = Assert.Single(template.Diagnostics);
        Assert.True(template.HasErrors);
        Assert.Equal((2, 6), (diagnostic.Line, diagnostic.Column));
        Assert.Contains("{% endfor %}", diagnostic.Message, StringComparison.Ordinal);
        var ex = Assert.Throws<TemplateParseException>(() => Template.ParseOrThrow("line 1\n  {% for p in products %}{{ p }}", Liquid));
        Assert.Contains("{% for p in products %}", ex.Message, StringComparison.Ordinal);
        Assert.Throws<TemplateParseException>(() => template.Render());
    }

    [Theory]
    [InlineData("{% iff x %}", 1, 4, "Did you mean `if`?")]
    [InlineData("a\n{% endfor %}", 2, 4, "no open `for`")]
    [InlineData("{% if a %}\n{% for x in y %}\n{% endif %}", 2, 4, "add `{% endfor %}`")]
    [InlineData("{{ x | truncate: 1, 2, 3 }}", 1, 8, "takes 0 to 2 arguments")]
    [InlineData("{{ x | downcasee }}", 1, 8, "Did you mean `downcase`?")]
    [InlineData("{% assign x == 1 %}", 1, 13, "Expected `=`")]
    [InlineData("{% if x = 1 %}{% endif %}", 1, 9, "write `==`")]
    [InlineData("{% for x in y limit 2 %}{% endfor %}", 1, 15, "Expected `:` after `limit`")]
    [InlineData("{% if a %}\n{% else if b %}\n{% endif %}", 2, 9, "write `{% elsif condition %}`")]
    [InlineData("text {% raw %} never closed", 1, 6, "add `{% endraw %}`")]
    public void Diagnostics_name_the_position_and_the_fix(string source, int line, int column, string fix)
    {
        var template = Template.Parse(source, Liquid);

        var diagnostic = template.Diagnostics[0];
        Assert.Equal((line, column), (diagnostic.Line, diagnostic.Column));
        Assert.Contains(fix, diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deeply_nested_blocks_are_a_diagnostic_not_a_stack_overflow()
    {
        var source = string.Concat(Enumerable.Repeat("{% if true %}", 5000)) + string.Concat(Enumerable.Repeat("{% endif %}", 5000));

        var template = Template.Parse(source, Liquid);

        Assert.Contains(template.Diagnostics, d => d.Message.Contains("MaxParseDepth", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{{ x", " | upcase", " }}")]
    [InlineData("{{ x", ".a", " }}")]
    [InlineData("{{ x", "[0]", " }}")]
    [InlineData("{% if x", " and x", " %}{% endif %}")]
    [InlineData("{{ ", "(", "1..2) }}")]
    public void Long_expression_chains_are_a_diagnostic_not_a_stack_overflow(string head, string link, string tail)
    {
        var source = head + string.Concat(Enumerable.Repeat(link, 100_000)) + tail;

        var template = Template.Parse(source, Liquid);

        Assert.Contains(template.Diagnostics, d => d.Message.Contains("MaxParseDepth", StringComparison.Ordinal));
    }

    [Fact]
    public void Chains_within_MaxParseDepth_parse_and_render()
    {
        var filters = "{{ x" + string.Concat(Enumerable.Repeat(" | append: 'b'", 150)) + " }}";

        Assert.Equal("a" + new string('b', 150), Render(filters, new { X = "a" }));
    }

    [Fact]
    public void An_array_that_contains_itself_prints_as_a_render_error()
    {
        var list = new List<object?> { 1 };
        list.Add(list);

        var ex = Assert.Throws<TemplateRuntimeException>(() => Render("{{ list }}", new { List = list }));
        Assert.Contains("nested more than", ex.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Sandbox_limits_apply_to_Liquid_loops_ranges_output_and_partials()
    {
        var small = Liquid with { Limits = new TemplateLimits { MaxLoopIterations = 100, MaxOutputLength = 1000 } };
        var loops = Assert.Throws<TemplateLimitExceededException>(() => Template.ParseOrThrow("{% for i in (1..20) %}{% for j in (1..20) %}{% endfor %}{% endfor %}", small).Render());
        Assert.Equal(nameof(TemplateLimits.MaxLoopIterations), loops.LimitName);

        var range = Assert.Throws<TemplateLimitExceededException>(() => Render("{% for i in (1..100000000) %}{% endfor %}"));
        Assert.Equal(nameof(TemplateLimits.MaxRangeLength), range.LimitName);

        var output = Assert.Throws<TemplateLimitExceededException>(() => Template.ParseOrThrow("{% for i in (1..90) %}0123456789ABCDEF{% endfor %}", small).Render());
        Assert.Equal(nameof(TemplateLimits.MaxOutputLength), output.LimitName);

        var loader = new DictionaryLoader(new() { ["self"] = "x{% include 'self' %}" });
        var recursion = Assert.Throws<TemplateLimitExceededException>(() => Template.ParseOrThrow("{% include 'self' %}", Liquid with { Loader = loader }).Render());
        Assert.Equal(nameof(TemplateLimits.MaxRecursionDepth), recursion.LimitName);
    }

    [Fact]
    public void Partials_without_a_loader_or_missing_names_are_render_errors_that_say_what_to_do()
    {
        var noLoader = Assert.Throws<TemplateRuntimeException>(() => Render("{% render 'x' %}"));
        Assert.Contains("TemplateOptions.Loader", noLoader.Detail, StringComparison.Ordinal);

        var missing = Assert.Throws<TemplateRuntimeException>(() => Template.ParseOrThrow("\n {% include 'nope' %}", Liquid with { Loader = new DictionaryLoader(new()) }).Render());
        Assert.Equal(2, missing.Line);
        Assert.Contains("nope.liquid", missing.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Ordering_text_against_a_number_is_a_render_error_with_advice()
    {
        var ex = Assert.Throws<TemplateRuntimeException>(() => Render("{% if 'abc' > 1 %}{% endif %}"));

        Assert.Contains("Compare numbers with numbers", ex.Detail, StringComparison.Ordinal);
    }

    private sealed class DictionaryLoader(Dictionary<string, string> templates) : ITemplateLoader
    {
        public bool TryLoad(string name, out string source) => templates.TryGetValue(name, out source!);
    }
}
