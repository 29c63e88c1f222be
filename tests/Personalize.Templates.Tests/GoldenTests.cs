using System.Text.Json;
using System.Text.Json.Nodes;
using Personalize.Templates.Tests.Conformance;
using Personalize.Templates.Tests.Differential;

namespace Personalize.Templates.Tests;

/// <summary>
/// Marketing-style templates in Scriban syntax (<c>Golden/NAME.txt</c> + <c>NAME.model.json</c>) rendered and compared with
/// <c>NAME.out.txt</c>, byte for byte; each expected output is also checked against Scriban 7.6.1 itself (a test oracle only),
/// so a golden file cannot pin a behaviour Scriban does not have.
/// </summary>
public sealed class GoldenTests
{
    /// <summary>Golden files where this engine deliberately differs from Scriban 7.6.1 (none today), with the reason.</summary>
    private static readonly Dictionary<string, string> NotScribansOutput = new(StringComparer.Ordinal);

    private static string GoldenDirectory => Path.Combine(RepoPaths.Root, "tests", "Personalize.Templates.Tests", "Golden");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(GoldenDirectory, "*.txt").Where(f => !f.EndsWith(".out.txt", StringComparison.Ordinal)).OrderBy(f => f, StringComparer.Ordinal))
        {
            data.Add(Path.GetFileNameWithoutExtension(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Renders_the_expected_output(string name)
    {
        var source = File.ReadAllText(Path.Combine(GoldenDirectory, name + ".txt"));
        var expected = File.ReadAllText(Path.Combine(GoldenDirectory, name + ".out.txt"));
        var modelJson = File.ReadAllText(Path.Combine(GoldenDirectory, name + ".model.json"));
        var template = Template.ParseOrThrow(source, new TemplateOptions { SourceName = name });

        Assert.Equal(expected, template.Render(StandardModel.FromJson(modelJson)));

        // The same template over the raw JSON (JsonElement binding) and as UTF-8 gives the same text.
        using var document = JsonDocument.Parse(modelJson);
        Assert.Equal(expected, template.Render(document.RootElement));
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        template.RenderUtf8(buffer, document.RootElement);
        Assert.Equal(expected, System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Scriban_7_6_1_renders_the_expected_output_too(string name)
    {
        Assert.False(NotScribansOutput.ContainsKey(name), NotScribansOutput.GetValueOrDefault(name));
        var source = File.ReadAllText(Path.Combine(GoldenDirectory, name + ".txt"));
        var expected = File.ReadAllText(Path.Combine(GoldenDirectory, name + ".out.txt"));
        var model = JsonNode.Parse(File.ReadAllText(Path.Combine(GoldenDirectory, name + ".model.json")));

        var scriban = ScribanOracle.Render(source, model);

        Assert.True(scriban.Succeeded, scriban.Text);
        Assert.Equal(expected, scriban.Text);
    }
}
