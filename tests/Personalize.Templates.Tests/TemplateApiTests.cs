using System.Buffers;
using System.Text;

namespace Personalize.Templates.Tests;

public sealed class TemplateApiTests
{
    [Fact]
    public void Renders_a_model_to_string_text_writer_and_utf8_identically()
    {
        var template = Template.ParseOrThrow("Hi {{ name }}, you have {{ count }} new {{ count == 1 ? \"message\" : \"messages\" }} ✉ — €{{ total }}");
        var model = new Dictionary<string, object?> { ["name"] = "Zoë", ["count"] = 3, ["total"] = 12.5m };

        var text = template.Render(model);
        var writer = new StringWriter();
        template.RenderTo(writer, model);
        var buffer = new ArrayBufferWriter<byte>();
        template.RenderUtf8(buffer, model);

        Assert.Equal("Hi Zoë, you have 3 new messages ✉ — €12.5", text);
        Assert.Equal(text, writer.ToString());
        Assert.Equal(text, Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void Parse_never_throws_and_reports_line_column_and_span()
    {
        var template = Template.Parse("line one\n{{ if x }}\n  {{ 1 + }}\n{{ end }}", new TemplateOptions { SourceName = "welcome.html" });

        Assert.True(template.HasErrors);
        var diagnostic = Assert.Single(template.Diagnostics);
        Assert.Equal(TemplateDiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(3, diagnostic.Line);
        Assert.Equal(10, diagnostic.Column);
        Assert.Equal("welcome.html", diagnostic.SourceName);
        Assert.Equal(template.Source.IndexOf("}}", template.Source.IndexOf("1 +", StringComparison.Ordinal), StringComparison.Ordinal), diagnostic.Span.Start);
        Assert.Contains("Expecting an <expression> to the right of the operator", diagnostic.Message, StringComparison.Ordinal);
        Assert.StartsWith("welcome.html(3,10) : error : ", diagnostic.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ParseOrThrow_shows_the_offending_line_with_a_caret()
    {
        var ex = Assert.Throws<TemplateParseException>(() => Template.ParseOrThrow("Hello\n{{ user.name + }}!"));

        Assert.Contains("template(2,16) : error :", ex.Message, StringComparison.Ordinal);
        Assert.Contains("    {{ user.name + }}!" + Environment.NewLine + "                   ^", ex.Message, StringComparison.Ordinal);
        Assert.Single(ex.Diagnostics);
    }

    [Fact]
    public void Rendering_a_template_with_errors_throws_the_parse_exception()
    {
        var template = Template.Parse("{{ for }}");

        Assert.Throws<TemplateParseException>(() => template.Render());
    }

    [Fact]
    public void Render_errors_carry_the_template_position()
    {
        var template = Template.Parse("ok\n  {{ x = 5; x[0] }}");

        var ex = Assert.Throws<TemplateRuntimeException>(() => template.Render());

        Assert.Equal(2, ex.Line);
        Assert.Equal(13, ex.Column);
        Assert.Contains("Cannot use the int primitive `5` as a list", ex.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Strict_variables_reject_undefined_names_and_default_mode_prints_nothing()
    {
        const string Source = "[{{ missing }}]";

        Assert.Equal("[]", Template.Parse(Source).Render());
        var ex = Assert.Throws<TemplateRuntimeException>(() => Template.Parse(Source, new TemplateOptions { StrictVariables = true }).Render());
        Assert.Contains("`missing` was not found", ex.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Template_variables_do_not_leak_between_renders()
    {
        var template = Template.Parse("{{ if seen }}again{{ else }}first{{ end }}{{ seen = true }}");

        Assert.Equal("first", template.Render());
        Assert.Equal("first", template.Render());
    }

    [Fact]
    public void Culture_from_render_options_formats_numbers()
    {
        var template = Template.Parse("{{ price }}");

        Assert.Equal("1234.5", template.Render(new { Price = 1234.5m }));
        Assert.Equal("1234,5", template.Render(new { Price = 1234.5m }, new RenderOptions { Culture = new System.Globalization.CultureInfo("fr-FR") }));
    }
}
