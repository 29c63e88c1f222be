using Personalize.Templates.Tests.Differential;

namespace Personalize.Templates.Tests.Differential;

/// <summary>
/// Behaviours where this engine used to differ from Scriban 7.6.1 (issue 16): each case states the text a user gets and checks
/// that Scriban itself gives the same, so an expectation cannot drift from the real engine.
/// </summary>
public sealed class ScribanExactnessTests
{
    [Theory]
    // Auto-indentation of blocks: the white space before a block's `{{` indents the block's text.
    [InlineData("<ul>\n  {{ for p in [1,2] }}\n    <li>{{ p }}</li>\n  {{ end }}\n</ul>", "<ul>\n  \n      <li>1</li>\n    \n      <li>2</li>\n    \n</ul>")]
    [InlineData("a\n  {{ if true }}\nx\ny\n{{ end }}\nb", "a\n  \n  x\n  y\n\nb")]
    [InlineData("a\n  {{ for i in 1..2 }}\n{{ i }}\n{{ end }}b", "a\n  \n1\n  \n2\nb")]
    [InlineData("a\n  {{ for i in 1..2 }}\n    {{ if true }}\nq\n    {{ end }}\n  {{ end }}b", "a\n  \n      \n    q\n        \n    \n      \n    q\n        \n    b")]
    [InlineData("  {{ capture c }}\nx\ny\n{{ end }}[{{ c }}]", "  [\n  x\n  y\n]")]
    [InlineData("  {{ for i in 1..2 }}\n  {{ \"p\\nq\" }}\n  {{ end }}", "  \n    p\n  q\n    \n    p\n  q\n    ")]
    [InlineData("  {{ with {a:1} }}\nx\n{{ end }}", "  \n  x\n")]
    [InlineData("\t{{ if true }}\nx\n{{ else }}\ny\n{{ end }}", "\t\n\tx\n")]
    [InlineData("  {{ if false }}\nx\n{{ else }}\ny\nz\n{{ end }}", "  \n  y\n  z\n")]
    [InlineData("  {{ x = 1; if true }}\ny\nz\n{{ end }}", "  \n  y\n  z\n")]
    [InlineData("  {{ if true -}}\nx\ny\n{{ end }}", "  x\n  y\n")]
    [InlineData("  {{- if true }}\nx\ny\n{{ end }}", "\nx\ny\n")]
    [InlineData("  {{ if true }}{{ if true }}\nx\ny\n{{ end }}{{ end }}", "  \nx\ny\n")]
    [InlineData("  {{ if true }}\nx{{ \"y\\nv\" }}w\n{{ end }}", "  \n  xy\nvw\n")]
    [InlineData("  {{ case 1 }}\n  {{ when 1 }}\nx\ny\n  {{ when 2 }}\nq\n{{ end }}", "  \nx\ny\n  ")]
    [InlineData("{{ func f }}\nx\ny\n{{ end }}\n    {{ f }}", "\n    \n    x\n    y\n")]
    [InlineData("{{ func f }}\nx\n{{ ret 5 }}\n{{ end }}\n  {{ f }}", "\n  \n  x\n  5")]
    [InlineData("{{ func f }}\na\nb\n{{ end }}\n  {{ if true }}\n  {{ x = f }}\n{{ x }}\n{{ end }}", "\n  \n    \n  a\n  b\n  \n  \n")]
    [InlineData("  {{ func f }}\nx\ny\n{{ end }}\n{{ f }}", "  \n\nx\ny\n")]
    [InlineData("  {{ i = 0; while i < 2 }}\nx\ny\n{{ i = i + 1; end }}", "  \n  x\n  y\n  \n  x\n  y\n")]
    [InlineData("  {{ tablerow i in [1,2] cols:1 }}\nx\n{{ end }}", "  <tr class=\"row1\"><td class=\"col1\">\n  x\n  </td></tr>\n  <tr class=\"row2\"><td class=\"col1\">\n  x\n  </td></tr>\n")]
    // Tables, loops over text.
    [InlineData("{{ tablerow x in [] }}{{x}}{{ end }}", "<tr class=\"row1\"></tr>\n")]
    [InlineData("{{ for c in \"héllo\" limit: 2 }}[{{c}}]{{ end }}{{ for c in \"ab\" }}{{ for.index }}{{ end }}{{ for c in \"\" }}x{{ else }}e{{ end }}", "[h][é]01e")]
    [InlineData("{{ tablerow c in \"ab\" }}{{ c }}{{ end }}", "<tr class=\"row1\"><td class=\"col1\">a</td></tr>\n<tr class=\"row2\"><td class=\"col1\">b</td></tr>\n")]
    // Arithmetic.
    [InlineData("{{ -3 // 7 }} {{ 3 // -7 }} {{ -7 // 2 }} {{ 7 // 2 }} {{ -7.5 // 2 }} {{ 7 // 2.0 }} {{ -10 // 3 }}", "0 0 -3 3 -4 4 -3")]
    [InlineData("{{ 7 / 2 }} {{ 6 / 2 }} {{ 3 / 0 }} {{ -3 / 0 }} {{ 0 / 0 }} {{ 1.5 / 0 }} {{ (3 / 0) + 1 }}", "3.5 3 Infinity -Infinity NaN Infinity Infinity")]
    [InlineData("{{ math.round 2.5 }} {{ math.round 3.5 }} {{ math.round 0.5 }} {{ math.round 2.45 1 }} {{ math.round 2.55 1 }} {{ math.round (-2.5) }}", "2 4 0 2.4 2.6 -2")]
    // Text.
    [InlineData("{{ $\"{true}\" }} {{ $\"{false}\" }} {{ $\"{1.5}\" }} {{ \"a\" + true }}", "True False 1.5 atrue")]
    [InlineData("{{ string.truncatewords \"x\" 20 }}|{{ string.truncatewords \"a b c\" 2 }}|{{ string.truncatewords \"a  b\" 5 }}|{{ string.truncatewords \"a b\" 0 }}|{{ string.truncatewords \"\" 2 }}", "x...|a b...|a b...|...|")]
    [InlineData("{{ html.escape \"ß é € 😀 '\\\"<>&\" }}", "&#223; &#233; € &#128512; &#39;&quot;&lt;&gt;&amp;")]
    [InlineData("{{ x = {\"a b\": 1, c: \"d\", \"e\": 2, \"a-b\": 3}; x }}", "{\"a b\": 1, c: \"d\", e: 2, \"a-b\": 3}")]
    // object.eval runs code.
    [InlineData("{{ object.eval \"x = 5; x * 2\" }}|{{ object.eval \"1 + 2\" }}|{{ object.eval \"y = 3\" }}|{{ y }}|{{ object.eval \"if true; 5; end\" }}", "10|3||3|5")]
    // Mixed operands, loops.
    [InlineData("{{ 5 == '5' }} {{ 2.5 >= '10' }} {{ 3 < '42' }} {{ true + 1 }} {{ true == 1 }} {{ null < 'a' }} {{ 'a' < null }}", "true true true 2 true true false")]
    [InlineData("{{ for x in [1,2] limit: 0 }}{{x}}{{ end }}|{{ for x in {a:1, b:'q'} }}{{ x.key }}={{ x.value }};{{ end }}", "12|a=1;b=q;")]
    [InlineData("{{ tablerow x in [1,2,3] cols:2 }}{{ tablerow.col }}{{ end }}", "<tr class=\"row1\"><td class=\"col1\">0</td><td class=\"col2\">1</td></tr>\n<tr class=\"row2\"><td class=\"col1\">0</td></tr>\n")]
    [InlineData("{{ 'ab' * 2.5 }}|{{ for x in [5] }}{{ i = 0; while i < 1; i = i + 1 }}{{ for.index }}{{ while.index }}{{ end }}{{ end }}", "abab|00")]
    // Found by the differential test: booleans in math.round, empty search text, an object beside a boolean.
    [InlineData("{{ math.round true }}|{{ math.round false }}", "1|0")]
    [InlineData("{{ string.ends_with ' ' '' }}|{{ string.starts_with 'a' '' }}|{{ string.contains 'a' '' }}|{{ string.contains 'ab' 'b' }}", "false|false|false|true")]
    [InlineData("{{ {a: 1} == true }}|{{ true == {} }}|{{ {} != true }}|{{ false == {} }}|{{ case {a: 1} }}{{ when true }}yes{{ end }}", "true|true|false|false|yes")]
    // Found by the long differential runs: loops over null, sorting, map, split, slice, math on booleans, operators with counts.
    [InlineData("{{ for x in nil }}a{{ else }}b{{ end }}|{{ tablerow x in nil }}a{{ end }}|{{ for x in [] }}a{{ else }}b{{ end }}", "||b")]
    [InlineData("{{ [2, nil, 1] | array.sort }}|{{ [1, {a: 3}, {b: 4}, nil] | array.map 'a' }}|{{ [[1, 2]] | array.map 'size' }}|{{ [{a: nil}] | array.map 'a' }}", "[null, 1, 2]|[3]|[]|[null]")]
    [InlineData("{{ 'a b' | string.split '' }}|{{ 'abcdef' | string.slice 2 0 }}|{{ 'abcdef' | string.slice 2 }}|{{ 'x' | object.keys }}|{{ 'xy' | object.values }}", "[\"a b\"]||cdef|[\"size\"]|[2]")]
    [InlineData("{{ true | math.abs }}|{{ true | math.ceil }}|{{ false | math.floor }}|{{ '3' * 'ab' }}|{{ 'ab' * 2.6 }}|{{ [1] * 2.6 }}", "true|1|0|ababab|ababab|[1, 1, 1]")]
    [InlineData("{{ [1, 2, 3, 4, 5] // 2 }}|{{ [1, 2, 3, 4] % 1.6 }}|{{ [1, 2, 3] / true }}|{{ [1, 2, 3] % true }}", "[1, 2]|[1, 3]|[1, 2, 3]|[1, 2, 3]")]
    [InlineData("{{ array.last '' }}|{{ '' | array.reverse }}|{{ array.add_range [1] '' }}|{{ {a: 1} | array.sort }}", "|[]|[1]|[{key: \"a\", value: 1}]")]
    [InlineData("{{ 0 / -7 }}|{{ -(0 * 2.5) }}|{{ 1 // -20.0 }}|{{ 2.5 // 0 }}|{{ [1] + {a: 1} }}|{{ nil | string.equals_ignore_case nil }}", "-0|-0|-0|Infinity|[1, {key: \"a\", value: 1}]|false")]
    [InlineData("{{ true | math.divided_by true }}|{{ 2.5 | math.divided_by true }}|{{ nil | string.upcase | object.typeof }}|{{ nil | string.remove 'a' | object.typeof }}|{{ nil | string.truncate 3 | object.typeof }}", "1|2.5|||string")]
    public void Renders_as_Scriban_does(string source, string expected)
    {
        var scriban = ScribanOracle.Render(source, null);
        Assert.True(scriban.Succeeded && scriban.Text == expected, $"The expectation is not Scriban's: {scriban}");

        Assert.Equal(expected, Template.ParseOrThrow(source).Render());
    }

