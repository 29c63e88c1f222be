using System.Buffers;
using BenchmarkDotNet.Attributes;
using Personalize.Templates;

namespace Personalize.Benchmarks.Templates;

/// <summary>The product-list workload on Personalize.Templates in Liquid syntax (same compiled form as the Scriban-syntax run).</summary>
public class LiquidProductListBenchmarks : ProductListBenchmarkBase
{
    public const string Source = "<ul>{% for p in products %}<li><h2>{{ p.name }}</h2>Only {{ p.price }} {{ p.description | truncate: 15 }}</li>{% endfor %}</ul>";

    private static readonly TemplateOptions Options = new() { Syntax = TemplateSyntax.Liquid };

    private readonly Template _template;
    private readonly PersonalizeProductListBenchmarks.ProductListModel _model;
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);

    public LiquidProductListBenchmarks()
    {
        _template = Template.ParseOrThrow(Source, Options);
        _model = new PersonalizeProductListBenchmarks.ProductListModel(Products);
    }

    /// <inheritdoc />
    [Benchmark]
    public override object Parse() => Template.Parse(Source, Options);

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
}
