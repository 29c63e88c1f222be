using System.Text.RegularExpressions;

namespace Personalize.Tests.Samples;

/// <summary>The console's question bank in the bundled templates, and the <c>profiling</c> report, as a user runs them.</summary>
public sealed class ProfilingCommandTests() : ConsoleWorkspace("pz-profiling-console")
{
    private const string Now = "2026-03-15T22:00:00Z";

    [Fact]
    public void The_spring_sale_emails_carry_one_question_each_and_profiling_counts_the_asks()
    {
        var before = SampleConsole.Run("profiling", "--db", Database);
        Assert.Equal(0, before.Exit);
        Assert.Matches(@"recipes\s+topic:recipes\s+0\s+0\s+0\s+0\s+-", before.Output);

        var (exit, _, error) = SampleConsole.Run("run", "--now", Now, "--trigger", "campaign:spring_sale", "--out", Outbox, "--db", Database);
        Assert.Equal((0, string.Empty), (exit, error));

        var tips = Directory.GetFiles(Path.Combine(Outbox, "email"), "*.eml").Select(File.ReadAllText).Where(t => t.Contains("Shop the sale:", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(tips);
        Assert.All(tips, t => Assert.Single(Regex.Matches(t, "One quick question: [A-Z]")));
        Assert.Contains(tips, t => t.Contains("https://greenthumb.example/preferences/answer?token=", StringComparison.Ordinal));

        var (reportExit, report, _) = SampleConsole.Run("profiling", "--db", Database);
        Assert.Equal(0, reportExit);
        var asks = Regex.Matches(report, @"^(recipes|travel)\s+topic:\w+\s+(\d+)", RegexOptions.Multiline).Sum(m => int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(tips.Count, asks);
    }
}
