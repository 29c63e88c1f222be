namespace Personalize.Templates.Tests.Docs;

/// <summary>The template guides' C# runs and says what it prints, and the guides show it as compiled.</summary>
public sealed class DocsTests
{
    private const string Snippets = "tests/Personalize.Templates.Tests/Docs/TemplateSnippets.cs";

    [Fact]
    public void Templates_snippet_renders_what_the_guide_says()
    {
        var (text, utf8, due) = TemplateSnippets.Basics();

        Assert.Equal("Hi Ada! [TEA][CAKE]", text);
        Assert.Equal(text, utf8);
        Assert.True(due);
    }

    [Fact]
    public void Localized_snippet_renders_what_the_guide_says()
    {
        Assert.Equal("Hallo Ada, Ihr Termin: 15. März 2026, Summe 12,50 €", TemplateSnippets.Localized());
    }

    [Fact]
    public void Liquid_snippet_renders_what_the_guide_says()
    {
        Assert.Equal("Hi there,\n1. VASE x1\n2. LAMP x2\n…and 1 more", TemplateSnippets.Liquid().Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("templates", "docs/templates.md")]
    [InlineData("localized", "docs/templates.md")]
    [InlineData("liquid", "docs/liquid.md")]
    public void Guides_show_the_snippets_exactly_as_compiled(string name, string document) =>
        DocSnippets.AssertShown(Snippets, name, document);

    [Fact]
    public void Lambdas_with_default_parameters_import_as_functions()
    {
        var globals = new Runtime.ScriptObject();
        globals.Import("greet", (string name, string hi = "Hello") => hi + " " + name);

        Assert.Equal("Hello Bo / Hey Bo", Template.Parse("{{ greet 'Bo' }} / {{ greet 'Bo' hi: 'Hey' }}", new TemplateOptions { Globals = globals }).Render());
    }
}
