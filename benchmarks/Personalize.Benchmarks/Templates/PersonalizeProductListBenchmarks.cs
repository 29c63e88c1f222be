using System.Buffers;
using BenchmarkDotNet.Attributes;
using Personalize.Templates;

namespace Personalize.Benchmarks.Templates;

/// <summary>The product-list workload on Personalize.Templates (Scriban syntax).</summary>
public class PersonalizeProductListBenchmarks : ProductListBenchmarkBase
{
    public const string Source = "<ul>{{ for p in products }}<li><h2>{{ p.name }}</h2>Only {{ p.price }} {{ p.description | string.truncate 15 }}</li>{{ end }}</ul>";

    private readonly Template _template;
    private readonly ProductListModel _model;
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);

    public PersonalizeProductListBenchmarks()
    {
        _template = Template.ParseOrThrow(Source);
        _model = new ProductListModel(Products);
    }

    /// <inheritdoc />
    [Benchmark]
    public override object Parse() => Template.Parse(Source);

    /// <inheritdoc />
    [Benchmark]
    public override string Render() => _template.Render(_model);

    /// <summary>Renders as UTF-8 into a reused buffer (the high-volume path).</summary>
    [Benchmark]
    public int RenderUtf8()
    {
        _buffer.ResetWrittenCount();
        _template.RenderUtf8(_buffer, _model);
        return _buffer.WrittenCount;
    }

    /// <summary>The model: its members are the template's globals.</summary>
    public sealed class ProductListModel
    {
        public ProductListModel(Product[] products) => Products = products;

        public Product[] Products { get; }
    }
}
