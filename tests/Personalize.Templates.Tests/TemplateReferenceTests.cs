namespace Personalize.Templates.Tests;

/// <summary><see cref="Template.GetReferencedTemplates"/>: the includes a template names, read from its syntax tree.</summary>
public sealed class TemplateReferenceTests
{
    private static readonly TemplateOptions Liquid = new() { Syntax = TemplateSyntax.Liquid };

    private static string[] Names(Template template) =>
        template.GetReferencedTemplates().Select(r => $"{r.Kind}:{r.Name ?? "dynamic " + r.Expression}@{r.Span.Line},{r.Span.Column}").ToArray();

    [Fact]
    public void Scriban_includes_are_listed_in_source_order_wherever_they_are()
    {
        var template = Template.ParseOrThrow(
            "{{ include 'header' }}\n{{ for p in products }}{{ if p.new }}{{ include \"badge\" p }}{{ end }}{{ end }}" +
            "{{ func row(x) }}{{ ret include 'row' x }}{{ end }}{{ capture c }}{{ 'footer' | include }}{{ end }}{{ include('legal') }}");

        Assert.Equal(["Include:header@1,4", "Include:badge@2,41", "Include:row@2,103", "Include:footer@2,148", "Include:legal@2,181"], Names(template));
    }

    [Fact]
    public void A_name_computed_at_render_time_is_reported_as_dynamic()
    {
        var template = Template.ParseOrThrow("{{ include 'row-' + kind }}{{ include name }}");

        var references = template.GetReferencedTemplates();

        Assert.All(references, r => Assert.True(r.IsDynamic));
        Assert.Equal(["'row-' + kind", "name"], references.Select(r => r.Expression));
    }

    [Fact]
    public void Text_that_only_looks_like_an_include_is_not_a_reference()
    {
        var scriban = Template.ParseOrThrow("include 'plain text' {{ '{{ include \"in a string\" }}' }}{{ # include 'comment' }}{{ x = 'include' }}");
        var liquid = Template.ParseOrThrow("{% raw %}{% include 'raw' %}{% endraw %}{% comment %}{% render 'comment' %}{% endcomment %}{% # include 'inline comment' %}{{ 'include' }}", Liquid);

        Assert.Empty(scriban.GetReferencedTemplates());
        Assert.Empty(liquid.GetReferencedTemplates());
    }

    [Fact]
    public void Liquid_include_render_and_the_liquid_tag_are_listed()
    {
        var template = Template.ParseOrThrow(
            "{% include 'header', title: 'x' %}{% for p in products %}{% render 'card' with p as product %}{% endfor %}\n" +
            "{% liquid\n  if show\n    render 'footer'\n  endif\n  include section %}",
            Liquid);

        Assert.Equal(["Include:header@1,1", "Render:card@1,58", "Render:footer@4,5", "Include:dynamic section@6,3"], Names(template));
    }

    [Fact]
    public void A_template_with_errors_lists_nothing()
    {
        var template = Template.Parse("{{ include 'a' }}{{ if }}");

        Assert.True(template.HasErrors);
        Assert.Empty(template.GetReferencedTemplates());
    }
}
