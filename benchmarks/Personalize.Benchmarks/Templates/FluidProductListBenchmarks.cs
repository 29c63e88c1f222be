using BenchmarkDotNet.Attributes;
using Fluid;

namespace Personalize.Benchmarks.Templates;

/// <summary>
/// Fluid 3.0.0, the .NET Liquid peer, on the same Liquid product list as <see cref="LiquidProductListBenchmarks"/> (same
/// template text, same 100 products, parsed once, rendered to a string).
/// </summary>
public class FluidProductListBenchmarks : ProductListBenchmarkBase
{
    private static readonly FluidParser Parser = new();
    private static readonly TemplateOptions Options = CreateOptions();

    private readonly IFluidTemplate _template;

    public FluidProductListBenchmarks()
    {
        _template = Parser.Parse(LiquidProductListBenchmarks.Source);

        // A peer is only a peer if it writes the same text: checked once, before any measurement.
        EnsureSameText("Fluid", new LiquidProductListBenchmarks().Render(), Render());
    }

    [Benchmark]
    public override object Parse() => Parser.Parse(LiquidProductListBenchmarks.Source);

    [Benchmark]
    public override string Render()
    {
        var context = new TemplateContext(Options);
        context.SetValue("products", Products);
        return _template.Render(context);
    }

    // The template reads snake_case members (p.name, p.price, p.description), as Personalize's renamer does.
    private static TemplateOptions CreateOptions() => new TemplateOptionsBuilder()
        .ConfigureMemberAccess(strategy =>
        {
            strategy.Register<Product, string>("name", p => p.Name);
            strategy.Register<Product, decimal>("price", p => p.Price);
            strategy.Register<Product, string>("description", p => p.Description);
        })
        .Build();
}
