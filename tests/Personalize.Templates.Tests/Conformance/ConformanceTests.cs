using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace Personalize.Templates.Tests.Conformance;

/// <summary>
/// Runs every case of the conformance corpus (see <c>shared/conformance/README.md</c>), prints one line per group and
/// <c>conformance: N passed, M failed</c>, writes <c>artifacts/conformance/summary.txt</c> (and a JSON report when
/// <c>PERSONALIZE_CONFORMANCE_REPORT</c> is set), and fails when the default corpus passes fewer cases than recorded.
/// </summary>
public sealed class ConformanceTests
{
    private readonly ITestOutputHelper _output;

    public ConformanceTests(ITestOutputHelper output) => _output = output;

    [ConformanceFact]
    public void Corpus_passes_at_least_the_recorded_number_of_cases()
    {
        var results = ConformanceRunner.RunAll(ConformanceCorpus.Directory).ToList();
        var summary = new StringBuilder();
        foreach (var group in results.GroupBy(r => r.Group))
        {
            var errorCases = group.Where(r => r.IsErrorCase).ToList();
            var positions = errorCases.Count(r => r.PositionMatched);
            summary.Append(System.Globalization.CultureInfo.InvariantCulture, $"conformance {group.Key}: {group.Count(r => r.Passed)} passed, {group.Count(r => !r.Passed)} failed");
            if (errorCases.Count > 0)
            {
                summary.Append(System.Globalization.CultureInfo.InvariantCulture, $" (error positions matched: {positions}/{errorCases.Count})");
            }

            summary.AppendLine();
        }

        var passed = results.Count(r => r.Passed);
        var failed = results.Count - passed;
        summary.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"conformance: {passed} passed, {failed} failed");
        foreach (var failure in results.Where(r => !r.Passed))
        {
            summary.AppendLine(System.Globalization.CultureInfo.InvariantCulture, $"  FAILED {failure.Name}");
        }

        var text = summary.ToString();
        _output.WriteLine(text);
        var artifacts = Path.Combine(RepoPaths.Root, "artifacts", "conformance");
        Directory.CreateDirectory(artifacts);
        File.WriteAllText(Path.Combine(artifacts, "summary.txt"), text);
        File.WriteAllText(Path.Combine(artifacts, "failures.txt"), string.Join("\n\n", results.Where(r => !r.Passed).Select(r => $"=== {r.Name}\n--- expected\n{r.Expected}\n--- actual\n{r.Actual}")));

        if (Environment.GetEnvironmentVariable("PERSONALIZE_CONFORMANCE_REPORT") is { Length: > 0 } reportPath)
        {
            WriteReport(reportPath, results, passed, failed);
        }

        if (!ConformanceCorpus.IsDefault)
        {
            return;
        }

        var record = JsonNode.Parse(File.ReadAllText(ConformanceCorpus.RecordPath))!["passed"]!.GetValue<int>();
        Assert.True(passed >= record, $"Conformance dropped: {passed} cases pass, the record is {record}.\n{text}");
    }

    private static void WriteReport(string path, List<ConformanceRunner.CaseResult> results, int passed, int failed)
    {
        var groups = new JsonObject();
        foreach (var group in results.GroupBy(r => r.Group))
        {
            groups[group.Key] = new JsonObject { ["passed"] = group.Count(r => r.Passed), ["failed"] = group.Count(r => !r.Passed) };
        }

        var failures = new JsonArray();
        foreach (var failure in results.Where(r => !r.Passed))
        {
            failures.Add(new JsonObject { ["case"] = failure.Name, ["expected"] = failure.Expected, ["actual"] = failure.Actual });
        }

        var report = new JsonObject
        {
            ["total"] = new JsonObject { ["passed"] = passed, ["failed"] = failed },
            ["groups"] = groups,
            ["failures"] = failures,
        };
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllText(path, report.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}