    [Theory]
    [InlineData("{{ for x in 5 }}{{ x }}{{ end }}")]
    [InlineData("{{ -nothing }}")]
    [InlineData("{{ true < false }}")]
    [InlineData("{{ 1 == [1] }}")]
    [InlineData("{{ [] != 4 }}")]
    [InlineData("{{ case 1 }}{{ when [1] }}x{{ end }}")]
    [InlineData("{{ case [1] }}{{ when true }}x{{ end }}")]
    [InlineData("{{ [[2], [1]] | array.sort }}")]
    [InlineData("{{ [2, 'a'] | array.sort }}")]
    [InlineData("{{ [{a: 2}, {a: 'x'}] | array.sort 'a' }}")]
    [InlineData("{{ 'abc' | string.slice 0 (0 - 1) }}")]
    [InlineData("{{ math.round 2 16 }}")]
    [InlineData("{{ [1, 2] / 0 }}")]
    [InlineData("{{ [1, 2] % (0 - 1) }}")]
    [InlineData("{{ [1, 2] * (0 - 1) }}")]
    public void Fails_where_Scriban_fails(string source)
    {
        Assert.False(ScribanOracle.Render(source, null).Succeeded);

        Assert.Throws<TemplateRuntimeException>(() => Template.ParseOrThrow(source).Render());
    }

