using Personalize.Serialization;

namespace Personalize.Tests.Sending;

public sealed class SendingReadmeTests : IDisposable
{
    private readonly string _outbox = Path.Combine(Path.GetTempPath(), "pz-readme-send-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_outbox))
        {
            Directory.Delete(_outbox, recursive: true);
        }
    }

    [Fact]
    public async Task Sending_snippet_runs_the_bundled_campaign_and_a_second_run_skips_everything()
    {
        var customers = new CustomerJson(ChannelRegistryWithWhatsApp()).ReadCustomers(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestAssets", "customers.json")));
        var catalog = Path.Combine(AppContext.BaseDirectory, "TestAssets", "catalog.json");
        var templates = Path.Combine(AppContext.BaseDirectory, "data", "templates");
        var at = new DateTimeOffset(2026, 3, 15, 22, 0, 0, TimeSpan.Zero);

        var first = await SendingSnippet.Run(customers, catalog, templates, _outbox, at);
        var second = await SendingSnippet.Run(customers, catalog, templates, _outbox, at);

        Assert.Equal(customers.Count, first.Totals.Processed);
        Assert.Equal(0, first.Totals.Errors);
        Assert.True(first.Messages > 5);
        Assert.Equal(0, second.Messages);
        Assert.Equal(first.Messages, second.Totals.AlreadyWritten);
    }

    [Fact]
    public void Readme_shows_the_sending_snippet_exactly_as_compiled()
    {
        var source = File.ReadAllLines(RepoPaths.Combine("tests", "Personalize.Tests", "Sending", "SendingSnippet.cs"));
        var start = Array.FindIndex(source, l => l.Contains("begin-snippet: sending", StringComparison.Ordinal));
        var end = Array.FindIndex(source, l => l.Contains("end-snippet", StringComparison.Ordinal));
        Assert.True(start >= 0 && end > start, "SendingSnippet.cs lost its snippet markers.");

        var lines = source[(start + 1)..end];
        var indent = lines.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        var snippet = string.Join("\n", lines.Select(l => l.Length >= indent ? l[indent..] : l.Trim()));
        var readme = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestAssets", "README.md")).Replace("\r\n", "\n", StringComparison.Ordinal);

        Assert.Contains("```csharp\n" + snippet + "\n```", readme, StringComparison.Ordinal);
    }

    private static ChannelRegistry ChannelRegistryWithWhatsApp() => ChannelRegistry.Create([new ChannelDefinition(new Channel("whatsapp"), "WhatsApp", ContactPointKind.Phone, respectsTiming: true)]);
}
