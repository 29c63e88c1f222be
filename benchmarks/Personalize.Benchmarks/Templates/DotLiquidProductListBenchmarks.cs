using System.Globalization;
using BenchmarkDotNet.Attributes;
using DotLiquid;

namespace Personalize.Benchmarks.Templates;

/// <summary>
/// DotLiquid 2.3, the older .NET Liquid port, on the same Liquid product list as <see cref="LiquidProductListBenchmarks"/> (same
/// template text, same 100 products as DotLiquid hashes built once, parsed once, rendered to a string with the invariant culture).
/// A benchmark peer only: the package is referenced by this project alone.
/// </summary>
public class DotLiquidProductListBenchmarks : ProductListBenchmarkBase
{
    private readonly DotLiquid.Template _template;
    private readonly Hash _model;

    public DotLiquidProductListBenchmarks()
    {
        _template = DotLiquid.Template.Parse(LiquidProductListBenchmarks.Source);
        _model = Hash.FromDictionary(new Dictionary<string, object>
        {
            ["products"] = Products.Select(p => Hash.FromDictionary(new Dictionary<string, object> { ["name"] = p.Name, ["price"] = p.Price, ["description"] = p.Description })).ToList(),
        });

        // A peer is only a peer if it writes the same text: checked once, before any measurement.
        EnsureSameText("DotLiquid", new LiquidProductListBenchmarks().Render(), Render());
    }

    [Benchmark]
    public override object Parse() => DotLiquid.Template.Parse(LiquidProductListBenchmarks.Source);

    [Benchmark]
    public override string Render() => _template.Render(new RenderParameters(CultureInfo.InvariantCulture) { LocalVariables = _model });
}
