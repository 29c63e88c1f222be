using System.Buffers;
using System.Text;
using System.Text.Json;
using Personalize.Templates.Runtime;

namespace Personalize.Templates.Tests;

/// <summary>
/// What the high-volume render path reuses or skips must not show: JSON string members copied as UTF-8, JSON arrays
/// looped without a list, the per-thread top scope emptied between renders, variable caches shared by threads.
/// </summary>
public sealed class RenderReuseTests
{
    private const string Items = """
        [
          { "name": "plain", "note": "ascii only", "n": 1 },
          { "name": "caf\u00e9 \"quoted\"\n", "note": "Crème brûlée 🌱", "n": 2.50 },
          { "name": "", "note": null, "n": true },
          { "name": "tab\there", "nested": { "a": 1 }, "list": [1, 2] }
        ]
        """;

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static string RenderBoth(Template template, object? model, RenderOptions? options = null)
    {
        var text = template.Render(model, options);
        var buffer = new ArrayBufferWriter<byte>();
        template.RenderUtf8(buffer, model, options);
        Assert.Equal(text, Encoding.UTF8.GetString(buffer.WrittenSpan));
        return text;
    }

    [Fact]
    public void Json_string_members_print_the_same_in_string_and_utf8_renders()
    {
        var template = Template.ParseOrThrow("{{ for p in items }}[{{ p.name }}|{{ p.note }}|{{ p.n }}|{{ p.missing }}|{{ p.nested }}|{{ p.list }}|{{ p.size }}]{{ end }}");
        var model = new Dictionary<string, object?> { ["items"] = Json(Items) };

        var text = RenderBoth(template, model);

        Assert.Equal("[plain|ascii only|1||||][café \"quoted\"\n|Crème brûlée 🌱|2.5||||][||true||||][tab\there||||{a: 1}|[1, 2]|]", text);
    }

    [Fact]
    public void Json_string_members_print_the_same_in_liquid_string_and_utf8_renders()
    {
        var template = Template.ParseOrThrow("{% for p in items %}[{{ p.name }}|{{ p.note }}|{{ p.n }}|{{ p.missing }}|{{ p.list }}|{{ p.name | upcase }}]{% endfor %}", new TemplateOptions { Syntax = TemplateSyntax.Liquid });
        var model = new Dictionary<string, object?> { ["items"] = Json(Items) };

        var text = RenderBoth(template, model);

        Assert.Equal("[plain|ascii only|1|||PLAIN][café \"quoted\"\n|Crème brûlée 🌱|2.5|||CAFÉ \"QUOTED\"\n][||true|||][tab\there||||12|TAB\tHERE]", text);
    }

    [Fact]
    public void A_json_array_looped_again_shows_its_own_items_in_every_render_and_syntax()
    {
        // The same boxed array looped twice in a render and again in the next render, then another array, then the
        // first again: every loop shows the items of the value it walks (a loop may reuse the items it normalized for
        // the very same boxed value, never another's).
        var scriban = Template.ParseOrThrow("{{ for p in a }}{{ p.name }}{{ p.n }};{{ end }}|{{ for p in a reversed }}{{ p.name }};{{ end }}|{{ for p in b }}{{ p.name }};{{ end }}");
        var liquid = Template.ParseOrThrow("{% for p in a %}{{ p.name }}{{ p.n }};{% endfor %}|{% for p in a reversed %}{{ p.name }};{% endfor %}|{% for p in b %}{{ p.name }};{% endfor %}", new TemplateOptions { Syntax = TemplateSyntax.Liquid });
        object first = Json(Items);
        object second = Json("""[{ "name": "x" }, { "name": "y", "n": 7 }]""");
        foreach (var template in new[] { scriban, liquid })
        {
            var expectFirst = RenderBoth(template, new Dictionary<string, object?> { ["a"] = Json(Items), ["b"] = Json(Items) });
            var expectSecond = RenderBoth(template, new Dictionary<string, object?> { ["a"] = Json("""[{ "name": "x" }, { "name": "y", "n": 7 }]"""), ["b"] = Json(Items) });
            Assert.StartsWith("plain1;café \"quoted\"\n2.5;", expectFirst, StringComparison.Ordinal);
            Assert.StartsWith("x;y7;|y;x;|plain;", expectSecond, StringComparison.Ordinal);

            Assert.Equal(expectFirst, RenderBoth(template, new Dictionary<string, object?> { ["a"] = first, ["b"] = first }));
            Assert.Equal(expectSecond, RenderBoth(template, new Dictionary<string, object?> { ["a"] = second, ["b"] = first }));
            Assert.Equal(expectFirst, RenderBoth(template, new Dictionary<string, object?> { ["a"] = first, ["b"] = first }));
            Assert.Equal(expectSecond, RenderBoth(template, new Dictionary<string, object?> { ["a"] = second, ["b"] = first }));
        }
    }

