using System.Globalization;
using System.Text;
using Xunit.Abstractions;

namespace Personalize.Templates.Tests.Liquid.GoldenLiquid;

/// <summary>
/// Every Golden Liquid case as its own test, by name (see <see cref="GoldenLiquidSuite"/>). Cases this engine decides not
/// to follow are listed in <see cref="GoldenLiquidExclusions"/> with their reason (and in docs/liquid.md); they run as
/// <see cref="Excluded_case_still_differs_as_documented"/>, so an exclusion that starts passing is noticed and removed.
/// </summary>
public sealed class GoldenLiquidTests
{
    private readonly ITestOutputHelper _output;

    public GoldenLiquidTests(ITestOutputHelper output) => _output = output;

    public static TheoryData<string> Cases() => Names(excluded: false);

    public static TheoryData<string> ExcludedCases() => Names(excluded: true);

    [GoldenLiquidTheory]
    [MemberData(nameof(Cases))]
    public void Case(string name)
    {
        var test = GoldenLiquidSuite.Cases[name];
        var outcome = GoldenLiquidSuite.Run(test);
        Assert.True(
            outcome.Passed,
            $"Golden Liquid case \"{name}\"\ntemplate: {GoldenLiquidCase.Quote(test.Template)}\nexpected: {test.Expected}\nactual:   {(outcome.Actual.StartsWith("parse error", StringComparison.Ordinal) || outcome.Actual.StartsWith("render error", StringComparison.Ordinal) || outcome.Actual.StartsWith("CRASH", StringComparison.Ordinal) ? outcome.Actual : GoldenLiquidCase.Quote(outcome.Actual))}");
    }

    [GoldenLiquidTheory]
    [MemberData(nameof(ExcludedCases))]
    public void Excluded_case_still_differs_as_documented(string name)
    {
        var outcome = GoldenLiquidSuite.Run(GoldenLiquidSuite.Cases[name]);
        Assert.False(outcome.Passed, $"The excluded case \"{name}\" passes now: remove it from GoldenLiquidExclusions and docs/liquid.md.");
        Assert.DoesNotContain("CRASH", outcome.Actual, StringComparison.Ordinal);
        var guide = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "liquid.md"));
        Assert.Contains(name, guide, StringComparison.Ordinal);
    }

    [GoldenLiquidFact]
    public void Summary_per_tag()
    {
        var results = GoldenLiquidSuite.Cases.Values.Select(c => (Case: c, Outcome: GoldenLiquidSuite.Run(c))).ToList();
        var summary = new StringBuilder();
        foreach (var group in results.SelectMany(r => r.Case.Categories.Select(tag => (Tag: tag, r.Outcome.Passed))).GroupBy(r => r.Tag).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            summary.AppendLine(CultureInfo.InvariantCulture, $"golden-liquid {group.Key}: {group.Count(r => r.Passed)}/{group.Count()}");
        }

        var passed = results.Count(r => r.Outcome.Passed);
        var excluded = results.Count(r => GoldenLiquidExclusions.Reasons.ContainsKey(r.Case.Name));
        summary.AppendLine(CultureInfo.InvariantCulture, $"golden-liquid: {passed} of {results.Count} passed, {excluded} excluded, {results.Count - passed - excluded} failed");
        foreach (var (test, outcome) in results.Where(r => !r.Outcome.Passed))
        {
            summary.AppendLine(CultureInfo.InvariantCulture, $"  {(GoldenLiquidExclusions.Reasons.ContainsKey(test.Name) ? "EXCLUDED" : "FAILED")} {test.Name}");
        }

        var text = summary.ToString();
        _output.WriteLine(text);
        var artifacts = Path.Combine(RepoPaths.Root, "artifacts", "golden-liquid");
        Directory.CreateDirectory(artifacts);
        File.WriteAllText(Path.Combine(artifacts, "summary.txt"), text);
        File.WriteAllText(
            Path.Combine(artifacts, "failures.txt"),
            string.Join("\n\n", results.Where(r => !r.Outcome.Passed).Select(r => $"=== {r.Case.Name}\ntemplate: {GoldenLiquidCase.Quote(r.Case.Template)}\nexpected: {r.Case.Expected}\nactual:   {GoldenLiquidCase.Quote(r.Outcome.Actual)}")));

        Assert.Equal(results.Count - excluded, passed);
    }

    private static TheoryData<string> Names(bool excluded)
    {
        var data = new TheoryData<string>();
        if (!GoldenLiquidSuite.Exists)
        {
            return data;
        }

        foreach (var name in GoldenLiquidSuite.Cases.Keys.Where(n => GoldenLiquidExclusions.Reasons.ContainsKey(n) == excluded))
        {
            data.Add(name);
        }

        return data;
    }
}

/// <summary>A theory that is skipped, with the reason, when the Golden Liquid suite is not beside the repository.</summary>
public sealed class GoldenLiquidTheoryAttribute : TheoryAttribute
{
    public GoldenLiquidTheoryAttribute()
    {
        if (!GoldenLiquidSuite.Exists)
        {
            Skip = $"The Golden Liquid suite was not found at {GoldenLiquidSuite.FilePath}; put ../shared/conformance/golden-liquid beside the repo or set PERSONALIZE_GOLDEN_LIQUID_DIR.";
        }
    }
}

/// <summary>A fact that is skipped, with the reason, when the Golden Liquid suite is not beside the repository.</summary>
public sealed class GoldenLiquidFactAttribute : FactAttribute
{
    public GoldenLiquidFactAttribute()
    {
        if (!GoldenLiquidSuite.Exists)
        {
            Skip = $"The Golden Liquid suite was not found at {GoldenLiquidSuite.FilePath}; put ../shared/conformance/golden-liquid beside the repo or set PERSONALIZE_GOLDEN_LIQUID_DIR.";
        }
    }
}
