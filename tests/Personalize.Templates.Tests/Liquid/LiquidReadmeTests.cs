namespace Personalize.Templates.Tests.Liquid;

/// <summary>The README's Liquid snippet, verbatim, so it cannot rot.</summary>
public sealed class LiquidReadmeTests
{
    [Fact]
    public void Readme_liquid_snippet_renders_what_the_readme_says()
    {
        var options = new TemplateOptions { Syntax = TemplateSyntax.Liquid };
        var template = Template.ParseOrThrow("""
            Hi {{ customer.first_name | default: "there" }},
            {% for item in order.items limit: 2 %}{{ forloop.index }}. {{ item.title | upcase }} x{{ item.qty }}
            {% endfor %}{% if order.items.size > 2 %}…and {{ order.items.size | minus: 2 }} more{% endif %}
            """, options);
        string text = template.Render(new
        {
            Customer = new { FirstName = (string?)null },
            Order = new { Items = new[] { new { Title = "Vase", Qty = 1 }, new { Title = "Lamp", Qty = 2 }, new { Title = "Pan", Qty = 1 } } },
        });

        Assert.Equal("Hi there,\n1. VASE x1\n2. LAMP x2\n…and 1 more", text.Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.Contains("var template = Template.ParseOrThrow(\"\"\"\n    Hi {{ customer.first_name | default: \"there\" }},", File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md")).Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
    }
}
