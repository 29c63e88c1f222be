namespace Personalize.Templates.Tests.Sandbox;

/// <summary>Issue 12: includes resolve real paths and their cache follows the loader, the name and the content.</summary>
public sealed class IncludeSandboxTests : IDisposable
{
    private readonly string _base = Path.Combine(Path.GetTempPath(), "personalize-sandbox-" + Guid.NewGuid().ToString("N"));
    private readonly string _root;
    private readonly string _outside;

    public IncludeSandboxTests()
    {
        _root = Path.Combine(_base, "root");
        _outside = Path.Combine(_base, "outside");
        Directory.CreateDirectory(Path.Combine(_root, "partials"));
        Directory.CreateDirectory(_outside);
        File.WriteAllText(Path.Combine(_outside, "secret.txt"), "SECRET");
        File.WriteAllText(Path.Combine(_root, "partials", "footer.html"), "footer");
    }

    public void Dispose() => Directory.Delete(_base, recursive: true);

    private static string Render(string source, ITemplateLoader loader) =>
        Template.ParseOrThrow(source, new TemplateOptions { Loader = loader }).Render();

    [Fact]
    public void A_symlink_to_a_file_outside_the_root_is_refused()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "link.txt"), Path.Combine(_outside, "secret.txt"));
        var loader = new FolderTemplateLoader(_root);

        Assert.False(loader.TryLoad("link.txt", out _));
        var ex = Assert.Throws<TemplateRuntimeException>(() => Render("{{ include 'link.txt' }}", loader));
        Assert.Contains("was not found", ex.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_symlinked_folder_leading_outside_the_root_is_refused()
    {
        Directory.CreateSymbolicLink(Path.Combine(_root, "shared"), _outside);
        var loader = new FolderTemplateLoader(_root);

        Assert.False(loader.TryLoad("shared/secret.txt", out _));
        Assert.False(loader.TryLoad("partials/../shared/secret.txt", out _));
        Assert.Null(((ITemplateLoader)loader).GetVersion("shared/secret.txt"));
    }

    [Fact]
    public void A_relative_symlink_chain_that_climbs_out_is_refused()
    {
        Directory.CreateSymbolicLink(Path.Combine(_root, "partials", "up"), "../..");
        var loader = new FolderTemplateLoader(_root);

        Assert.False(loader.TryLoad("partials/up/outside/secret.txt", out _));
    }

    [Fact]
    public void Symlinks_that_stay_inside_the_root_work_and_a_symlinked_root_works()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "alias.html"), Path.Combine(_root, "partials", "footer.html"));
        var linkedRoot = Path.Combine(_base, "linked-root");
        Directory.CreateSymbolicLink(linkedRoot, _root);

        Assert.Equal("footer", Render("{{ include 'alias.html' }}", new FolderTemplateLoader(_root)));
        Assert.Equal("footer", Render("{{ include 'partials/footer.html' }}", new FolderTemplateLoader(linkedRoot)));
    }

    [Fact]
    public void A_link_loop_is_refused_not_followed_forever()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "a"), Path.Combine(_root, "b"));
        File.CreateSymbolicLink(Path.Combine(_root, "b"), Path.Combine(_root, "a"));

        Assert.False(new FolderTemplateLoader(_root).TryLoad("a", out _));
    }

    [Fact]
    public void An_edited_partial_is_parsed_again()
    {
        var loader = new FolderTemplateLoader(_root);
        var path = Path.Combine(_root, "partials", "footer.html");
        var template = Template.ParseOrThrow("{{ include 'partials/footer.html' }}", new TemplateOptions { Loader = loader });
        Assert.Equal("footer", template.Render());

        File.WriteAllText(path, "edited footer");
        File.SetLastWriteTimeUtc(path, File.GetLastWriteTimeUtc(path).AddSeconds(5));

        Assert.Equal("edited footer", template.Render());
    }

    [Fact]
    public void A_tenant_dependent_loader_without_versions_serves_each_tenant_its_own_partial()
    {
        var loader = new TenantLoader();
        var template = Template.ParseOrThrow("{{ include 'footer' }}", new TemplateOptions { Loader = loader });

        loader.Tenant = "a";
        Assert.Equal("footer of a", template.Render());
        loader.Tenant = "b";
        Assert.Equal("footer of b", template.Render());
        loader.Tenant = "a";
        Assert.Equal("footer of a", template.Render());
    }

    [Fact]
    public void A_versioned_loader_is_not_asked_for_the_source_while_the_version_stays_and_can_be_invalidated()
    {
        var loader = new VersionedLoader { Source = "v1" };
        var template = Template.ParseOrThrow("{{ include 'p' }}", new TemplateOptions { Loader = loader });

        Assert.Equal("v1", template.Render());
        Assert.Equal("v1", template.Render());
        Assert.Equal(1, loader.Loads);

        loader.Source = "v2"; // same version stamp: the cache keeps v1 until the host invalidates it
        Assert.Equal("v1", template.Render());
        TemplateIncludeCache.Invalidate(loader, "p");
        Assert.Equal("v2", template.Render());

        loader.Source = "v3";
        loader.Version = "2";
        Assert.Equal("v3", template.Render());
        loader.Source = "v4";
        TemplateIncludeCache.Invalidate(loader);
        Assert.Equal("v4", template.Render());
    }

    [Fact]
    public void Two_loaders_never_share_cached_partials()
    {
        var first = new VersionedLoader { Source = "first" };
        var second = new VersionedLoader { Source = "second" };

        Assert.Equal("first", Render("{{ include 'p' }}", first));
        Assert.Equal("second", Render("{{ include 'p' }}", second));
    }

    [Fact]
    public void Liquid_partials_follow_the_same_cache_rules()
    {
        var loader = new TenantLoader { Tenant = "a" };
        var template = Template.ParseOrThrow("{% render 'footer' %}", new TemplateOptions { Loader = loader, Syntax = TemplateSyntax.Liquid });

        Assert.Equal("footer of a", template.Render());
        loader.Tenant = "b";
        Assert.Equal("footer of b", template.Render());
    }

    private sealed class TenantLoader : ITemplateLoader
    {
        public string Tenant { get; set; } = "a";

        public bool TryLoad(string name, out string source)
        {
            source = name == "footer" ? "footer of " + Tenant : string.Empty;
            return name == "footer";
        }
    }

    private sealed class VersionedLoader : ITemplateLoader
    {
        public string Source { get; set; } = string.Empty;

        public string Version { get; set; } = "1";

        public int Loads { get; private set; }

        public bool TryLoad(string name, out string source)
        {
            Loads++;
            source = Source;
            return true;
        }

        public string? GetVersion(string name) => Version;
    }
}
