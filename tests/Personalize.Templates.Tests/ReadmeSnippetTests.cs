namespace Personalize.Templates.Tests;

/// <summary>The README's Templates snippet, kept compiling and true.</summary>
public sealed class ReadmeSnippetTests
{
    [Fact]
    public void The_readme_snippet_works()
    {
        var template = Template.Parse("Hi {{ customer.first_name ?? 'there' }}! {{ for p in picks limit: 2 }}[{{ p | string.upcase }}]{{ end }}");
        Assert.False(template.HasErrors);

        var model = new { Customer = new { FirstName = "Ada" }, Picks = new[] { "tea", "cake", "jam" } };
        string text = template.Render(model);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        template.RenderUtf8(buffer, model);

        var rule = TemplateExpression.Parse("customer.stage == 'retention' && customer.days_since_purchase > 60");
        bool due = rule.EvaluateCondition(new { Customer = new { Stage = "retention", DaysSincePurchase = 75 } });

        Assert.Equal("Hi Ada! [TEA][CAKE]", text);
        Assert.Equal(text, System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
        Assert.True(due);
    }

    [Fact]
    public void Lambdas_with_default_parameters_import_as_functions()
    {
        var globals = new Runtime.ScriptObject();
        globals.Import("greet", (string name, string hi = "Hello") => hi + " " + name);

        Assert.Equal("Hello Bo / Hey Bo", Template.Parse("{{ greet 'Bo' }} / {{ greet 'Bo' hi: 'Hey' }}", new TemplateOptions { Globals = globals }).Render());
    }
}
