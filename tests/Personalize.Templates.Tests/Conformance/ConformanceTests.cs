using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Personalize.Templates.Tests.Differential;
using Xunit.Abstractions;

namespace Personalize.Templates.Tests.Conformance;

/// <summary>
/// The conformance corpus (see <c>shared/conformance/README.md</c>), case by case: each case renders as its expected file says
/// (<see cref="Case"/>), Scriban 7.6.1 itself renders it the same way as this engine (<see cref="Scriban_renders_it_the_same"/>),
/// and an error case reports its first error where Scriban does, with Scriban's message (<see cref="Error_is_reported_like_Scriban"/>).
/// Deliberate differences are named, with their reason, in <see cref="ConformanceExclusions"/>. The summary prints one line per
/// group and <c>conformance: N passed, M failed</c>, writes <c>artifacts/conformance/summary.txt</c> (and a JSON report when
/// <c>PERSONALIZE_CONFORMANCE_REPORT</c> is set), and fails when the default corpus passes fewer cases than recorded.
/// </summary>
public sealed class ConformanceTests
{
    private readonly ITestOutputHelper _output;

    public ConformanceTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<string> Cases() => Names(_ => true);

    public static TheoryData<string> ErrorCases() => Names(name => ConformanceRunner.Read(ConformanceCorpus.Directory, name).Expected.Contains(" : error : ", StringComparison.Ordinal));

    [ConformanceTheory]
    [MemberData(nameof(Cases))]
    public void Case(string name)
    {
        var result = ConformanceRunner.Run(ConformanceCorpus.Directory, name);
        Assert.True(result.Passed, $"Corpus case {name}\n--- expected\n{result.Expected}\n--- actual\n{result.Actual}");
    }

    [ConformanceTheory]
    [MemberData(nameof(Cases))]
    public void Scriban_renders_it_the_same(string name)
    {
        var (source, _, modelJson, liquid, scientific) = ConformanceRunner.Read(ConformanceCorpus.Directory, name);
        var result = ConformanceRunner.Run(ConformanceCorpus.Directory, name);
        var ours = result.IsErrorCase || result.Actual.Contains(" : error : ", StringComparison.Ordinal) ? RenderOutcome.Failed(result.Actual) : RenderOutcome.Ok(result.Actual);
        var scriban = ScribanOracle.Render(source, JsonNode.Parse(modelJson ?? StandardModel.Json), scientific, liquid);
        var agrees = ours.Succeeded == scriban.Succeeded && (!ours.Succeeded || ours.Text.TrimEnd() == scriban.Text.TrimEnd());
        if (ConformanceExclusions.ScribanOutputs.TryGetValue(name, out var reason))
        {
            Assert.False(agrees, $"{name} renders like Scriban now: remove it from ConformanceExclusions.ScribanOutputs and docs/templates.md ({reason}).");
            return;
        }

        Assert.True(agrees, $"Corpus case {name}: this engine and Scriban 7.6.1 differ\n--- ours\n{ours}\n--- scriban\n{scriban}");
    }

    [ConformanceTheory]
    [MemberData(nameof(ErrorCases))]
    public void Error_is_reported_like_Scriban(string name)
    {
        var result = ConformanceRunner.Run(ConformanceCorpus.Directory, name);
        var matches = result.PositionMatched && result.MessageMatched;
        if (ConformanceExclusions.ErrorReports.TryGetValue(name, out var reason))
        {
            Assert.False(matches, $"{name} reports its error like Scriban now: remove it from ConformanceExclusions.ErrorReports and docs/templates.md ({reason}).");
            return;
        }

        Assert.True(result.PositionMatched, $"Corpus case {name}: the first error is not where Scriban reports it\n--- Scriban\n{result.Expected}\n--- ours\n{result.Actual}");
        Assert.True(result.MessageMatched, $"Corpus case {name}: the first error message is not Scriban's (ours may add a hint after it)\n--- Scriban\n{result.Expected}\n--- ours\n{result.Actual}");
    }

    [ConformanceFact]
    public void Every_exclusion_is_a_corpus_case_and_documented()
    {
        var names = ConformanceRunner.CaseNames(ConformanceCorpus.Directory).ToHashSet(StringComparer.Ordinal);
        var guide = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "templates.md"));
        foreach (var name in ConformanceExclusions.ErrorReports.Keys.Concat(ConformanceExclusions.ScribanOutputs.Keys))
        {
            Assert.Contains(name, names);
            Assert.Contains(name, guide, StringComparison.Ordinal);
        }
    }

    [ConformanceFact]
    public void Corpus_passes_at_least_the_recorded_number_of_cases()
    {
        var results = ConformanceRunner.RunAll(ConformanceCorpus.Directory).ToList();
        var summary = new StringBuilder();
        foreach (var group in results.GroupBy(r => r.Group))
        {
            var errorCases = group.Where(r => r.IsErrorCase).ToList();
            var positions = errorCases.Count(r => r.PositionMatched);
            var messages = errorCases.Count(r => r.MessageMatched);
            summary.Append(System.Globalization.CultureInfo.InvariantCulture, $"conformance {group.Key}: {group.Count(r => r.Passed)} passed, {group.Count(r => !r.Passed)} failed");
            if (errorCases.Count > 0)
            {
                summary.Append(System.Globalization.CultureInfo.InvariantCulture, $" (errors where Scriban reports them: {positions}/{errorCases.Count}, with Scriban's message: {messages}/{errorCases.Count})");
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

    private static TheoryData<string> Names(Func<string, bool> filter)
    {
        var data = new TheoryData<string>();
        if (!System.IO.Directory.Exists(ConformanceCorpus.Directory))
        {
            return data;
        }

        foreach (var name in ConformanceRunner.CaseNames(ConformanceCorpus.Directory).Where(filter))
        {
            data.Add(name);
        }

        return data;
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
