namespace Personalize.Benchmarks.Templates;

/// <summary>The product of the classic product-list workload (same shape as the Scriban/Fluid benchmarks).</summary>
public sealed class Product
{
    public Product(string name, decimal price, string description)
    {
        Name = name;
        Price = price;
        Description = description;
    }

    public string Name { get; }

    public decimal Price { get; }

    public string Description { get; }
}