    [Theory]
    [InlineData("{{ string.foo 'a' }}")]
    [InlineData("{{ 'a' | string.foo }}")]
    [InlineData("{{ 1 | foo }}")]
    [InlineData("{{ x = 1 + nope(2) }}")]
    [InlineData("{{ user.address.nope 1 }}")]
    public void An_unknown_function_is_reported_where_and_as_Scriban_does(string source)
    {
        var scriban = ScribanOracle.Render(source, System.Text.Json.Nodes.JsonNode.Parse("{\"user\": {\"address\": {}}}"));
        Assert.False(scriban.Succeeded);

        var ex = Assert.Throws<TemplateRuntimeException>(() => Template.ParseOrThrow(source).Render(new { User = new { Address = new { } } }));
        Assert.Equal(scriban.Text[(scriban.Text.IndexOf("text(", StringComparison.Ordinal) + "text".Length)..], ex.Message[ex.Message.IndexOf('(', StringComparison.Ordinal)..]);
    }

    [Fact]
    public void With_reads_a_JSON_object_of_the_model()
    {
        const string Source = "{{ with user }}{{ name }} in {{ address.city }}{{ end }}";
        const string Json = "{\"user\": {\"name\": \"José\", \"address\": {\"city\": \"東京\"}}}";
        using var model = System.Text.Json.JsonDocument.Parse(Json);

        Assert.Equal("José in 東京", ScribanOracle.Render(Source, System.Text.Json.Nodes.JsonNode.Parse(Json)).Text);
        Assert.Equal("José in 東京", Template.ParseOrThrow(Source).Render(model.RootElement));
    }

    [Fact]
    public void An_indented_block_renders_the_same_into_every_output()
    {
        var template = Template.ParseOrThrow("<ul>\n  {{ for p in items }}\n    <li>{{ p }}</li>\n  {{ end }}\n</ul>");
        var model = new { Items = new[] { "a", "ü" } };
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        template.RenderUtf8(buffer, model);
        using var writer = new StringWriter();
        template.RenderTo(writer, model);

        const string Expected = "<ul>\n  \n      <li>a</li>\n    \n      <li>ü</li>\n    \n</ul>";
        Assert.Equal(Expected, template.Render(model));
        Assert.Equal(Expected, System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
        Assert.Equal(Expected, writer.ToString());
    }
}
