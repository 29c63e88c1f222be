using System.Buffers;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using DotLiquid;
using Fluid;
using HandlebarsDotNet;

namespace Personalize.Benchmarks.Templates;

/// <summary>
/// The product list as an HTML email is written — indented, one tag per line — rendered by every engine in one run (issue 16):
/// Personalize in Scriban syntax (string and UTF-8) and in Liquid syntax, Scriban 7.6.1, Fluid 3.0.0, Handlebars.Net and
/// DotLiquid, each parsed once, all writing the same text (checked once, before any measurement). Scriban's language indents a
/// block's lines by the white space before its <c>{{</c>; the Liquid engines write the indentation as it stands, so their
/// template carries the indentation Scriban's rule gives; Handlebars drops a line holding only a block tag, so its template
/// takes the same new lines and indentation from the model.
/// </summary>
[MemoryDiagnoser]
public class IndentedProductListBenchmarks : ProductListBenchmarkBase
{
    public const string ScribanSource = "<ul>\n  {{ for p in products }}\n    <li><h2>{{ p.name }}</h2>Only {{ p.price }} {{ p.description | string.truncate 15 }}</li>\n  {{ end }}\n</ul>";

    public const string LiquidSource = "<ul>\n  {% for p in products %}\n      <li><h2>{{ p.name }}</h2>Only {{ p.price }} {{ p.description | truncate: 15 }}</li>\n    {% endfor %}\n</ul>";

    public const string HandlebarsSource = "<ul>\n  {{#each products}}{{../open}}<li><h2>{{name}}</h2>Only {{price}} {{truncate description 15}}</li>{{../close}}{{/each}}\n</ul>";

    private static readonly FluidParser FluidParser = new();
    private static readonly global::Fluid.TemplateOptions FluidOptions = new TemplateOptionsBuilder()
        .ConfigureMemberAccess(strategy =>
        {
            strategy.Register<Product, string>("name", p => p.Name);
            strategy.Register<Product, decimal>("price", p => p.Price);
            strategy.Register<Product, string>("description", p => p.Description);
        })
        .Build();

    private readonly global::Personalize.Templates.Template _personalize;
    private readonly global::Personalize.Templates.Template _personalizeLiquid;
    private readonly PersonalizeProductListBenchmarks.ProductListModel _model;
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private readonly global::Scriban.Template _scriban;
    private readonly IFluidTemplate _fluid;
    private readonly HandlebarsTemplate<object, object> _handlebars;
    private readonly object _handlebarsModel;
    private readonly global::DotLiquid.Template _dotLiquid;
    private readonly Hash _dotLiquidModel;

    public IndentedProductListBenchmarks()
    {
        _personalize = global::Personalize.Templates.Template.ParseOrThrow(ScribanSource);
        _personalizeLiquid = global::Personalize.Templates.Template.ParseOrThrow(LiquidSource, new global::Personalize.Templates.TemplateOptions { Syntax = global::Personalize.Templates.TemplateSyntax.Liquid });
        _model = new PersonalizeProductListBenchmarks.ProductListModel(Products);
        _scriban = global::Scriban.Template.Parse(ScribanSource);
        _fluid = FluidParser.Parse(LiquidSource);

        var handlebars = HandlebarsDotNet.Handlebars.Create();
        handlebars.RegisterHelper("truncate", (context, arguments) =>
        {
            var text = arguments[0] as string ?? string.Empty;
            var length = Convert.ToInt32(arguments[1], CultureInfo.InvariantCulture);
            return text.Length <= length ? text : string.Concat(text.AsSpan(0, Math.Max(0, length - 3)), "...");
        });
        _handlebars = handlebars.Compile(HandlebarsSource);
        _handlebarsModel = new { open = "\n      ", close = "\n    ", products = Products.Select(p => new { name = p.Name, price = p.Price, description = p.Description }).ToArray() };

        _dotLiquid = global::DotLiquid.Template.Parse(LiquidSource);
        _dotLiquidModel = Hash.FromDictionary(new Dictionary<string, object>
        {
            ["products"] = Products.Select(p => Hash.FromDictionary(new Dictionary<string, object> { ["name"] = p.Name, ["price"] = p.Price, ["description"] = p.Description })).ToList(),
        });

        // Peers are only peers if they write the same text: checked once, before any measurement.
        var expected = Render();
        if (!expected.Contains("\n      <li><h2>Product 0</h2>", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("Personalize no longer indents the product list's lines as Scriban does; the benchmark would not measure the indented template.");
        }

        RenderUtf8();
        EnsureSameText("Personalize (UTF-8)", expected, System.Text.Encoding.UTF8.GetString(_buffer.WrittenSpan));
        EnsureSameText("Personalize (Liquid syntax)", expected, RenderLiquidSyntax());
        EnsureSameText("Scriban", expected, Scriban());
        EnsureSameText("Fluid", expected, Fluid());
        EnsureSameText("Handlebars.Net", expected, Handlebars());
        EnsureSameText("DotLiquid", expected, DotLiquid());
    }

    /// <inheritdoc />
    [Benchmark]
    public override object Parse() => global::Personalize.Templates.Template.Parse(ScribanSource);

    /// <summary>Personalize, Scriban syntax, to a string.</summary>
    [Benchmark(Baseline = true)]
    public override string Render() => _personalize.Render(_model);

    /// <summary>Personalize, Scriban syntax, as UTF-8 into a reused buffer (the high-volume path).</summary>
    [Benchmark]
    public int RenderUtf8()
    {
        _buffer.ResetWrittenCount();
        _personalize.RenderUtf8(_buffer, _model);
        return _buffer.WrittenCount;
    }

    /// <summary>Personalize, Liquid syntax, to a string.</summary>
    [Benchmark]
    public string RenderLiquidSyntax() => _personalizeLiquid.Render(_model);

    /// <summary>Scriban 7.6.1 with a fresh <c>TemplateContext</c> per render, as its documentation does.</summary>
    [Benchmark]
    public string Scriban()
    {
        var context = new global::Scriban.TemplateContext();
        context.PushGlobal(new global::Scriban.Runtime.ScriptObject { ["products"] = Products });
        return _scriban.Render(context);
    }

    /// <summary>Fluid 3.0.0 on the Liquid template.</summary>
    [Benchmark]
    public string Fluid()
    {
        var context = new global::Fluid.TemplateContext(FluidOptions);
        context.SetValue("products", Products);
        return _fluid.Render(context);
    }

    /// <summary>Handlebars.Net, with a <c>truncate</c> helper equivalent to <c>string.truncate</c>.</summary>
    [Benchmark]
    public string Handlebars() => _handlebars(_handlebarsModel);

    /// <summary>DotLiquid on the Liquid template, with the invariant culture.</summary>
    [Benchmark]
    public string DotLiquid() => _dotLiquid.Render(new RenderParameters(CultureInfo.InvariantCulture) { LocalVariables = _dotLiquidModel });
}
