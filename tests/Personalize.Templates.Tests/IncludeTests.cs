namespace Personalize.Templates.Tests;

public sealed class IncludeTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "personalize-include-" + Guid.NewGuid().ToString("N"));

    public IncludeTests()
    {
        Directory.CreateDirectory(Path.Combine(_root, "partials"));
        File.WriteAllText(Path.Combine(_root, "partials", "footer.html"), "-- {{ company }} ({{ $0 ?? 'no arg' }})");
        File.WriteAllText(Path.Combine(_root, "loop.html"), "{{ include 'loop.html' }}");
        File.WriteAllText(Path.Combine(Path.GetTempPath(), "personalize-secret.txt"), "secret");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private TemplateOptions Options => new() { Loader = new FolderTemplateLoader(_root) };

    [Fact]
    public void Include_renders_a_template_from_the_loader_with_current_variables_and_arguments()
    {
        var template = Template.ParseOrThrow("Hi{{ include 'partials/footer.html' }} {{ x = include 'partials/footer.html' 42; x | string.upcase }}", Options);

        Assert.Equal("Hi-- ACME (no arg) -- ACME (42)".Replace("-- ACME (42)", "-- ACME (42)".ToUpperInvariant(), StringComparison.Ordinal), template.Render(new { Company = "ACME" }));
    }

    [Theory]
    [InlineData("../personalize-secret.txt")]
    [InlineData("partials/../../personalize-secret.txt")]
    [InlineData("/etc/passwd")]
    public void The_folder_loader_cannot_escape_its_root(string name)
    {
        var loader = new FolderTemplateLoader(_root);

        Assert.False(loader.TryLoad(name, out _));
        var ex = Assert.Throws<TemplateRuntimeException>(() => Template.Parse($"{{{{ include '{name}' }}}}", Options).Render());
        Assert.Contains("was not found", ex.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Recursive_includes_stop_at_MaxRecursionDepth()
    {
        var ex = Assert.Throws<TemplateLimitExceededException>(() => Template.Parse("{{ include 'loop.html' }}", Options).Render());

        Assert.Equal(nameof(TemplateLimits.MaxRecursionDepth), ex.LimitName);
    }

    [Fact]
    public void Include_without_a_loader_explains_what_to_configure()
    {
        var ex = Assert.Throws<TemplateRuntimeException>(() => Template.Parse("{{ include 'x' }}").Render());

        Assert.Contains("TemplateOptions.Loader", ex.Detail, StringComparison.Ordinal);
    }
}
