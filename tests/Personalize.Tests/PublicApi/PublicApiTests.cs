using Personalize.Channels;

namespace Personalize.Tests.PublicApi;

/// <summary>
/// The public API is locked at build time by Microsoft.CodeAnalysis.PublicApiAnalyzers against each package's
/// <c>PublicAPI.Shipped.txt</c> and <c>PublicAPI.Unshipped.txt</c> (docs/contributing.md, "The public API"). These
/// tests keep that lock in place for every package and hold the design rules the analyzer does not.
/// </summary>
public sealed class PublicApiTests
{
    public static TheoryData<string> Packages()
    {
        var packages = new TheoryData<string>();
        foreach (var project in Directory.GetFiles(RepoPaths.Combine("src"), "*.csproj", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            packages.Add(Path.GetFileNameWithoutExtension(project));
        }

        return packages;
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public void Every_package_locks_its_public_api_with_nullability(string package)
    {
        foreach (var file in new[] { "PublicAPI.Shipped.txt", "PublicAPI.Unshipped.txt" })
        {
            var path = RepoPaths.Combine("src", package, file);
            Assert.True(
                File.Exists(path),
                $"src/{package}/{file} is missing, so the build does not lock {package}'s public API. Run 'bash eng/update-public-api.sh " +
                $"src/{package}/{package}.csproj' to create both files and list the API (docs/contributing.md, \"The public API\").");
            Assert.True(
                File.ReadLines(path).FirstOrDefault() == "#nullable enable",
                $"src/{package}/{file} must start with '#nullable enable', so that the lock covers nullability.");
        }
    }

    [Fact]
    public void Public_classes_are_sealed_or_static_unless_another_public_class_derives_from_them()
    {
        var exported = typeof(ChannelRegistry).Assembly.GetExportedTypes().Concat(typeof(Templates.Template).Assembly.GetExportedTypes()).ToList();
        var open = exported
            .Where(t => t.IsClass && !t.IsSealed && !t.IsAbstract && !exported.Any(d => d.BaseType == t))
            .Select(t => t.FullName)
            .ToList();

        Assert.Empty(open);
    }
}
