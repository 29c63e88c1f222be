using System.Text;
using System.Text.Json;

namespace Personalize.Templates.Tests.Liquid.GoldenLiquid;

/// <summary>
/// The Golden Liquid suite (github.com/jg-rp/golden-liquid, MIT): 1,054 cases that pass on Shopify's reference Liquid, read
/// from <c>../shared/conformance/golden-liquid/golden_liquid.json</c> beside the repository (or
/// <c>PERSONALIZE_GOLDEN_LIQUID_DIR</c>). Each case is run by its schema: <c>template</c> with <c>data</c> as the globals,
/// <c>templates</c> as the files <c>include</c> and <c>render</c> find, and either <c>result</c>, one of <c>results</c>, or
/// <c>invalid</c> (parsing or rendering must fail with a diagnostic or a render error, never another exception).
/// </summary>
internal static class GoldenLiquidSuite
{
    private static readonly Lazy<IReadOnlyDictionary<string, GoldenLiquidCase>> LazyCases = new(Load);

    public static string Directory =>
        Environment.GetEnvironmentVariable("PERSONALIZE_GOLDEN_LIQUID_DIR") is { Length: > 0 } dir
            ? dir
            : Path.GetFullPath(Path.Combine(RepoPaths.Root, "..", "shared", "conformance", "golden-liquid"));

    public static string FilePath => Path.Combine(Directory, "golden_liquid.json");

    public static bool Exists => File.Exists(FilePath);

    public static IReadOnlyDictionary<string, GoldenLiquidCase> Cases => LazyCases.Value;

    /// <summary>Renders one case and says whether the result is one the reference allows.</summary>
    public static GoldenLiquidOutcome Run(GoldenLiquidCase test)
    {
        var options = new TemplateOptions
        {
            Syntax = TemplateSyntax.Liquid,
            SourceName = "golden",
            Loader = new InMemoryTemplateLoader(test.Templates),
        };
        var template = Template.Parse(test.Template, options);
        if (template.HasErrors)
        {
            var diagnostics = string.Join("\n", template.Diagnostics.Select(d => d.ToString()));
            return new GoldenLiquidOutcome(test.Invalid, "parse error: " + diagnostics);
        }

        string actual;
        try
        {
            actual = template.Render(test.Data, new RenderOptions { TimeProvider = new FixedTimeProvider() });
        }
        catch (TemplateRuntimeException ex)
        {
            return new GoldenLiquidOutcome(test.Invalid, "render error: " + ex.Message);
        }
        // Any other exception is a crash: the case fails and says what was thrown.
        catch (Exception ex)
        {
            return new GoldenLiquidOutcome(false, "CRASH " + ex.GetType().Name + ": " + ex.Message);
        }

        return new GoldenLiquidOutcome(!test.Invalid && test.Results.Contains(actual, StringComparer.Ordinal), actual);
    }

    private static IReadOnlyDictionary<string, GoldenLiquidCase> Load()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(FilePath));
        var cases = new Dictionary<string, GoldenLiquidCase>(StringComparer.Ordinal);
        foreach (var test in document.RootElement.GetProperty("tests").EnumerateArray())
        {
            var name = test.GetProperty("name").GetString()!;
            var results = new List<string>();
            if (test.TryGetProperty("result", out var result))
            {
                results.Add(result.GetString()!);
            }

            if (test.TryGetProperty("results", out var many))
            {
                results.AddRange(many.EnumerateArray().Select(r => r.GetString()!));
            }

            var templates = new Dictionary<string, string>(StringComparer.Ordinal);
            if (test.TryGetProperty("templates", out var files))
            {
                foreach (var file in files.EnumerateObject())
                {
                    templates[file.Name] = file.Value.GetString()!;
                }
            }

            cases.Add(name, new GoldenLiquidCase(
                name,
                test.GetProperty("template").GetString()!,
                test.TryGetProperty("data", out var data) ? data.Clone() : null,
                results,
                templates,
                test.TryGetProperty("invalid", out var invalid) && invalid.GetBoolean(),
                test.TryGetProperty("tags", out var tags) ? tags.EnumerateArray().Select(t => t.GetString()!).ToArray() : Array.Empty<string>()));
        }

        return cases;
    }

    private sealed class InMemoryTemplateLoader(IReadOnlyDictionary<string, string> files) : ITemplateLoader
    {
        public bool TryLoad(string name, out string source) => files.TryGetValue(name, out source!);
    }
}

/// <summary>One Golden Liquid case, as its schema defines it.</summary>
internal sealed record GoldenLiquidCase(
    string Name,
    string Template,
    JsonElement? Data,
    IReadOnlyList<string> Results,
    IReadOnlyDictionary<string, string> Templates,
    bool Invalid,
    IReadOnlyList<string> Tags)
{
    /// <summary>What the reference gives, for a failure message.</summary>
    public string Expected => Invalid ? "an error (the case is invalid)" : string.Join(" | or | ", Results.Select(Quote));

    /// <summary>The summary's categories: the case's tags ("for tag", "join filter", …), else its name's group.</summary>
    public IEnumerable<string> Categories => Tags.Count > 0 ? Tags : new[] { Name.Split(',')[0] };

    public static string Quote(string text)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in text)
        {
            builder.Append(c switch { '\n' => "\\n", '\t' => "\\t", '\r' => "\\r", '"' => "\\\"", _ => c.ToString() });
        }

        return builder.Append('"').ToString();
    }
}

/// <summary>Whether a case passed, and what the engine gave.</summary>
internal readonly record struct GoldenLiquidOutcome(bool Passed, string Actual);
