using System.Buffers;
using System.Text;
using Personalize.Templates.Runtime;

namespace Personalize.Templates.Tests;

/// <summary>
/// Output statements that skip building values (decimal members written unboxed, <c>string.truncate</c> as the last pipe
/// stage written straight to the output) must print exactly what the general path prints, in string and UTF-8 renders.
/// </summary>
public sealed class OutputFastPathTests
{
    public sealed class Priced
    {
        public Priced(decimal price) => Price = price;

        public decimal Price { get; }
    }

    public sealed class OtherPriced
    {
        public OtherPriced(decimal price) => Price = price;

        public decimal Price { get; }
    }

    public sealed class TextPriced
    {
        public string Price { get; init; } = "on request";
    }

    private static string RenderBoth(Template template, object model)
    {
        var text = template.Render(model);
        var buffer = new ArrayBufferWriter<byte>();
        template.RenderUtf8(buffer, model);
        Assert.Equal(text, Encoding.UTF8.GetString(buffer.WrittenSpan));
        return text;
    }

    [Fact]
    public void Decimal_members_print_the_same_whatever_type_the_loop_item_has()
    {
        var template = Template.ParseOrThrow("{{ for p in items }}[{{ p.price }}]{{ end }}");
        var items = new object?[] { new Priced(1.50m), new Priced(-2m), new OtherPriced(3.25m), new TextPriced(), new Dictionary<string, object?> { ["price"] = 4.5m }, new Priced(1234567.891m) };

        // Twice: the second render runs with the member caches already filled.
        Assert.Equal("[1.50][-2][3.25][on request][4.5][1234567.891]", RenderBoth(template, new { Items = items }));
        Assert.Equal("[1.50][-2][3.25][on request][4.5][1234567.891]", RenderBoth(template, new { Items = items }));
    }

