using System.Globalization;
using System.Text;
using Xunit.Abstractions;

namespace Personalize.Templates.Tests.Differential;

/// <summary>
/// Differential tests against Scriban 7.6.1 (<c>Scriban.Signed</c>, a test oracle only): generated templates render in both
/// engines with the same data and must agree (the same text, or both failing) in at least 99.9 % of them; every remaining
/// difference must belong to a documented class of <see cref="ScribanDifferences"/>. CI runs a fixed seed and count; set
/// <c>PERSONALIZE_SCRIBAN_DIFF_COUNT</c> / <c>PERSONALIZE_SCRIBAN_DIFF_SEED</c> for a longer run, or use the benchmark project's
/// long mode (<c>dotnet run -c Release --project benchmarks/Personalize.Benchmarks -- scriban-diff --seed 1 --count 1000000</c>).
/// The report is written to <c>artifacts/scriban-diff/</c>.
/// </summary>
public sealed class ScribanDifferentialTests
{
    private const int DefaultCount = 2000;
    private const int DefaultSeed = 20_261_205;

    private readonly ITestOutputHelper _output;

    public ScribanDifferentialTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Generated_templates_render_as_in_Scriban()
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("PERSONALIZE_SCRIBAN_DIFF_COUNT"), NumberStyles.None, CultureInfo.InvariantCulture, out var c) ? c : DefaultCount;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("PERSONALIZE_SCRIBAN_DIFF_SEED"), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var s) ? s : DefaultSeed;
        var report = ScribanDifferential.Run(seed, count);

        var text = report.Describe();
        _output.WriteLine(text);
        var artifacts = Path.Combine(RepoPaths.Root, "artifacts", "scriban-diff");
        Directory.CreateDirectory(artifacts);
        File.WriteAllText(Path.Combine(artifacts, "summary.txt"), text, new UTF8Encoding(false));
        File.WriteAllText(Path.Combine(artifacts, "differences.txt"), report.DescribeDifferences(200), new UTF8Encoding(false));

        // The goal: at least 99.9 % of generated templates agree outside the named exclusions (measured 99.9-100 % on this seed
        // and on seeds 1-4 with 10,000-20,000 templates each, docs/templates.md); raw agreement measured 93.7 %.
        Assert.True(report.Unexplained.Count <= report.Count / 1000, $"More than 0.1 % of generated templates differ from Scriban in no documented class:\n{text}\n{report.DescribeDifferences(15, unexplainedOnly: true)}");
        Assert.True(report.AgreementPercent >= 93.0, $"Raw agreement with Scriban is {report.AgreementPercent:0.000} %, below the recorded 93 %.\n{text}");
    }

    [Fact]
    public void The_generator_is_deterministic_and_covers_the_language()
    {
        var a = new ScribanTemplateGenerator(7);
        var b = new ScribanTemplateGenerator(7);
        var all = new StringBuilder();
        for (var i = 0; i < 3000; i++)
        {
            var next = a.Next();
            Assert.Equal(next, b.Next());
            all.Append(next).Append('\n');
        }

        var text = all.ToString();
        foreach (var construct in new[] { "if ", "else if ", "else ", "case ", "when ", "for x in ", "offset:", "limit:", "reversed", "while ", "capture ", "func ", "ret ", "with ", "wrap ", "tablerow ", "$\"", "break", "continue", "{{-", "-}}", "{{~", "~}}", "[-1]", "user[\"name\"]", "??", "//" })
        {
            Assert.Contains(construct, text, StringComparison.Ordinal);
        }

        foreach (var builtin in new[] { "string.", "array.", "math.", "html.", "object.", "regex." })
        {
            Assert.Contains(builtin, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_difference_class_is_documented_in_the_templates_guide_with_its_example()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "templates.md"));
        foreach (var known in ScribanDifferences.Classes)
        {
            Assert.Contains("`" + known.Code + "`", readme, StringComparison.Ordinal);
            Assert.Contains(known.Example, readme, StringComparison.Ordinal);
        }
    }

    public static TheoryData<string> ClassCodes() => new(ScribanDifferences.Classes.Select(c => c.Code));

    [Theory]
    [MemberData(nameof(ClassCodes))]
    public void Each_documented_class_is_shown_by_its_example(string code)
    {
        var known = ScribanDifferences.Classes.Single(c => c.Code == code);
        using var json = System.Text.Json.JsonDocument.Parse(ScribanTemplateGenerator.Model);
        var ours = ScribanDifferential.RenderOurs(known.Example, json.RootElement);
        var scriban = ScribanOracle.Render(known.Example, System.Text.Json.Nodes.JsonNode.Parse(ScribanTemplateGenerator.Model));

        Assert.False(ours.AgreesWith(scriban), $"{code}'s example renders alike in both engines now ({ours}): the class may be gone; remove it here and in docs/templates.md.");
        Assert.Equal(known.Name, ScribanDifferences.Classify(known.Example, ours, scriban));
    }
}
