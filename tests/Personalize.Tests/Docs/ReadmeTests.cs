using Microsoft.Extensions.DependencyInjection;
using Personalize.Eligibility;

namespace Personalize.Tests.Docs;

public sealed class ReadmeTests
{
    private static string Asset(string name) => Path.Combine(AppContext.BaseDirectory, name);

    [Fact]
    public void Quick_start_runs_and_allows_marketing_email()
    {
        var result = QuickStart.Run();

        Assert.True(result.Allowed);
        Assert.Equal("Email for marketing: opted in on 3 March 2026 via preference center.", result.Reason);
    }

    [Fact]
    public void Di_snippet_registers_the_host_channel()
    {
        using var provider = DependencyInjectionSnippet.Run(new ServiceCollection()).BuildServiceProvider();

        Assert.True(provider.GetRequiredService<ContactEligibility>().Channels.Contains(new Channel("whatsapp")));
    }

    [Theory]
    [InlineData("QuickStart.cs", "quick-start")]
    [InlineData("DependencyInjectionSnippet.cs", "dependency-injection")]
    public void Readme_shows_the_snippets_exactly_as_compiled(string file, string name)
    {
        var source = File.ReadAllLines(Asset(Path.Combine("Docs", file)));
        var start = Array.FindIndex(source, l => l.Contains("begin-snippet: " + name, StringComparison.Ordinal));
        var end = Array.FindIndex(source, l => l.Contains("end-snippet", StringComparison.Ordinal));
        Assert.True(start >= 0 && end > start, file + " lost its snippet markers.");

        var lines = source[(start + 1)..end];
        var indent = lines.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        var snippet = string.Join("\n", lines.Select(l => l.Length >= indent ? l[indent..] : l.Trim()));

        var readme = File.ReadAllText(Asset(Path.Combine("TestAssets", "README.md"))).Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.Contains("```csharp\n" + snippet + "\n```", readme, StringComparison.Ordinal);
    }

    [Fact]
    public void Readme_keeps_exactly_two_commands()
    {
        var readme = File.ReadAllText(Asset(Path.Combine("TestAssets", "README.md")));
        Assert.Contains("dotnet run --project samples/Personalize.Samples.Console", readme, StringComparison.Ordinal);
        Assert.Contains("dotnet test Personalize.sln -c Release", readme, StringComparison.Ordinal);
    }
}
