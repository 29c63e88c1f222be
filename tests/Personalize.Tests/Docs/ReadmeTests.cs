using Microsoft.Extensions.DependencyInjection;
using Personalize.Channels;
using Personalize.Eligibility;

namespace Personalize.Tests.Docs;

public sealed class ReadmeTests
{
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
    [InlineData("QuickStart.cs", "quick-start", "README.md")]
    [InlineData("DependencyInjectionSnippet.cs", "dependency-injection", "docs/customers.md")]
    public void Docs_show_the_snippets_exactly_as_compiled(string file, string name, string document) =>
        DocSnippets.AssertShown("tests/Personalize.Tests/Docs/" + file, name, document);

    [Fact]
    public void Readme_keeps_exactly_two_commands()
    {
        var readme = DocSnippets.Read("README.md");
        var commands = readme.Split("```bash\n").Skip(1).Select(block => block[..block.IndexOf("\n```", StringComparison.Ordinal)]).ToArray();

        Assert.Equal(["dotnet run --project samples/Personalize.Samples.Console", "bash .ci/run"], commands);
    }

    [Fact]
    public void Every_relative_link_in_the_docs_points_at_a_file()
    {
        var documents = Directory.GetFiles(RepoPaths.Combine("docs"), "*.md", SearchOption.AllDirectories).Append(RepoPaths.Combine("README.md"));
        var broken = new List<string>();
        foreach (var document in documents)
        {
            foreach (System.Text.RegularExpressions.Match link in System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(document), @"\]\(([^)#:]+)(#[^)]*)?\)"))
            {
                var target = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(document)!, link.Groups[1].Value));
                if (!File.Exists(target) && !Directory.Exists(target))
                {
                    broken.Add(Path.GetRelativePath(RepoPaths.Root, document) + ": " + link.Value);
                }
            }
        }

        Assert.Empty(broken);
    }

    [Fact]
    public void Every_csharp_block_in_the_docs_is_a_compiled_snippet()
    {
        var snippets = DocSnippets.All().Select(s => DocSnippets.Extract(s.Source, s.Name)).ToHashSet(StringComparer.Ordinal);
        var documents = Directory.GetFiles(RepoPaths.Combine("docs"), "*.md", SearchOption.AllDirectories)
            .Select(d => Path.GetRelativePath(RepoPaths.Root, d).Replace('\\', '/'))
            .Append("README.md")
            .Concat(PackageReadmes());

        var uncompiled = documents
            .SelectMany(d => DocSnippets.CSharpBlocks(d).Where(b => !snippets.Contains(b)).Select(b => d + ": " + b.Split('\n')[0]))
            .ToList();

        Assert.True(uncompiled.Count == 0, "C# blocks no test compiles (see docs/contributing.md, Snippets in the docs):\n" + string.Join("\n", uncompiled));
    }

    [Fact]
    public void Every_package_ships_a_readme_for_its_package_page()
    {
        var packages = Directory.GetDirectories(RepoPaths.Combine("src")).Where(d => Directory.GetFiles(d, "*.csproj").Length == 1).ToList();
        var problems = new List<string>();
        foreach (var package in packages)
        {
            var name = Path.GetFileName(package);
            var readme = Path.Combine(package, "README.md");
            if (!File.Exists(readme))
            {
                problems.Add(name + ": no README.md beside the project file (it is the package's readme; see docs/contributing.md, Packages)");
                continue;
            }

            var text = File.ReadAllText(readme);
            if (!text.StartsWith("# " + name + "\n", StringComparison.Ordinal) && !text.StartsWith("# " + name + "\r\n", StringComparison.Ordinal))
            {
                problems.Add(name + ": README.md does not start with the heading '# " + name + "'");
            }

            // A package page cannot resolve links into the repository.
            foreach (System.Text.RegularExpressions.Match link in System.Text.RegularExpressions.Regex.Matches(text, @"\]\((?!https://)([^)]+)\)"))
            {
                problems.Add(name + ": README.md links to '" + link.Groups[1].Value + "', which does not resolve on a package page");
            }
        }

        Assert.True(packages.Count >= 6, "expected the packages under src/");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static IEnumerable<string> PackageReadmes() =>
        Directory.GetDirectories(RepoPaths.Combine("src"))
            .Select(d => Path.Combine(d, "README.md"))
            .Where(File.Exists)
            .Select(f => Path.GetRelativePath(RepoPaths.Root, f).Replace('\\', '/'));
}