    [Fact]
    public void A_json_array_looped_again_is_charged_every_item_against_the_loop_limit()
    {
        // Each loop over the four items charges 4 for its items and 4 for its iterations: three loops need 24. The same
        // boxed value looped three times is charged as three different values are.
        const string Source = "{{ for p in a }}.{{ end }}{{ for p in b }}.{{ end }}{{ for p in c }}.{{ end }}";
        var enough = Template.ParseOrThrow(Source, new TemplateOptions { Limits = new TemplateLimits { MaxLoopIterations = 24 } });
        var short1 = Template.ParseOrThrow(Source, new TemplateOptions { Limits = new TemplateLimits { MaxLoopIterations = 23 } });
        var same = (object)Json(Items);
        foreach (var model in new[]
        {
            new Dictionary<string, object?> { ["a"] = same, ["b"] = same, ["c"] = same },
            new Dictionary<string, object?> { ["a"] = Json(Items), ["b"] = Json(Items), ["c"] = Json(Items) },
        })
        {
            Assert.Equal("............", enough.Render(model));
            var ex = Assert.Throws<TemplateLimitExceededException>(() => short1.Render(model));
            Assert.Equal(nameof(TemplateLimits.MaxLoopIterations), ex.LimitName);
        }
    }

    [Fact]
    public void Json_string_members_in_an_indented_block_are_reindented_like_any_text()
    {
        var template = Template.ParseOrThrow("<ul>\n    {{ item.text }}\n</ul>");
        var model = new Dictionary<string, object?> { ["item"] = Json("""{ "text": "one\ntwo" }""") };

        Assert.Equal("<ul>\n    one\n    two\n</ul>", RenderBoth(template, model));
    }

    [Theory]
    [InlineData("ééééé", false)]
    [InlineData("éééééé", true)]
    [InlineData("🌱🌱", false)]
    [InlineData("🌱🌱🌱", true)]
    public void Json_string_members_count_against_MaxOutputLength_in_utf16_units_in_every_render(string value, bool fails)
    {
        var options = new TemplateOptions { Limits = new TemplateLimits { MaxOutputLength = 5 } };
        var template = Template.ParseOrThrow("{{ item.text }}", options);
        var model = new Dictionary<string, object?> { ["item"] = Json(JsonSerializer.Serialize(new { text = value })) };

        if (!fails)
        {
            Assert.Equal(value, RenderBoth(template, model));
            return;
        }

        Assert.Equal(nameof(TemplateLimits.MaxOutputLength), Assert.Throws<TemplateLimitExceededException>(() => template.Render(model)).LimitName);
        Assert.Equal(nameof(TemplateLimits.MaxOutputLength), Assert.Throws<TemplateLimitExceededException>(() => template.RenderUtf8(new ArrayBufferWriter<byte>(), model)).LimitName);
    }

    [Fact]
    public void Loops_over_json_arrays_see_every_item_with_offset_limit_reversed_and_loop_variables()
    {
        var template = Template.ParseOrThrow("{{ for p in items }}{{ for.index }}:{{ p.n }}{{ if !for.last }},{{ end }}{{ end }}|{{ for p in items offset: 1 limit: 2 reversed }}{{ p.n }}{{ end }}|{{ for x in nothing }}x{{ else }}none{{ end }}|{{ for x in numbers }}{{ x * 2 }}{{ end }}");
        var model = new Dictionary<string, object?> { ["items"] = Json(Items), ["nothing"] = Json("[]"), ["numbers"] = Json("[1, 2.5, 3]") };

        // `offset: 1 limit: 2 reversed`, as Scriban: skip one, reverse the rest, take two (the last item, whose n is nil, then true).
        Assert.Equal("0:1,1:2.5,2:true,3:|true|none|256", RenderBoth(template, model));
    }

    [Fact]
    public void Loops_over_json_arrays_count_each_item_against_MaxLoopIterations()
    {
        var options = new TemplateOptions { Limits = new TemplateLimits { MaxLoopIterations = 5 } };
        var template = Template.ParseOrThrow("{{ for x in numbers }}{{ x }}{{ end }}", options);

        Assert.Equal("12", template.Render(new Dictionary<string, object?> { ["numbers"] = Json("[1, 2]") }));
        var ex = Assert.Throws<TemplateLimitExceededException>(() => template.Render(new Dictionary<string, object?> { ["numbers"] = Json("[1, 2, 3]") }));
        Assert.Equal(nameof(TemplateLimits.MaxLoopIterations), ex.LimitName);
    }