    [Fact]
    public void A_liquid_literal_index_reads_the_same_item_whatever_list_the_site_saw_before()
    {
        // One site each of `items[0]`, `items[-1]` and `items[3]` (literal positions: an array of objects is indexed
        // directly once seen), fed arrays of objects, arrays of values, lists, JSON arrays, text and nil, twice in turn:
        // each render prints what the same template with the positions in variables prints (the general path).
        var liquid = new TemplateOptions { Syntax = TemplateSyntax.Liquid };
        var literal = Template.ParseOrThrow("[{{ items[0].price }}|{{ items[-1].price }}|{{ items[-1] }}|{{ items[3] }}|{{ items[0] }}|{{ items[0] | size }}]", liquid);
        var variable = Template.ParseOrThrow("[{{ items[zero].price }}|{{ items[last].price }}|{{ items[last] }}|{{ items[three] }}|{{ items[zero] }}|{{ items[zero] | size }}]", liquid);
        var cases = new object?[]
        {
            new[] { new TextPriced { Price = "a" }, new TextPriced { Price = "b" } },
            new[] { "x", "y", "z", "w" },
            new[] { 1, 2 },
            new object?[] { null, 7m, new TextPriced { Price = "c" } },
            new List<string> { "p", "q" },
            new[] { new TextPriced { Price = "d" } },
            Array.Empty<string>(),
            System.Text.Json.JsonDocument.Parse("[{\"price\": 3}, 4]").RootElement,
            "text",
            null,
        };
        for (var round = 0; round < 2; round++)
        {
            foreach (var items in cases)
            {
                var model = new Dictionary<string, object?> { ["items"] = items, ["zero"] = 0, ["last"] = -1, ["three"] = 3 };
                Assert.Equal(RenderBoth(variable, model), RenderBoth(literal, model));
            }
        }

        Assert.StartsWith("[a|b|", RenderBoth(literal, new Dictionary<string, object?> { ["items"] = cases[0] }), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("s")]
    [InlineData("e")]
    [InlineData("i")]
    [InlineData("l")]
    [InlineData("d")]
    [InlineData("t")]
    [InlineData("f")]
    [InlineData("n")]
    [InlineData("o")]
    [InlineData("a")]
    [InlineData("missing")]
    [InlineData("size")]
    public void Json_members_print_what_the_general_path_prints(string key)
    {
        using var document = System.Text.Json.JsonDocument.Parse("""
            { "s": "plain", "e": "q\"é\u00fc\n<b>", "i": 42, "l": 5000000000, "d": 1.25, "t": true, "f": false, "n": null,
              "o": { "k": 1 }, "a": [1, "two", null] }
            """);
        var model = new { C = document.RootElement };
        var scriban = Template.ParseOrThrow($"[{{{{ c.{key} }}}}]{{{{ v = c.{key} }}}}[{{{{ v }}}}]");
        var liquid = Template.ParseOrThrow($"[{{{{ c.{key} }}}}]{{% assign v = c.{key} %}}[{{{{ v }}}}]", new TemplateOptions { Syntax = TemplateSyntax.Liquid });

        // Twice each: the output path reads a JSON member with one property lookup; the assignment goes the general way.
        for (var i = 0; i < 2; i++)
        {
            foreach (var template in new[] { scriban, liquid })
            {
                var text = RenderBoth(template, model);
                var halves = text.Split("][", 2);
                Assert.Equal(halves[0] + "]", "[" + halves[1]);
            }
        }
    }

    [Fact]
    public void Decimal_members_follow_the_render_culture()
    {
        var template = Template.ParseOrThrow("{{ p.price }}");
        var options = new RenderOptions { Culture = new System.Globalization.CultureInfo("fr-FR") };

        Assert.Equal("1,5", template.Render(new { P = new Priced(1.5m) }, options));
    }

    [Theory]
    [InlineData("Lorem ipsum dolor sit amet", "{{ x | string.truncate 15 }}", "Lorem ipsum ...")]
    [InlineData("short", "{{ x | string.truncate 15 }}", "short")]
    [InlineData("exactly fifteen", "{{ x | string.truncate 15 }}", "exactly fifteen")]
    [InlineData("abcdef", "{{ x | string.truncate 2 }}", "...")]
    [InlineData("abc", "{{ x | string.truncate 0 }}", "...")]
    [InlineData("", "{{ x | string.truncate 0 }}", "")]
    [InlineData("héllo wörld ünïcode", "{{ x | string.truncate 8 }}", "héllo...")]
    public void Truncate_as_last_pipe_stage_prints_like_the_function(string input, string source, string expected)
    {
        var template = Template.ParseOrThrow(source);

        Assert.Equal(expected, RenderBoth(template, new { X = input }));
        Assert.Equal(expected, Template.ParseOrThrow("{{ (" + source[3..^3] + ") }}").Render(new { X = input }));
    }

    [Fact]
    public void Truncate_of_a_non_string_converts_it_first()
    {
        var template = Template.ParseOrThrow("{{ x | string.truncate 5 }}|{{ y | string.truncate 5 }}|");

        Assert.Equal("12...||", RenderBoth(template, new { X = 1234567.5m, Y = (string?)null }));
    }

    [Fact]
    public void Truncate_shadowed_by_the_model_calls_the_model_function()
    {
        var template = Template.ParseOrThrow("{{ x | string.truncate 5 }}");
        var model = new Dictionary<string, object?>
        {
            ["x"] = "abcdefghij",
            ["string"] = new Dictionary<string, object?> { ["truncate"] = ScriptFunction.FromDelegate((string s, int n) => s.Length + ":" + n) },
        };

        Assert.Equal("10:5", RenderBoth(template, model));
    }

    [Fact]
    public void Truncated_output_counts_against_the_output_limit()
    {
        var options = new TemplateOptions { Limits = TemplateLimits.Default with { MaxOutputLength = 10 } };
        var template = Template.ParseOrThrow("{{ for i in 1..3 }}{{ x | string.truncate 5 }}{{ end }}", options);

        Assert.Throws<TemplateLimitExceededException>(() => template.Render(new { X = "abcdefghij" }));
    }

    [Fact]
    public void Utf8_output_into_a_writer_with_small_chunks_matches_the_string_output()
    {
        var template = Template.ParseOrThrow("<p>{{ for i in 1..40 }}ünï {{ i }} {{ x }} {{ x | string.truncate 9 }}|{{ end }}</p>");
        var model = new { X = "héllo wörld — 😀 smile" };
        var writer = new StingyWriter(chunk: 5);

        template.RenderUtf8(writer, model);

        Assert.Equal(template.Render(model), Encoding.UTF8.GetString(writer.Written.ToArray()));
    }

    [Fact]
    public void Utf8_output_written_before_an_error_reaches_the_writer()
    {
        var template = Template.ParseOrThrow("before {{ 1 / x }} after");
        var buffer = new ArrayBufferWriter<byte>();

        Assert.ThrowsAny<TemplateRuntimeException>(() => template.RenderUtf8(buffer, new { X = "text" }));
        Assert.Equal("before ", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Theory]
    [InlineData("Lorem ipsum dolor sit amet", "{{ x | truncate: 15 }}", "Lorem ipsum ...")]
    [InlineData("short", "{{ x | truncate: 15 }}", "short")]
    [InlineData("abcdef", "{{ x | truncate: 2 }}", "...")]
    [InlineData("abcdef", "{{ x | truncate: 4 | upcase }}", "A...")]
    public void Liquid_truncate_as_last_filter_prints_like_the_filter(string input, string source, string expected)
    {
        var options = new TemplateOptions { Syntax = TemplateSyntax.Liquid };

        Assert.Equal(expected, RenderBoth(Template.ParseOrThrow(source, options), new { X = input }));
        Assert.Equal(expected, RenderBoth(Template.ParseOrThrow(source, options), new Dictionary<string, object?> { ["x"] = input }));
    }

    [Fact]
    public void Liquid_decimal_members_and_truncate_of_numbers_print_like_the_general_path()
    {
        var options = new TemplateOptions { Syntax = TemplateSyntax.Liquid };
        var template = Template.ParseOrThrow("{% for p in items %}[{{ p.price }}|{{ p.price | truncate: 3 }}]{% endfor %}", options);
        var items = new object?[] { new Priced(1.50m), new OtherPriced(3.25m), new TextPriced(), new Priced(1234567.891m), null };

        Assert.Equal("[1.50|...][3.25|...][on request|...][1234567.891|...][|]", RenderBoth(template, new { Items = items }));
        Assert.Equal("[1.50|...][3.25|...][on request|...][1234567.891|...][|]", RenderBoth(template, new { Items = items }));
    }

    /// <summary>
    /// Hands out at most <c>chunk</c> bytes more than asked for, at an offset inside a larger array, and holds the output
    /// to the <see cref="IBufferWriter{T}"/> contract: each <see cref="Advance"/> follows a <see cref="GetMemory"/> and
    /// covers no more than that memory (a new array each time, so bytes written to an old one would be lost).
    /// </summary>
    private sealed class StingyWriter : IBufferWriter<byte>
    {
        private readonly int _chunk;
        private byte[] _array = new byte[16];

        /// <summary>The length of the memory handed out and not yet advanced past, or -1 when none is.</summary>
        private int _outstanding = -1;

        public StingyWriter(int chunk) => _chunk = chunk;

        public List<byte> Written { get; } = new();

        public void Advance(int count)
        {
            Assert.InRange(count, 0, _outstanding);
            Written.AddRange(new ArraySegment<byte>(_array, 3, count));
            _outstanding = -1;
        }

        public Memory<byte> GetMemory(int sizeHint = 0)
        {
            var size = Math.Max(sizeHint, 1) + _chunk;
            _array = new byte[size + 6];
            _outstanding = size;
            return new Memory<byte>(_array, 3, size);
        }

        public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;
    }
}
