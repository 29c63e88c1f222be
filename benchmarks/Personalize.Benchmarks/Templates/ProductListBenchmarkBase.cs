using BenchmarkDotNet.Attributes;

namespace Personalize.Benchmarks.Templates;

/// <summary>
/// The classic product-list workload: 100 products (name, price, 400-character description) rendered into an HTML list,
/// parse and render measured separately. One subclass per engine, all in the same run.
/// </summary>
[MemoryDiagnoser]
public abstract class ProductListBenchmarkBase
{
    protected const int ProductCount = 100;

    protected const string Lorem =
        "Lorem ipsum dolor sit amet, consectetur adipiscing elit. Fusce vitae sagittis nisi, quis faucibus massa. " +
        "Aenean bibendum justo vitae augue aliquet, nec dictum lorem fermentum. Ut congue, sapien non aliquet porta, " +
        "ex mauris luctus orci, in dignissim libero quam sit amet dolor. Pellentesque habitant morbi tristique senectus " +
        "et netus et malesuada fames ac turpis egestas. Donec sodales quam vel purus congue";

    protected ProductListBenchmarkBase()
    {
        var products = new Product[ProductCount];
        for (var i = 0; i < ProductCount; i++)
        {
            products[i] = new Product("Product " + i, i + 0.99m, Lorem);
        }

        Products = products;
    }

    protected Product[] Products { get; }

    /// <summary>A peer is only a peer if it writes the same text: each peer checks it once, before any measurement.</summary>
    protected static void EnsureSameText(string peer, string ours, string theirs)
    {
        if (!string.Equals(theirs, ours, StringComparison.Ordinal))
        {
            var at = ours.AsSpan().CommonPrefixLength(theirs);
            throw new InvalidOperationException($"{peer} and Personalize render the product list differently from character {at} (Personalize `{ours.Substring(at, Math.Min(40, ours.Length - at))}`, {peer} `{theirs.Substring(at, Math.Min(40, theirs.Length - at))}`); the comparison would not be fair.");
        }
    }

    /// <summary>Parses (compiles) the template. Subclasses mark their override with [Benchmark].</summary>
    public abstract object Parse();

    /// <summary>Renders the pre-parsed template with the 100 products. Subclasses mark their override with [Benchmark].</summary>
    public abstract string Render();
}
