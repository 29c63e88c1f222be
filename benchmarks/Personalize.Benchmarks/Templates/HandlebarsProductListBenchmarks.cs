using BenchmarkDotNet.Attributes;
using HandlebarsDotNet;

namespace Personalize.Benchmarks.Templates;

/// <summary>The product-list workload on Handlebars.Net, with a <c>truncate</c> helper equivalent to <c>string.truncate</c>.</summary>
public class HandlebarsProductListBenchmarks : ProductListBenchmarkBase
{
    public const string Source = "<ul>{{#each products}}<li><h2>{{name}}</h2>Only {{price}} {{truncate description 15}}</li>{{/each}}</ul>";

    private readonly IHandlebars _handlebars;
    private readonly HandlebarsTemplate<object, object> _template;
    private readonly object _model;

    public HandlebarsProductListBenchmarks()
    {
        _handlebars = Handlebars.Create();
        _handlebars.RegisterHelper("truncate", (context, arguments) =>
        {
            var text = arguments[0] as string ?? string.Empty;
            var length = Convert.ToInt32(arguments[1], System.Globalization.CultureInfo.InvariantCulture);
            return text.Length <= length ? text : string.Concat(text.AsSpan(0, Math.Max(0, length - 3)), "...");
        });
        _template = _handlebars.Compile(Source);
        _model = new { products = Products.Select(p => new { name = p.Name, price = p.Price, description = p.Description }).ToArray() };
    }

    /// <inheritdoc />
    [Benchmark]
    public override object Parse() => _handlebars.Compile(Source);

    /// <inheritdoc />
    [Benchmark]
    public override string Render() => _template(_model);
}
