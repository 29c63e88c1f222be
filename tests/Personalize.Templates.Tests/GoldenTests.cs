using System.Text.Json;
using Personalize.Templates.Tests.Conformance;

namespace Personalize.Templates.Tests;

/// <summary>Marketing-style templates (<c>Golden/NAME.txt</c> + <c>NAME.model.json</c>) rendered and compared with <c>NAME.out.txt</c>, byte for byte.</summary>
public sealed class GoldenTests
{
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
}