    [Fact]
    public void Variables_of_one_render_are_gone_in_the_next_render_on_the_same_thread()
    {
        var template = Template.ParseOrThrow("{{ seen ?? \"fresh\" }}{{ seen = name }}{{ for p in [1, 2] }}{{ end }}/{{ p ?? \"no p\" }}");
        var other = Template.ParseOrThrow("{{ seen ?? \"fresh\" }}");

        Assert.Equal("fresh/no p", RenderBoth(template, new { Name = "a" }));
        Assert.Equal("fresh/no p", RenderBoth(template, new { Name = "b" }));
        Assert.Equal("fresh", other.Render(new { Name = "c" }));
    }

    [Fact]
    public void A_scope_handed_out_by_this_keeps_its_variables_after_later_renders()
    {
        var kept = new List<object?>();
        var globals = new ScriptObject();
        globals.Import("keep", new Func<object?, string>(value =>
        {
            kept.Add(value);
            return string.Empty;
        }));
        var template = Template.ParseOrThrow("{{ x = name }}{{ keep this }}{{ x }}", new TemplateOptions { Globals = globals });

        Assert.Equal("first", template.Render(new { Name = "first" }));
        Assert.Equal("second", template.Render(new { Name = "second" }));

        Assert.Equal(2, kept.Count);
        Assert.NotSame(kept[0], kept[1]);
        Assert.Equal("first", Assert.IsType<ScriptObject>(kept[0])["x"]);
        Assert.Equal("second", Assert.IsType<ScriptObject>(kept[1])["x"]);
    }

    [Fact]
    public void Loop_and_template_variables_stay_right_when_many_threads_render_one_template()
    {
        var template = Template.ParseOrThrow("{{ total = 0 }}{{ for p in items }}{{ total = total + p.n }}{{ p.name }};{{ end }}={{ total }}");
        var liquid = Template.ParseOrThrow("{% assign total = 0 %}{% for p in items %}{% assign total = total | plus: p.n %}{{ p.name }};{% endfor %}={{ total }}", new TemplateOptions { Syntax = TemplateSyntax.Liquid });
        var failures = 0;

        Parallel.For(0, 2000, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var n = (i % 4) + 1;
            var items = Json("[" + string.Join(",", Enumerable.Range(1, n).Select(k => $$"""{ "name": "i{{i}}k{{k}}", "n": {{k}} }""")) + "]");
            var expected = string.Concat(Enumerable.Range(1, n).Select(k => $"i{i}k{k};")) + "=" + (n * (n + 1) / 2);
            var model = new Dictionary<string, object?> { ["items"] = items };
            var buffer = new ArrayBufferWriter<byte>();
            template.RenderUtf8(buffer, model);
            if (Encoding.UTF8.GetString(buffer.WrittenSpan) != expected || template.Render(model) != expected || liquid.Render(model) != expected)
            {
                Interlocked.Increment(ref failures);
            }
        });

        Assert.Equal(0, failures);
    }

    public sealed class Named
    {
        public string Name { get; init; } = "poco";
    }

    [Fact]
    public void Members_read_right_when_one_expression_sees_dictionaries_json_and_plain_objects_in_turn()
    {
        var items = new object?[]
        {
            new Dictionary<string, object?> { ["name"] = "dict" },
            new Named(),
            Json("""{ "name": "json" }"""),
            new Dictionary<string, object?> { ["other"] = 1 },
            new Named { Name = "poco2" },
            new Dictionary<string, object?> { ["name"] = "dict2" },
        };
        var model = new Dictionary<string, object?> { ["items"] = items };
        var scriban = Template.ParseOrThrow("{{ for p in items }}[{{ p.name }}]{{ end }}");
        var liquid = Template.ParseOrThrow("{% for p in items %}[{{ p.name }}]{% endfor %}", new TemplateOptions { Syntax = TemplateSyntax.Liquid });

        // Twice: the second render runs with the member caches already filled.
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal("[dict][poco][json][][poco2][dict2]", RenderBoth(scriban, model));
            Assert.Equal("[dict][poco][json][][poco2][dict2]", RenderBoth(liquid, model));
        }
    }

    [Fact]
    public void Normalizing_a_json_element_unboxed_gives_what_the_boxed_form_gives()
    {
        var values = Json("""{ "s": "text", "i": 42, "l": 9007199254740993, "d": 2.5, "t": true, "f": false, "n": null, "o": { "a": 1 }, "a": [1] }""");

        foreach (var property in values.EnumerateObject())
        {
            var unboxed = ScriptValue.Normalize(property.Value);
            var boxed = ScriptValue.Normalize((object)property.Value);
            Assert.Equal(boxed?.GetType(), unboxed?.GetType());
            Assert.Equal(ScriptValue.ToText(boxed, null), ScriptValue.ToText(unboxed, null));
        }
    }
}
