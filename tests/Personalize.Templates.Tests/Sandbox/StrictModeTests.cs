using System.Text.Json;
using Personalize.Templates.Runtime;

namespace Personalize.Templates.Tests.Sandbox;

/// <summary>Issue 12: strict mode reports a missing member, not only a missing top-level variable.</summary>
public sealed class StrictModeTests
{
    private static readonly TemplateOptions Strict = new() { StrictVariables = true };

    public static TheoryData<object> Customers() => new()
    {
        new Dictionary<string, object?> { ["id"] = "c-1" },
        new ScriptObject { ["id"] = "c-1" },
        new { Id = "c-1" },
        JsonDocument.Parse("""{ "id": "c-1" }""").RootElement,
    };

    [Theory]
    [MemberData(nameof(Customers))]
    public void A_missing_member_is_an_error_naming_it(object customer)
    {
        var ex = Assert.Throws<TemplateRuntimeException>(() => Template.ParseOrThrow("Hi {{ customer.first_name }}", Strict).Render(new { Customer = customer }));

        Assert.Contains("`customer` has no member `first_name`", ex.Detail, StringComparison.Ordinal);
        Assert.Equal(1, ex.Line);
        Assert.Equal(16, ex.Column); // at the missing member
        Assert.Equal("Hi ", Template.ParseOrThrow("Hi {{ customer.first_name }}").Render(new { Customer = customer }));
    }

    [Theory]
    [MemberData(nameof(Customers))]
    public void Fallbacks_and_tests_stay_lenient(object customer)
    {
        var template = Template.ParseOrThrow("{{ customer.first_name ?? 'there' }}|{{ customer?.nick }}|{{ if customer.first_name }}x{{ else }}y{{ end }}|{{ customer.id }}|{{ customer.empty? }}", Strict);

        Assert.Equal("there||y|c-1|false", template.Render(new { Customer = customer }));
    }

    [Fact]
    public void Indexers_and_liquid_members_are_strict_too()
    {
        var model = new { Customer = new Dictionary<string, object?> { ["id"] = "c-1" } };

        Assert.Throws<TemplateRuntimeException>(() => Template.ParseOrThrow("{{ customer['first_name'] }}", Strict).Render(model));
        var liquid = Strict with { Syntax = TemplateSyntax.Liquid };
        var ex = Assert.Throws<TemplateRuntimeException>(() => Template.ParseOrThrow("Hi {{ customer.first_name }}", liquid).Render(model));
        Assert.Contains("first_name", ex.Detail, StringComparison.Ordinal);
        Assert.Equal("there", Template.ParseOrThrow("{% if customer.first_name %}{{ customer.first_name }}{% else %}there{% endif %}", liquid).Render(model));
    }

    [Fact]
    public void A_render_can_switch_strict_mode_on()
    {
        var template = Template.ParseOrThrow("Hi {{ customer.first_name }}");
        var model = new { Customer = new Dictionary<string, object?>() };

        Assert.Equal("Hi ", template.Render(model));
        Assert.Throws<TemplateRuntimeException>(() => template.Render(model, new RenderOptions { StrictVariables = true }));
        Assert.Throws<TemplateRuntimeException>(() => Template.ParseOrThrow("{{ nobody }}").Render(null, new RenderOptions { StrictVariables = true }));
    }

    [Fact]
    public void A_present_member_with_a_null_value_is_not_missing()
    {
        Assert.Equal("Hi ", Template.ParseOrThrow("Hi {{ customer.first_name }}", Strict).Render(new { Customer = new Dictionary<string, object?> { ["first_name"] = null } }));
    }
}
