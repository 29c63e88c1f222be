using System.Buffers;
using System.Text;

namespace Personalize.Templates.Tests;

/// <summary>
/// <see cref="IUtf8TemplateMembers"/>: a model that writes a member's UTF-8 itself prints, in a UTF-8 render, exactly what
/// the member's string prints in a string render; every other read (filters, conditions) sees the string.
/// </summary>
public sealed class Utf8MemberTests
{
    public sealed class Link : IUtf8TemplateMembers
    {
        public Link(string url) => Url = url;

        public string Url { get; }

        public int Writes { get; private set; }

        public int WriteUtf8Member(string name, Span<byte> destination)
        {
            if (name != "url")
            {
                return -1;
            }

            Writes++;
            var length = Encoding.UTF8.GetByteCount(Url);
            if (length <= destination.Length)
            {
                Encoding.UTF8.GetBytes(Url, destination);
            }

            return length;
        }
    }

    public sealed class Broken : IUtf8TemplateMembers
    {
        public string Url => "x";

        public int WriteUtf8Member(string name, Span<byte> destination)
        {
            destination[0] = 0xFF;
            return 1;
        }
    }

    private static string Utf8(Template template, object model, RenderOptions? options = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        template.RenderUtf8(buffer, model, options);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static TheoryData<string> Urls() => new()
    {
        "https://example.com/u?token=abc.def",
        "https://exämple.com/ü?x=日本&y=🌱",
        string.Empty,
        "https://example.com/long?token=" + new string('ñ', 700),
        "ends with a line\n",
    };

    [Theory]
    [MemberData(nameof(Urls))]
    public void A_member_written_as_utf8_prints_what_its_string_prints_in_both_syntaxes(string url)
    {
        foreach (var (source, syntax) in new[] { ("[{{ link.url }}]{{ link.url | string.size }}", TemplateSyntax.Scriban), ("[{{ link.url }}]{{ link.url | size }}", TemplateSyntax.Liquid) })
        {
            var template = Template.ParseOrThrow(source, new TemplateOptions { Syntax = syntax });
            var link = new Link(url);

            // Three renders: the first binds the member's site, the later ones read through the bound site.
            for (var i = 1; i <= 3; i++)
            {
                var utf8 = Utf8(template, new { Link = link });

                Assert.Equal(template.Render(new { Link = link }), utf8);
                Assert.StartsWith("[" + url + "]", utf8, StringComparison.Ordinal);
                Assert.True(link.Writes >= i, $"render {i} asked the model to write the member");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Urls))]
    public void The_left_side_of_coalesce_prints_what_its_string_prints(string url)
    {
        // A non-empty text is written by the model; an empty one is not null either (?? keeps it); a member the model
        // does not write gives the right side (no error in strict mode on the left of ??), which is read only when needed.
        var template = Template.ParseOrThrow("[{{ link.url ?? \"none\" }}|{{ link.other ?? \"none\" }}|{{ link.url ?? missing }}]");
        foreach (var strict in new[] { false, true })
        {
            var link = new Link(url);
            var options = new RenderOptions { StrictVariables = strict };
            for (var i = 1; i <= 2; i++)
            {
                var utf8 = Utf8(template, new { Link = link }, options);

                Assert.Equal(template.Render(new { Link = link }, options), utf8);
                Assert.Equal("[" + url + "|none|" + url + "]", utf8);
                Assert.True(link.Writes >= i, $"render {i} asked the model to write the member");
            }
        }
    }

    [Fact]
    public void A_string_render_and_a_filtered_output_read_the_member_as_a_string()
    {
        var link = new Link("https://example.com/a");
        var template = Template.ParseOrThrow("{{ link.url | string.upcase }}{{ if link.url == \"https://example.com/a\" }} yes{{ end }}");

        Assert.Equal("HTTPS://EXAMPLE.COM/A yes", Utf8(template, new { Link = link }));
        Assert.Equal("HTTPS://EXAMPLE.COM/A yes", template.Render(new { Link = link }));
        Assert.Equal(0, link.Writes);
    }

    [Fact]
    public void Written_members_count_against_the_output_limit()
    {
        var template = Template.ParseOrThrow("{{ link.url }}", new TemplateOptions { Limits = new TemplateLimits { MaxOutputLength = 10 } });

        var error = Assert.Throws<TemplateLimitExceededException>(() => Utf8(template, new { Link = new Link("https://example.com/long") }));

        Assert.Equal(nameof(TemplateLimits.MaxOutputLength), error.LimitName);
    }

    [Fact]
    public void Invalid_utf8_from_a_model_is_a_template_error_naming_the_member()
    {
        var template = Template.ParseOrThrow("{{ link.url }}");

        var error = Assert.Throws<TemplateRuntimeException>(() => Utf8(template, new { Link = new Broken() }));

        Assert.Contains("'url'", error.Message, StringComparison.Ordinal);
        Assert.Contains("invalid UTF-8", error.Message, StringComparison.Ordinal);
    }
}
