using Personalize.Templates.Liquid;
using Personalize.Templates.Syntax;

namespace Personalize.Templates.Tests.Liquid;

/// <summary>Liquid compiles into the same node types as Scriban syntax (one renderer, equally fast).</summary>
public sealed class LiquidCompiledFormTests
{
    [Fact]
    public void Liquid_tags_and_outputs_compile_to_the_shared_statement_nodes()
    {
        var liquid = Template.ParseOrThrow("{% assign n = 2 %}{% if n > 1 %}x{% endif %}{% for p in items %}{{ p | upcase }}{% endfor %}{% capture c %}y{% endcapture %}", new TemplateOptions { Syntax = TemplateSyntax.Liquid });
        var scriban = Template.ParseOrThrow("{{ n = 2 }}{{ if n > 1 }}x{{ end }}{{ for p in items }}{{ p | string.upcase }}{{ end }}{{ capture c }}y{{ end }}");

        var liquidKinds = liquid.Body.Statements.Select(s => s.GetType()).ToArray();
        var scribanKinds = scriban.Body.Statements.Select(s => s.GetType()).ToArray();

        // The same nodes; Liquid's loop is the shared loop core with only Liquid's differences overridden.
        Assert.Equal(new[] { typeof(AssignStatement), typeof(IfStatement), typeof(ForStatement), typeof(CaptureStatement) }, scribanKinds);
        Assert.Equal(new[] { typeof(AssignStatement), typeof(IfStatement), typeof(LiquidForStatement), typeof(CaptureStatement) }, liquidKinds);
        Assert.True(liquidKinds[2].IsSubclassOf(typeof(ForStatement)));
        var loop = (ForStatement)liquid.Body.Statements[2];
        var output = Assert.Single(loop.Body.Statements);
        Assert.IsType<PipeExpression>(((Personalize.Templates.Liquid.LiquidOutputStatement)output).Expression);
    }
}
