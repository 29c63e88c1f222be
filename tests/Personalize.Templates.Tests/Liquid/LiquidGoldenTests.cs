using System.Text;
using System.Text.Json;

namespace Personalize.Templates.Tests.Liquid;

/// <summary>
/// Golden files for Liquid: <c>Golden/NAME.liquid</c> renders to <c>Golden/NAME.out.txt</c> with the model
/// <c>Golden/NAME.model.json</c> (optional), partials from <c>Golden/partials</c>, and a clock fixed at 2026-01-05 10:30 UTC.
/// When the template has errors, the expected file lists the diagnostics (<c>name(line,col) : error : message</c>).
/// </summary>
public sealed class LiquidGoldenTests
{
    private static readonly string Folder = Path.Combine(RepoPaths.Root, "tests", "Personalize.Templates.Tests", "Liquid", "Golden");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Folder, "*.liquid").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileNameWithoutExtension(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Golden(string name)
    {
        var source = Normalize(File.ReadAllText(Path.Combine(Folder, name + ".liquid")));
        var expected = Normalize(File.ReadAllText(Path.Combine(Folder, name + ".out.txt")));
        var modelPath = Path.Combine(Folder, name + ".model.json");
        object? model = File.Exists(modelPath) ? JsonDocument.Parse(File.ReadAllText(modelPath)).RootElement.Clone() : null;
        var options = new TemplateOptions
        {
            Syntax = TemplateSyntax.Liquid,
            SourceName = name + ".liquid",
            Loader = new FolderTemplateLoader(Path.Combine(Folder, "partials")),
        };

        var template = Template.Parse(source, options);
        string actual;
        if (template.HasErrors)
        {
            var builder = new StringBuilder();
            foreach (var diagnostic in template.Diagnostics)
            {
                builder.Append(diagnostic).Append('\n');
            }

            actual = builder.ToString();
        }
        else
        {
            try
            {
                actual = template.Render(model, new RenderOptions { TimeProvider = new FixedTimeProvider() });
            }
            catch (TemplateRuntimeException ex)
            {
                actual = $"{ex.SourceName}({ex.Line},{ex.Column}) : render error : {ex.Detail}\n";
            }
        }

        Assert.Equal(expected.TrimEnd(), Normalize(actual).TrimEnd());
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);
}
