using BenchmarkDotNet.Attributes;

namespace Personalize.Benchmarks.Templates;

/// <summary>
/// Scriban 7.6.1 (<c>Scriban.Signed</c>, a benchmark peer only) on the same product list as
/// <see cref="PersonalizeProductListBenchmarks"/>: the same template text, the same 100 products, parsed once, rendered to a
/// string with a fresh <c>TemplateContext</c> per render as Scriban's documentation does.
/// </summary>
public class ScribanProductListBenchmarks : ProductListBenchmarkBase
{
    private readonly Scriban.Template _template;

    public ScribanProductListBenchmarks()
    {
        _template = Scriban.Template.Parse(PersonalizeProductListBenchmarks.Source);

        // A peer is only a peer if it writes the same text: checked once, before any measurement.
        EnsureSameText("Scriban", new PersonalizeProductListBenchmarks().Render(), Render());
    }

    [Benchmark]
    public override object Parse() => Scriban.Template.Parse(PersonalizeProductListBenchmarks.Source);

    [Benchmark]
    public override string Render()
    {
        var globals = new Scriban.Runtime.ScriptObject { ["products"] = Products };
        var context = new Scriban.TemplateContext();
        context.PushGlobal(globals);
        return _template.Render(context);
    }
}
