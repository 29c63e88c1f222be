namespace Personalize.Tests.Delivery;

public sealed class DeliveryReadmeTests : IDisposable
{
    private readonly string _outbox = Path.Combine(Path.GetTempPath(), "pz-readme-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_outbox))
        {
            Directory.Delete(_outbox, recursive: true);
        }
    }

    [Fact]
    public async Task Delivery_snippet_runs_and_a_second_run_skips_everything()
    {
        var first = await DeliverySnippet.Run(DeliveryFixture.Customer(), _outbox, DeliveryFixture.SendAt);
        var second = await DeliverySnippet.Run(DeliveryFixture.Customer(), _outbox, DeliveryFixture.SendAt);

        Assert.Equal(2, first.Written);
        Assert.Equal(0, second.Written);
        Assert.Equal(2, second.Skipped);
        Assert.Single(Directory.GetFiles(Path.Combine(_outbox, "email"), "*.eml"));
        Assert.Single(File.ReadAllLines(Path.Combine(_outbox, "sms.jsonl")));
    }

    [Fact]
    public void Readme_shows_the_delivery_snippet_exactly_as_compiled()
    {
        var source = File.ReadAllLines(RepoPaths.Combine("tests", "Personalize.Tests", "Delivery", "DeliverySnippet.cs"));
        var start = Array.FindIndex(source, l => l.Contains("begin-snippet: delivery", StringComparison.Ordinal));
        var end = Array.FindIndex(source, l => l.Contains("end-snippet", StringComparison.Ordinal));
        Assert.True(start >= 0 && end > start, "DeliverySnippet.cs lost its snippet markers.");

        var lines = source[(start + 1)..end];
        var indent = lines.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        var snippet = string.Join("\n", lines.Select(l => l.Length >= indent ? l[indent..] : l.Trim()));
        var readme = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestAssets", "README.md")).Replace("\r\n", "\n", StringComparison.Ordinal);

        Assert.Contains("```csharp\n" + snippet + "\n```", readme, StringComparison.Ordinal);
    }
}
