namespace Personalize.Templates.Tests.Liquid;

/// <summary>Every standard Liquid filter the issue lists exists and survives nil, empty and wrong-typed input.</summary>
public sealed class LiquidFilterRobustnessTests
{
    public static TheoryData<string> Filters() => new()
    {
        "abs", "append: 'x'", "at_least: 1", "at_most: 1", "capitalize", "ceil", "compact", "concat: list", "date: '%Y'",
        "default: 'd'", "divided_by: 2", "downcase", "escape", "escape_once", "first", "floor", "join: ','", "last", "lstrip",
        "map: 'a'", "minus: 1", "modulo: 2", "newline_to_br", "plus: 1", "prepend: 'x'", "remove: 'a'", "remove_first: 'a'",
        "replace: 'a', 'b'", "replace_first: 'a', 'b'", "reverse", "round: 1", "rstrip", "size", "slice: 1, 2", "sort",
        "sort_natural", "split: ','", "strip", "strip_html", "strip_newlines", "times: 2", "truncate: 3", "truncatewords: 1",
        "uniq", "upcase", "url_decode", "url_encode", "where: 'a', 1",
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public void Filter_accepts_nil_empty_and_wrong_typed_input(string filter)
    {
        var inputs = new[] { "nil", "missing", "''", "empty_list", "obj", "42", "-3.5", "'abc'", "true", "list", "mixed" };
        var model = new
        {
            EmptyList = Array.Empty<object>(),
            Obj = new Dictionary<string, object?> { ["a"] = 1 },
            List = new object?[] { 3, 1, 2 },
            Mixed = new object?[] { "b", 1, null, true, new Dictionary<string, object?> { ["a"] = 1 } },
        };

        foreach (var input in inputs)
        {
            var template = Template.Parse($"{{{{ {input} | {filter} }}}}", new TemplateOptions { Syntax = TemplateSyntax.Liquid });
            Assert.False(template.HasErrors, $"{input} | {filter}: {string.Join("; ", template.Diagnostics)}");
            try
            {
                template.Render(model);
            }
            catch (TemplateRuntimeException ex)
            {
                // A clear render error is acceptable for input a filter cannot use (never a crash).
                Assert.False(string.IsNullOrWhiteSpace(ex.Detail));
            }
        }
    }

    [Theory]
    [InlineData("{{ nil | default: 'x' }}", "x")]
    [InlineData("{{ false | default: 'x' }}", "x")]
    [InlineData("{{ false | default: 'x', allow_false: true }}", "false")]
    [InlineData("{{ '' | default: 'x' }}", "x")]
    [InlineData("{{ ' ' | default: 'x' }}", " ")]
    [InlineData("{{ 0 | default: 'x' }}", "0")]
    [InlineData("{{ empty_list | default: 'x' }}", "x")]
    [InlineData("{{ 7 | divided_by: 2 }}", "3")]
    [InlineData("{{ 7 | divided_by: 2.0 }}", "3.5")]
    [InlineData("{{ -7 | divided_by: 2 }}", "-4")]
    [InlineData("{{ 2.5 | round }}", "3")]
    [InlineData("{{ 3.14159 | round: 2 }}", "3.14")]
    [InlineData("{{ 1.0 | plus: 1 }}", "2.0")]
    [InlineData("{{ 'abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz' | truncate }}", "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstu...")]
    [InlineData("{{ 'a b c d e f g h i j k l m n o p q' | truncatewords }}", "a b c d e f g h i j k l m n o...")]
    [InlineData("{{ list | join }}", "3 1 2")]
    [InlineData("{{ list }}", "312")]
    [InlineData("{{ list | sort | first }}", "1")]
    [InlineData("{{ 'Straße ﬁn' | upcase }}", "STRASSE FIN")]
    [InlineData("{{ 'ßig' | capitalize }}", "Ssig")]
    [InlineData("{{ '🙂 smile' | truncate: 5 }}|{{ '🙂 smile' | truncate: 7 }}", "🙂 ...|🙂 smile")]
    [InlineData("{% assign x = nil | truncatewords: 3 %}{% case x %}{% when nil %}nil{% endcase %}", "nil")]
    [InlineData("{% assign x = nil | truncate: 3 %}{% if x == nil %}nil{% endif %}", "nil")]
    [InlineData("[{{ 2.5 | sort: 'title' }}][{{ 2.5 | sort_natural: 'title' }}][{{ 2 | sort: 'title' }}]", "[][][2]")]
    [InlineData("[{{ 2.5 | compact: 'title' }}][{{ 2.5 | uniq: 'title' }}]", "[][2.5]")]
    [InlineData("{% assign x = floats | uniq: 'title' %}{% if x == nil %}nil{% endif %}", "nil")]
    public void Filter_follows_Shopify_semantics(string source, string expected)
    {
        var template = Template.ParseOrThrow(source, new TemplateOptions { Syntax = TemplateSyntax.Liquid });

        Assert.Equal(expected, template.Render(new { EmptyList = Array.Empty<int>(), List = new[] { 3, 1, 2 }, Floats = new[] { 1.5, 2.5 } }));
    }

    [Theory]
    [InlineData("Lorem ipsum dolor", 8, "...")]
    [InlineData("Lorem ipsum dolor", 8, "…")]
    [InlineData("Lorem ipsum dolor", 2, "...")]
    [InlineData("Lorem ipsum dolor", 0, "")]
    [InlineData("Lorem ipsum dolor", -4, "--")]
    [InlineData("Lorem ipsum dolor", 17, "...")]
    [InlineData("Lorem ipsum dolor", 16, " (more)")]
    [InlineData("", 0, "...")]
    public void Truncate_filter_cuts_like_string_truncate_on_text_without_emoji(string text, int length, string ellipsis)
    {
        var liquid = Template.ParseOrThrow("{{ x | truncate: n, e }}|{{ x | truncate: n }}", new TemplateOptions { Syntax = TemplateSyntax.Liquid });
        var scriban = Template.ParseOrThrow("{{ x | string.truncate n e }}|{{ x | string.truncate n }}");
        var model = new { X = text, N = length, E = ellipsis };

        Assert.Equal(scriban.Render(model), liquid.Render(model));
    }

    [Theory]
    [InlineData("\U0001F600\U0001F600\U0001F600\U0001F600\U0001F600", 5, "\U0001F600\U0001F600\U0001F600\U0001F600\U0001F600")]
    [InlineData("\U0001F600\U0001F600\U0001F600\U0001F600\U0001F600\U0001F600", 5, "\U0001F600\U0001F600...")]
    [InlineData("ab\U0001F600cde", 6, "ab\U0001F600cde")]
    [InlineData("ab\U0001F600cdef", 6, "ab\U0001F600...")]
    public void Truncate_counts_characters_not_utf16_units(string text, int length, string expected)
    {
        // Shopify's Liquid counts characters (code points): five emoji are five, although they are ten UTF-16 units.
        var template = Template.ParseOrThrow("{{ x | truncate: n }}", new TemplateOptions { Syntax = TemplateSyntax.Liquid });

        Assert.Equal(expected, template.Render(new { X = text, N = length }));
    }

    [Fact]
    public void Division_by_zero_is_a_render_error_at_the_filter()
    {
        var template = Template.ParseOrThrow("a\n{{ 5 | divided_by: 0 }}", new TemplateOptions { Syntax = TemplateSyntax.Liquid });

        var ex = Assert.Throws<TemplateRuntimeException>(() => template.Render());
        Assert.Equal(2, ex.Line);
        Assert.Contains("divided by 0", ex.Detail, StringComparison.Ordinal);
    }
}
